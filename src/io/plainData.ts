/**
 * Converts values holding typed arrays to JSON-safe data and back, for channels that only carry JSON
 * (Playwright's page.evaluate / exposeFunction, files). Plain objects, arrays and primitives pass through.
 */

const TYPED = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Uint8Array,
} as const;
type TypedName = keyof typeof TYPED;

/** A typed array as JSON. */
export interface PlainTyped {
  $typed: TypedName;
  data: number[];
}

function typedName(v: unknown): TypedName | undefined {
  for (const name of Object.keys(TYPED) as TypedName[]) if (v instanceof TYPED[name]) return name;
  return undefined;
}

/** Replaces every typed array inside `value` by a {@link PlainTyped}. */
export function toPlain(value: unknown): unknown {
  const name = typedName(value);
  if (name) return { $typed: name, data: Array.from(value as ArrayLike<number>) } satisfies PlainTyped;
  if (Array.isArray(value)) return value.map(toPlain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
  }
  return value;
}

/** Inverse of {@link toPlain}. */
export function fromPlain<T>(value: unknown): T {
  return revive(value) as T;
}

function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.$typed === 'string' && Array.isArray(o.data) && o.$typed in TYPED) {
      return TYPED[o.$typed as TypedName].from(o.data as number[]);
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, revive(v)]));
  }
  return value;
}
