/**
 * The last session's draft in `localStorage`, restored on start. The draft may be invalid (a field
 * being typed), so it is kept as is, with non-finite numbers (NaN from a malformed number) written
 * out explicitly. Restoring accepts an invalid draft only when its problems are values a form can
 * hold (a number out of range, a malformed number): a stored entry of another shape (corrupted,
 * edited by hand, from an older build) is refused with a reason, and the page keeps its example.
 */
import { PipelineSpec, type PipelineSpecInput, SPEC_VERSION } from '../../io/spec.ts';
import { getAt, type PathSegment, pathKey } from '../state/specFields.ts';
import { formatSize, MAX_SPEC_CHARS, parseJsonText, type Read } from './specText.ts';

/** The `localStorage` key of the session. */
export const SESSION_KEY = 'md-workbench/session';
/** Version of the stored record (not of the spec). */
export const SESSION_FORMAT = 1;
/** Marks a non-finite number in stored JSON: `{"$number": "NaN"}`. */
const NON_FINITE = '$number';

interface SessionRecord {
  app: 'md-workbench';
  format: number;
  draft: unknown;
}

/** The JSON stored for `draft`. */
export function sessionText(draft: PipelineSpecInput): string {
  const record: SessionRecord = { app: 'md-workbench', format: SESSION_FORMAT, draft };
  return JSON.stringify(record, (_key, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? { [NON_FINITE]: String(value) } : value,
  );
}

/** Turns `{"$number": "NaN"}` back into NaN (and ±Infinity), in place; returns the new root. */
function reviveNonFinite(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  if (!Array.isArray(value) && keys.length === 1 && keys[0] === NON_FINITE) {
    const v = (value as Record<string, unknown>)[NON_FINITE];
    if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const k of keys) record[k] = reviveNonFinite(record[k]);
  return value;
}

type ZodIssueLike = { code: string; path: PropertyKey[]; expected?: string; errors?: ZodIssueLike[][] };

/** Whether an issue at `path` is about a value a form can hold (so the draft can be shown and fixed). */
function isValueIssue(draft: unknown, issue: ZodIssueLike, base: PathSegment[]): boolean {
  const path = [...base, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
  if (issue.code === 'invalid_union')
    return (issue.errors ?? []).some(
      (branch) => branch.length > 0 && branch.every((i) => isValueIssue(draft, i, path)),
    );
  const value = getAt(draft as PipelineSpecInput, path);
  const last = path[path.length - 1];
  if (last === 'kind' || last === 'version') return false;
  switch (issue.code) {
    case 'too_small':
    case 'too_big':
    case 'not_multiple_of':
    case 'invalid_format':
    case 'custom':
      return value !== undefined && (typeof value !== 'object' || Array.isArray(value));
    case 'invalid_type':
    case 'invalid_value':
      return (
        (issue.expected === undefined || ['number', 'string', 'boolean', 'int'].includes(issue.expected)) &&
        ['number', 'string', 'boolean'].includes(typeof value)
      );
    default:
      return false;
  }
}

/** Why `draft` cannot be shown as a (possibly invalid) draft, or null when it can. */
export function draftShapeProblem(draft: unknown): string | null {
  if (typeof draft !== 'object' || draft === null || Array.isArray(draft)) return 'it holds no spec';
  const version = (draft as Record<string, unknown>).version;
  if (version !== SPEC_VERSION)
    return `it was saved for spec version ${JSON.stringify(version) ?? 'none'}; this build reads version ${SPEC_VERSION}`;
  const r = PipelineSpec.safeParse(draft);
  if (r.success) return null;
  const bad = (r.error.issues as unknown as ZodIssueLike[]).find((i) => !isValueIssue(draft, i, []));
  if (!bad) return null;
  const at = pathKey(bad.path.map((p) => (typeof p === 'number' ? p : String(p)))) || '(spec)';
  return `it is not a spec this page can show (${at}: ${(bad as unknown as { message: string }).message})`;
}

/** Reads a stored session: none, a draft to restore, or why the stored entry cannot be used. */
export function readSession(text: string | null):
  | { kind: 'none' }
  | { kind: 'bad'; reason: string }
  | {
      kind: 'ok';
      draft: PipelineSpecInput;
    } {
  if (text === null) return { kind: 'none' };
  if (text.length > MAX_SPEC_CHARS)
    return { kind: 'bad', reason: `it is too large (${formatSize(text.length)})` };
  const json = parseJsonText(text);
  if (!json.ok) return { kind: 'bad', reason: json.reason };
  const record = reviveNonFinite(json.value) as Partial<SessionRecord> | null;
  if (typeof record !== 'object' || record === null || record.app !== 'md-workbench')
    return { kind: 'bad', reason: 'it is not a saved session of this page' };
  if (record.format !== SESSION_FORMAT)
    return {
      kind: 'bad',
      reason: `it was saved in format ${String(record.format)} by another version of the page`,
    };
  const problem = draftShapeProblem(record.draft);
  if (problem) return { kind: 'bad', reason: problem };
  return { kind: 'ok', draft: record.draft as PipelineSpecInput };
}

/** `localStorage` when the page may use it (null when it is disabled or blocked). */
export function sessionStorageArea(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** Reads the stored session from `storage`. */
export function loadSession(storage: Storage | null): ReturnType<typeof readSession> {
  if (!storage) return { kind: 'none' };
  let text: string | null;
  try {
    text = storage.getItem(SESSION_KEY);
  } catch (e) {
    return { kind: 'bad', reason: `the browser refused to read it (${String(e)})` };
  }
  return readSession(text);
}

/** Stores `draft`; returns why it could not (storage full or blocked), or null. */
export function saveSession(storage: Storage | null, draft: PipelineSpecInput): Read<null> {
  if (!storage) return { ok: false, reason: 'the browser offers no local storage to this page' };
  try {
    storage.setItem(SESSION_KEY, sessionText(draft));
    return { ok: true, value: null };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}
