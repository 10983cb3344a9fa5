// Runs in headless Chromium (the gpu Vitest project) for its Origin Private File System and Workers; no WebGPU used.
import { afterAll, describe, expect, it } from 'vitest';
import { makeFrame } from '../../io/zarr/frames.testing.ts';
import { OpfsStore } from '../../io/zarr/opfsStore.ts';
import { readTrajectory } from '../../io/zarr/trajectoryReader.ts';
import { exportZarrZip, importZarrZip } from '../../io/zarr/zarrZip.ts';
import { newRunId, TRAJECTORY_DIRECTORY } from './opfsRuns.ts';
import type { OpfsWriterReply, OpfsWriterRequest } from './opfsWriter.testing.ts';

async function runsDirectory(): Promise<FileSystemDirectoryHandle> {
  return (await navigator.storage.getDirectory()).getDirectoryHandle(TRAJECTORY_DIRECTORY, { create: true });
}

async function runNames(): Promise<string[]> {
  const names: string[] = [];
  const dir = (await runsDirectory()) as FileSystemDirectoryHandle & {
    keys(): AsyncIterableIterator<string>;
  };
  for await (const name of dir.keys()) names.push(name);
  return names.sort();
}

/** Asks a fresh module worker to write a trajectory into run directory `runId`. */
function writeInWorker(request: OpfsWriterRequest): Promise<OpfsWriterReply> {
  const worker = new Worker(new URL('./opfsWriter.testing.ts', import.meta.url), { type: 'module' });
  return new Promise<OpfsWriterReply>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<OpfsWriterReply>) => resolve(e.data);
    worker.onerror = (e) => reject(new Error(e.message || 'the worker failed'));
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}

describe('Zarr trajectories in OPFS, written from a worker', () => {
  afterAll(async () => {
    const dir = await runsDirectory();
    for (const name of await runNames()) await dir.removeEntry(name, { recursive: true });
  });

  it('streams frames into a run directory the page reads back, and prunes old runs', async () => {
    // Three older runs: the new one keeps the newest two of them.
    const dir = await runsDirectory();
    for (const old of ['00000000-000000-aaa1', '00000000-000000-aaa2', '00000000-000000-aaa3']) {
      await dir.getDirectoryHandle(old, { create: true });
    }
    const runId = newRunId();
    expect(runId).toMatch(/^\d{8}-\d{6}-[a-z0-9]+$/);
    const sizes = [6, 11];
    const reply = await writeInWorker({ runId, frames: 23, sizes });
    expect(reply).toMatchObject({ ok: true, frames: 23 });
    expect(await runNames()).toEqual(['00000000-000000-aaa2', '00000000-000000-aaa3', runId]);

    // The page opens the same directory (as after a reload) and finds every frame.
    const store = new OpfsStore(await dir.getDirectoryHandle(runId));
    const expected = Array.from({ length: 23 }, (_, f) => {
      const { stress: _s, ...frame } = makeFrame(f, sizes, 4);
      return frame;
    });
    expect((await readTrajectory(store)).frames).toEqual(expected);
    // 23 frames × 17 atoms in chunks of 32 rows: many chunk files, each written once full.
    const keys: string[] = [];
    for await (const k of store.keys()) keys.push(k);
    expect(keys.filter((k) => k.startsWith('/core/positions/c/'))).toHaveLength(Math.ceil((23 * 17) / 32));
    expect((await importZarrZip(await exportZarrZip(store))).frames).toEqual(expected);
  });
});
