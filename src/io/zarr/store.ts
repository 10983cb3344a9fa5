/**
 * Key-value stores that hold a Zarr v3 hierarchy. Keys are absolute paths in the hierarchy
 * (`/zarr.json`, `/core/positions/c/0/0`), as in zarrita, so every store here is also a zarrita
 * store for reading back.
 */

/** An absolute key in a Zarr hierarchy, e.g. `/core/positions/zarr.json`. */
export type StoreKey = `/${string}`;

/** A store the trajectory writer can write to and zarrita can read from. */
export interface ZarrStore {
  /** The bytes under `key`, or undefined when there are none. */
  get(key: StoreKey): Promise<Uint8Array | undefined>;
  /** Stores `value` under `key`, replacing what was there. */
  set(key: StoreKey, value: Uint8Array): Promise<void>;
  /** Every key held, in no particular order. */
  keys(): AsyncIterable<StoreKey>;
}

/** A store in a `Map`, for tests and short trajectories (memory grows with the data). */
export class MemoryStore implements ZarrStore {
  readonly map = new Map<StoreKey, Uint8Array>();

  async get(key: StoreKey): Promise<Uint8Array | undefined> {
    return this.map.get(key);
  }

  async set(key: StoreKey, value: Uint8Array): Promise<void> {
    this.map.set(key, value);
  }

  async *keys(): AsyncIterable<StoreKey> {
    yield* this.map.keys();
  }
}

/** Splits an absolute key into its path segments, rejecting empty, `.` and `..` segments. */
export function keySegments(key: StoreKey): string[] {
  const parts = key.slice(1).split('/');
  for (const p of parts) {
    if (p === '' || p === '.' || p === '..') throw new Error(`invalid store key ${JSON.stringify(key)}`);
  }
  return parts;
}
