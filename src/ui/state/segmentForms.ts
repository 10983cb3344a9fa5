/**
 * The stage form's model of a draft's segments: each plain stage, or fused stage with its max steps,
 * entry and exit status, own hooks and sub-stages; each stage's parameters, hooks and convergence
 * criteria, as fields read from the schema (specFields.ts).
 */
import { z } from 'zod';
import {
  ConvergenceSpec,
  FusedStageSpec,
  HookSpec,
  type PipelineSpecInput,
  StageSpec,
} from '../../io/spec.ts';
import { criterionKindLabels, hookKindLabels, thresholdUnit } from './specCatalog.ts';
import {
  isRecord,
  objectFields,
  type ParamField,
  type PathSegment,
  pathKey,
  type StageField,
} from './specFields.ts';

type KindUnion = { options: readonly z.ZodObject[] };

/** The member of a discriminated union whose `kind` literal is `kind`. */
function schemaOfKind(union: KindUnion, kind: unknown): z.ZodObject | null {
  for (const o of union.options) {
    const literal = o.shape.kind;
    if (literal instanceof z.ZodLiteral && literal.value === kind) return o;
  }
  return null;
}

/** A hook or convergence criterion in a list, with its parameters. */
export interface ItemForm {
  path: PathSegment[];
  key: string;
  kind: string;
  /** What the item does, for people. */
  description: string;
  params: ParamField[];
}

/** A stage (or a fused stage's sub-stage): its parameters, hooks and criteria. */
export interface StageForm {
  path: PathSegment[];
  key: string;
  kind: string;
  /** Name, or position and kind. */
  title: string;
  params: ParamField[];
  hooks: ItemForm[];
  criteria: ItemForm[];
}

/** One segment of the pipeline, as the stage form shows it. */
export type SegmentForm =
  | { type: 'stage'; index: number; title: string; stage: StageForm }
  | {
      type: 'fused';
      index: number;
      title: string;
      path: PathSegment[];
      key: string;
      /** Max steps, entry and exit status, name. */
      params: ParamField[];
      /** Hooks of the fused stage itself (they see the whole batch). */
      hooks: ItemForm[];
      stages: StageForm[];
    };

function itemForms(
  list: unknown,
  union: KindUnion,
  labels: Record<string, string>,
  path: readonly PathSegment[],
): ItemForm[] {
  if (!Array.isArray(list)) return [];
  return list.map((item: unknown, j) => {
    const itemPath = [...path, j];
    const kind = isRecord(item) ? String(item.kind) : '';
    const schema = schemaOfKind(union, kind);
    const params = schema && isRecord(item) ? objectFields(kind, schema, item, itemPath) : [];
    if (kind === 'threshold' && isRecord(item)) {
      for (const p of params)
        if (p.type === 'number' && p.key.endsWith('.value')) p.unit = thresholdUnit(item.quantity);
    }
    return { path: itemPath, key: pathKey(itemPath), kind, description: labels[kind] ?? kind, params };
  });
}

const kindName = (s: unknown) => (isRecord(s) ? String(s.kind ?? '?').toUpperCase() : '?');

/** Name of a segment or stage: its own, or its position and kind(s) (`2. FIRE + NVE`). */
export function segmentTitle(segment: unknown, index: number): string {
  if (!isRecord(segment)) return `${index + 1}.`;
  if (typeof segment.name === 'string' && segment.name) return segment.name;
  const kinds =
    segment.kind === 'fused' && Array.isArray(segment.stages)
      ? segment.stages.map(kindName).join(' + ')
      : kindName(segment);
  return `${index + 1}. ${kinds}`;
}

function stageForm(stage: unknown, path: PathSegment[], title: string): StageForm {
  const s = isRecord(stage) ? stage : {};
  const kind = String(s.kind ?? '');
  const schema = schemaOfKind(StageSpec, kind);
  return {
    path,
    key: pathKey(path),
    kind,
    title,
    params: schema ? objectFields(kind, schema, s, path, ['hooks', 'convergence']) : [],
    hooks: itemForms(s.hooks, HookSpec, hookKindLabels, [...path, 'hooks']),
    criteria: itemForms(s.convergence, ConvergenceSpec, criterionKindLabels, [...path, 'convergence']),
  };
}

/** The forms of every segment of a draft, in order. */
export function segmentForms(draft: PipelineSpecInput): SegmentForm[] {
  const segments: unknown[] = Array.isArray(draft.stages) ? draft.stages : [];
  return segments.map((segment, i): SegmentForm => {
    const path: PathSegment[] = ['stages', i];
    const title = segmentTitle(segment, i);
    if (!isRecord(segment) || segment.kind !== 'fused') {
      return { type: 'stage', index: i, title, stage: stageForm(segment, path, title) };
    }
    const subs: unknown[] = Array.isArray(segment.stages) ? segment.stages : [];
    return {
      type: 'fused',
      index: i,
      title,
      path,
      key: pathKey(path),
      params: objectFields('fused', FusedStageSpec, segment, path, ['stages', 'hooks']),
      hooks: itemForms(segment.hooks, HookSpec, hookKindLabels, [...path, 'hooks']),
      stages: subs.map((sub, j) => {
        const subPath = [...path, 'stages', j];
        return stageForm(
          sub,
          subPath,
          isRecord(sub) && sub.name ? String(sub.name) : `${j}: ${kindName(sub)}`,
        );
      }),
    };
  });
}

/** Every field the stage form shows (for telling which issues have a place next to a field). */
export function segmentFieldKeys(forms: readonly SegmentForm[]): string[] {
  const keys: string[] = [];
  const items = (list: readonly ItemForm[]) => {
    for (const item of list) for (const p of item.params) keys.push(p.key);
  };
  const stage = (s: StageForm) => {
    for (const p of s.params) keys.push(p.key);
    items(s.hooks);
    items(s.criteria);
  };
  for (const f of forms) {
    if (f.type === 'stage') stage(f.stage);
    else {
      for (const p of f.params) keys.push(p.key);
      items(f.hooks);
      f.stages.forEach(stage);
    }
  }
  return keys;
}

/** The numeric fields of every segment of a draft, flattened per segment (sub-stages, hooks, criteria included). */
export function stageFields(draft: PipelineSpecInput): StageField[][] {
  const numbers = (ps: readonly ParamField[]) =>
    ps.filter((p): p is Extract<ParamField, { type: 'number' }> => p.type === 'number');
  const stage = (s: StageForm) => [
    ...numbers(s.params),
    ...s.hooks.flatMap((h) => numbers(h.params)),
    ...s.criteria.flatMap((c) => numbers(c.params)),
  ];
  return segmentForms(draft).map((f) =>
    f.type === 'stage'
      ? stage(f.stage)
      : [...numbers(f.params), ...f.hooks.flatMap((h) => numbers(h.params)), ...f.stages.flatMap(stage)],
  );
}
