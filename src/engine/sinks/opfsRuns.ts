/**
 * Run directories for Zarr trajectories in the browser's Origin Private File System (DESIGN §7):
 * `trajectories/<run id>/` per run, so a crash or a reload loses nothing already written, and older
 * runs are pruned so the origin's storage does not grow without bound.
 */
import { OpfsStore } from '../../io/zarr/opfsStore.ts';

/** Directory at the OPFS root that holds one directory per run. */
export const TRAJECTORY_DIRECTORY = 'trajectories';

/** A sortable, unique run id: UTC date and time, then random letters (e.g. `20250101-120000-k3x9`). */
export function newRunId(date = new Date()): string {
  const stamp = date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

type IterableDirectory = FileSystemDirectoryHandle & {
  keys(): AsyncIterableIterator<string>;
};

/** Whether this context has an Origin Private File System (browsers; not Node). */
export function hasOpfs(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.storage?.getDirectory === 'function';
}

/**
 * Creates `trajectories/<runId>/` and returns a store on it, after deleting all but the newest
 * `keep − 1` older run directories. Undefined where there is no OPFS.
 */
export async function openRunStore(runId = newRunId(), keep = 3): Promise<OpfsStore | undefined> {
  if (!hasOpfs()) return undefined;
  const origin = await navigator.storage.getDirectory();
  const runs = await origin.getDirectoryHandle(TRAJECTORY_DIRECTORY, { create: true });
  const names: string[] = [];
  for await (const name of (runs as IterableDirectory).keys()) names.push(name);
  names.sort();
  for (const old of names.slice(0, Math.max(0, names.length - (keep - 1)))) {
    // Another tab may still write there: a failed removal is not an error worth stopping for.
    await runs.removeEntry(old, { recursive: true }).catch(() => {});
  }
  return new OpfsStore(await runs.getDirectoryHandle(runId, { create: true }));
}
