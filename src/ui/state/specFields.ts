/**
 * The editable parameters of a spec (of stages, hooks, convergence criteria, systems), read from the
 * schema: each field's kind (number, choice, switch, list, text) from its zod type and its unit from
 * its description (src/io/spec.ts carries each unit there). Also immutable edits of a draft and its
 * validation. segmentForms.ts builds the stage form's model from these fields.
 */
import { z } from 'zod';
import {
  FusedStageSpec,
  type PipelineSpecInput,
  type SpecIssue,
  StageSpec,
  safeParseSpec,
} from '../../io/spec.ts';
import { graphIssues } from '../composer/graphRules.ts';
import { fieldText } from './specCatalog.ts';

/** One path segment of a spec field. */
export type PathSegment = string | number;

/** A numeric field, as the form shows it. */
export interface StageField {
  /** Path into the spec, e.g. ['stages', 0, 'dt']. */
  path: PathSegment[];
  /** The same path as spec issues write it, e.g. `stages[0].dt`. */
  key: string;
  /** Short label for people, e.g. `dt`. */
  label: string;
  /** What it is, for the tooltip and the accessible description. */
  title: string;
  /** Unit shown next to the input ('' for counts). */
  unit: string;
  /** Current value in the draft (NaN when absent or not a number). */
  value: number;
  integer: boolean;
  /** The field may be left empty (it is then removed from the spec). */
  optional?: boolean;
}

interface FieldBase {
  path: PathSegment[];
  key: string;
  label: string;
  title: string;
}

/** Any parameter of a stage, hook, criterion or system, by the kind of input it needs. */
export type ParamField =
  | ({ type: 'number' } & StageField)
  | ({ type: 'enum'; options: readonly string[]; value: string } & FieldBase)
  | ({ type: 'boolean'; value: boolean } & FieldBase)
  | ({ type: 'text'; value: string; optional: boolean } & FieldBase)
  /** Whole numbers typed as a comma- or space-separated list (e.g. atom indices). */
  | ({ type: 'list'; unit: string; value: readonly number[] } & FieldBase);

/** Removes defaults and optionality around a schema. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; optional: boolean } {
  let inner = schema;
  let optional = false;
  for (;;) {
    if (inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
    else if (inner instanceof z.ZodOptional) {
      optional = true;
      inner = inner.unwrap() as z.ZodType;
    } else return { inner, optional };
  }
}

/** The schema's default value, if it has one (shown where the draft leaves the field out). */
function defaultOf(schema: z.ZodType): unknown {
  return schema instanceof z.ZodDefault ? (schema.def.defaultValue as unknown) : undefined;
}

/** The unit a numeric schema carries as its description (`` for counts and step counts). */
export function unitOf(schema: z.ZodType): string {
  const unit = unwrap(schema).inner.description ?? '';
  return unit === 'steps' ? '' : unit;
}

/** Unit shown next to field `name`: 'steps' is left out where the label says it already. */
function displayUnit(schema: z.ZodType, name: string): string {
  const unit = unwrap(schema).inner.description ?? '';
  return unit === 'steps' && name === 'steps' ? '' : unit;
}

