/**
 * Structural edits of a draft pipeline, without drag and drop: add, remove and move segments; fuse a
 * segment with the next one (the Python framework's `a + b`) or split a fused one back into a pipe
 * (`a | b`); add and remove hooks and convergence criteria. Pure functions: each returns a new draft.
 */
import type { PipelineSpecInput } from '../../io/spec.ts';
import { getAt, isRecord, type PathSegment, setAt } from './specFields.ts';

/** Most sub-stages a fused stage may hold (the schema's limit). */
export const MAX_SUB_STAGES = 16;

type Draft = PipelineSpecInput;
type Segment = Draft['stages'][number];

function segmentsOf(draft: Draft): Segment[] {
  return Array.isArray(draft.stages) ? draft.stages : [];
}

function withSegments(draft: Draft, stages: Segment[]): Draft {
  return { ...structuredClone(draft), stages: structuredClone(stages) };
}

/** The stages of a segment: a fused stage's sub-stages, or the stage itself. */
function stagesOf(segment: Segment): unknown[] {
  return isRecord(segment) && segment.kind === 'fused' && Array.isArray(segment.stages)
    ? segment.stages
    : [segment];
}

const stepsOf = (stage: unknown) =>
  isRecord(stage) && typeof stage.steps === 'number' && Number.isFinite(stage.steps) ? stage.steps : 0;

/** Appends `segment` at the end (or before `index`). */
export function insertSegment(draft: Draft, segment: Segment, index = segmentsOf(draft).length): Draft {
  const stages = [...segmentsOf(draft)];
  stages.splice(index, 0, segment);
  return withSegments(draft, stages);
}

/** Removes segment `index` (the schema then says if none is left). */
export function removeSegment(draft: Draft, index: number): Draft {
  return withSegments(
    draft,
    segmentsOf(draft).filter((_, i) => i !== index),
  );
}

/** Moves segment `index` by `delta` places (−1: earlier), when there is room. */
export function moveSegment(draft: Draft, index: number, delta: -1 | 1): Draft {
  const stages = [...segmentsOf(draft)];
  const to = index + delta;
  if (to < 0 || to >= stages.length || index < 0 || index >= stages.length) return draft;
  const [moved] = stages.splice(index, 1);
  stages.splice(to, 0, moved!);
  return withSegments(draft, stages);
}

/** Whether segments `index` and `index + 1` can be fused (both exist, sub-stages within the limit). */
export function canFuse(draft: Draft, index: number): boolean {
  const stages = segmentsOf(draft);
  const a = stages[index];
  const b = stages[index + 1];
  return a !== undefined && b !== undefined && stagesOf(a).length + stagesOf(b).length <= MAX_SUB_STAGES;
}

const isLog = (h: unknown) => isRecord(h) && h.kind === 'log';
const hooksOf = (s: unknown): unknown[] => (isRecord(s) && Array.isArray(s.hooks) ? s.hooks : []);

/**
 * Fuses segment `index` with the next one: one fused stage whose sub-stages are theirs, in order.
 * Its max steps is the sum of the sub-stages' budgets (enough for a system to pass through every
 * one); entry and exit status go back to their defaults. The hooks of a fused stage are kept; the
 * sub-stages' `log` hooks become one on the fused stage (the most frequent), so that each logged
 * step is one record of all its systems rather than one per sub-stage.
 */
export function fuseWithNext(draft: Draft, index: number): Draft {
  if (!canFuse(draft, index)) return draft;
  const stages = [...segmentsOf(draft)];
  const a = stages[index]!;
  const b = stages[index + 1]!;
  const subs = [...stagesOf(a), ...stagesOf(b)].map((s) =>
    isRecord(s) ? { ...s, hooks: hooksOf(s).filter((h) => !isLog(h)) } : s,
  );
  const ownHooks = [a, b].flatMap((s) => (isRecord(s) && s.kind === 'fused' ? hooksOf(s) : []));
  const logs = [...stagesOf(a), ...stagesOf(b)].flatMap(hooksOf).filter(isLog) as Record<string, unknown>[];
  if (logs.length > 0 && !ownHooks.some(isLog)) {
    const everies = logs.map((h) => (typeof h.every === 'number' ? h.every : 10));
    ownHooks.unshift({ kind: 'log', every: Math.min(...everies) });
  }
  const fused = {
    kind: 'fused',
    stages: subs,
    steps: Math.max(
      1,
      subs.reduce((n: number, s) => n + stepsOf(s), 0),
    ),
    entryStatus: 0,
    hooks: ownHooks,
  } as unknown as Segment;
  stages.splice(index, 2, fused);
  return withSegments(draft, stages);
}

/**
 * Splits fused segment `index` into its sub-stages, run one after the other. The fused stage's own
 * `log` hooks go to every one of them (each stage logs its systems), its other hooks to the first.
 */
export function splitFused(draft: Draft, index: number): Draft {
  const stages = [...segmentsOf(draft)];
  const segment = stages[index];
  if (!isRecord(segment) || segment.kind !== 'fused' || !Array.isArray(segment.stages)) return draft;
  const subs = structuredClone(segment.stages) as Segment[];
  const own = hooksOf(segment);
  const logs = own.filter(isLog);
  subs.forEach((sub, k) => {
    if (!isRecord(sub)) return;
    const given = k === 0 ? own : logs;
    const kept = hooksOf(sub).filter((h) => !(isLog(h) && logs.length > 0));
    if (given.length > 0) (sub as Record<string, unknown>).hooks = structuredClone([...given, ...kept]);
  });
  stages.splice(index, 1, ...subs);
  return withSegments(draft, stages);
}

/** Appends `item` to the list at `path` (created when absent), e.g. a stage's hooks. */
export function appendItem(draft: Draft, path: readonly PathSegment[], item: unknown): Draft {
  const list = getAt(draft, path);
  return setAt(draft, path, [...(Array.isArray(list) ? list : []), item]);
}

/** Removes entry `index` of the list at `path`. */
export function removeItem(draft: Draft, path: readonly PathSegment[], index: number): Draft {
  const list = getAt(draft, path);
  if (!Array.isArray(list)) return draft;
  return setAt(
    draft,
    path,
    list.filter((_, i) => i !== index),
  );
}
