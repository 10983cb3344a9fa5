/**
 * Reading a spec from untrusted text (a JSON file, a shared link, a stored session): size and
 * nesting limits before `JSON.parse`, no prototype keys, then the spec schema. Nothing here ever
 * evaluates the text as code; the result is plain data checked by zod.
 */
import { type PipelineSpec, safeParseSpec } from '../../io/spec.ts';

/** Most characters of spec JSON accepted (a real spec is a few kB). */
export const MAX_SPEC_CHARS = 1 << 20;
/** Deepest nesting of arrays and objects accepted (a spec nests about 6 deep). */
export const MAX_SPEC_DEPTH = 32;
/** Keys that could reach an object's prototype if the data were ever merged into an object. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A byte or character count for people: `1.0 MiB`, `12 kB`. */
export function formatSize(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} kB`;
  return `${n} bytes`;
}

/** The deepest nesting of `[`/`{` outside string literals, scanning no further than `limit + 1`. */
function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** Where a forbidden key sits in parsed JSON (`stages[0].__proto__`), or null. */
function forbiddenKey(root: unknown): string | null {
  const stack: Array<{ value: unknown; path: string }> = [{ value: root, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        stack.push({ value: v, path: `${path}[${i}]` });
      });
      continue;
    }
    for (const key of Object.keys(value)) {
      const at = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) return at;
      stack.push({ value: (value as Record<string, unknown>)[key], path: at });
    }
  }
  return null;
}

/**
 * Parses untrusted JSON text into plain data, within {@link MAX_SPEC_CHARS} and
 * {@link MAX_SPEC_DEPTH}, refusing prototype keys. `reason` says what is wrong, for people.
 */
export function parseJsonText(text: string): Read<unknown> {
  if (text.length > MAX_SPEC_CHARS)
    return {
      ok: false,
      reason: `it is too large (${formatSize(text.length)}; at most ${formatSize(MAX_SPEC_CHARS)})`,
    };
  if (text.trim() === '') return { ok: false, reason: 'it is empty' };
  if (nestingDepth(text, MAX_SPEC_DEPTH) > MAX_SPEC_DEPTH)
    return { ok: false, reason: `it nests more than ${MAX_SPEC_DEPTH} levels deep` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `it is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  const key = forbiddenKey(value);
  if (key !== null) return { ok: false, reason: `it has the forbidden key "${key}"` };
  return { ok: true, value };
}

/** Checks plain data against the spec schema; `reason` lists the schema's issues with their paths. */
export function checkSpec(value: unknown): Read<PipelineSpec> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, reason: 'it is not a pipeline spec (expected a JSON object)' };
  const r = safeParseSpec(value);
  if (r.ok) return { ok: true, value: r.spec };
  const shown = r.issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`);
  if (r.issues.length > shown.length) shown.push(`and ${r.issues.length - shown.length} more`);
  return { ok: false, reason: `it is not a valid pipeline spec (${shown.join('; ')})` };
}

/** {@link parseJsonText} then {@link checkSpec}. */
export function readSpecText(text: string): Read<PipelineSpec> {
  const json = parseJsonText(text);
  return json.ok ? checkSpec(json.value) : json;
}