/** Writes a path the way spec issues do: `stages[0].convergence[1].fmax`. */
export function pathKey(path: readonly PathSegment[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${p}`;
  return out;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function numberAt(obj: Record<string, unknown>, name: string): number {
  const v = obj[name];
  return typeof v === 'number' ? v : Number.NaN;
}

/** The field for `obj[name]` under `schema`, or null for fields no form edits (objects, unions). */
function leafField(
  kind: string,
  name: string,
  schema: z.ZodType,
  obj: Record<string, unknown>,
  path: PathSegment[],
): ParamField | null {
  const { inner, optional } = unwrap(schema);
  const base = { path, key: pathKey(path), ...fieldText(kind, name) };
  const v = obj[name] === undefined ? defaultOf(schema) : obj[name];
  if (inner instanceof z.ZodNumber) {
    return {
      type: 'number',
      ...base,
      unit: displayUnit(schema, name),
      value: typeof v === 'number' ? v : Number.NaN,
      integer: inner.isInt === true,
      optional,
    };
  }
  if (inner instanceof z.ZodEnum) {
    return {
      type: 'enum',
      ...base,
      options: inner.options.map(String),
      value: typeof v === 'string' ? v : '',
    };
  }
  if (inner instanceof z.ZodBoolean) return { type: 'boolean', ...base, value: v === true };
  if (inner instanceof z.ZodString)
    return { type: 'text', ...base, value: typeof v === 'string' ? v : '', optional };
  if (inner instanceof z.ZodArray && inner.element instanceof z.ZodNumber) {
    const values = Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [];
    return { type: 'list', ...base, unit: displayUnit(inner.element as z.ZodType, name), value: values };
  }
  return null;
}

/** The fields of an object under an object schema, in the schema's order, without `skip`. */
export function objectFields(
  kind: string,
  schema: z.ZodObject,
  obj: Record<string, unknown>,
  path: readonly PathSegment[],
  skip: readonly string[] = [],
): ParamField[] {
  const out: ParamField[] = [];
  for (const [name, field] of Object.entries(schema.shape)) {
    if (name === 'kind' || skip.includes(name)) continue;
    const f = leafField(kind, name, field as z.ZodType, obj, [...path, name]);
    if (f) out.push(f);
  }
  return out;
}

/** A copy of `draft` with the value at `path` replaced (`undefined`: removed); the input is not modified. */
export function setAt(
  draft: PipelineSpecInput,
  path: readonly PathSegment[],
  value: unknown,
): PipelineSpecInput {
  const copy = structuredClone(draft) as unknown as Record<string, unknown>;
  let node: unknown = copy;
  for (let k = 0; k < path.length - 1; k++) {
    const seg = path[k] as PathSegment;
    node = (node as Record<PathSegment, unknown>)[seg];
    if (typeof node !== 'object' || node === null)
      throw new Error(`no field at ${pathKey(path.slice(0, k + 1))}`);
  }
  const last = path[path.length - 1] as PathSegment;
  if (value === undefined && !Array.isArray(node)) delete (node as Record<PathSegment, unknown>)[last];
  else (node as Record<PathSegment, unknown>)[last] = value;
  return copy as unknown as PipelineSpecInput;
}

/** The value at `path` of a draft (undefined where there is none). */
export function getAt(draft: PipelineSpecInput, path: readonly PathSegment[]): unknown {
  let node: unknown = draft;
  for (const seg of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PathSegment, unknown>)[seg];
  }
  return node;
}

/** Reads what a person typed: empty or malformed text becomes NaN, which the schema rejects. */
export function parseNumberInput(text: string): number {
  const t = text.trim();
  return t === '' ? Number.NaN : Number(t);
}

/** Reads a comma- or space-separated list of numbers; malformed entries become NaN. */
export function parseListInput(text: string): number[] {
  return text
    .split(/[\s,;]+/)
    .filter((t) => t !== '')
    .map((t) => Number(t));
}

/** Validation of a draft: the issues grouped by field key. */
export interface DraftValidation {
  ok: boolean;
  issues: SpecIssue[];
  byKey: Map<string, SpecIssue[]>;
}

/** A segment by its `kind`: unlike a plain union, it reports the issues of the matching member. */
const SegmentByKind = z.discriminatedUnion('kind', [StageSpec, FusedStageSpec]);

/**
 * Where the schema reports only `Invalid input` for a whole segment (a plain union of stage and
 * fused stage, when a value has the wrong type), the issues of the member its kind names instead.
 */
function segmentIssues(draft: PipelineSpecInput, issue: SpecIssue): SpecIssue[] {
  const m = /^stages\[(\d+)\]$/.exec(issue.path);
  if (!m || issue.message !== 'Invalid input') return [issue];
  const index = Number(m[1]);
  const r = SegmentByKind.safeParse(Array.isArray(draft.stages) ? draft.stages[index] : undefined);
  if (r.success) return [issue];
  return r.error.issues.map((i) => ({
    path: pathKey(['stages', index, ...i.path.map((p) => (typeof p === 'number' ? p : String(p)))]),
    message: i.message,
  }));
}

export function validateDraft(draft: PipelineSpecInput): DraftValidation {
  const r = safeParseSpec(draft);
  const schemaIssues = r.ok ? [] : r.issues.flatMap((i) => segmentIssues(draft, i));
  const issues = [...schemaIssues, ...graphIssues(draft, schemaIssues)];
  const byKey = new Map<string, SpecIssue[]>();
  for (const issue of issues) {
    const list = byKey.get(issue.path);
    if (list) list.push(issue);
    else byKey.set(issue.path, [issue]);
  }
  return { ok: issues.length === 0, issues, byKey };
}

/** Issues of a field: at its key, and for a list field at its entries (`atoms[2]`) too. */
export function issuesOf(validation: DraftValidation, field: Pick<ParamField, 'key' | 'type'>): SpecIssue[] {
  const own = validation.byKey.get(field.key) ?? [];
  if (field.type !== 'list') return own;
  const prefix = `${field.key}[`;
  return [...own, ...validation.issues.filter((i) => i.path.startsWith(prefix))];
}

/** Whether an issue at `path` belongs next to one of the fields `keys` (list entries included). */
export function isShownAt(path: string, keys: ReadonlySet<string>): boolean {
  if (keys.has(path)) return true;
  const bracket = path.lastIndexOf('[');
  return bracket > 0 && path.endsWith(']') && keys.has(path.slice(0, bracket));
}
