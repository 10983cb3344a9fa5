// Runs in headless Chromium (the gpu Vitest project) for its Origin Private File System; no WebGPU used.
import { afterAll, describe, expect, it } from 'vitest';
import { makeFrame } from './frames.testing.ts';
import { OpfsStore } from './opfsStore.ts';
import { readTrajectory } from './trajectoryReader.ts';
import { TrajectoryWriter } from './trajectoryWriter.ts';
import { exportZarrZip, importZarrZip } from './zarrZip.ts';

const NAME = `zarr-opfs-test-${Date.now()}`;
const frames = Array.from({ length: 20 }, (_, f) => makeFrame(f, [6, 10], 9));

describe('OpfsStore', () => {
  afterAll(async () => {
    await (await navigator.storage.getDirectory()).removeEntry(NAME, { recursive: true });
  });

  it('holds a trajectory that reads back identical, survives reopening, and exports to .zarr.zip', async () => {
    const store = await OpfsStore.open(NAME);
    const writer = await TrajectoryWriter.create(store, {
      fields: ['velocities', 'forces', 'energy', 'stress', 'status'],
      atomChunkRows: 40,
      systemChunkRows: 8,
    });
    for (const f of frames.slice(0, 9)) await writer.append(f);
    await writer.flush();
    // A fresh handle on the same directory, as after a reload: what was flushed is there.
    expect((await readTrajectory(await OpfsStore.open(NAME))).frames).toEqual(frames.slice(0, 9));
    for (const f of frames.slice(9)) await writer.append(f);
    await writer.close();
    const keys: string[] = [];
    for await (const k of store.keys()) keys.push(k);
    expect(keys).toContain('/zarr.json');
    expect(keys).toContain('/core/positions/c/7/0');
    expect(await store.get('/core/positions/c/99/0')).toBeUndefined();
    expect((await readTrajectory(store)).frames).toEqual(frames);
    const zipped = await importZarrZip(await exportZarrZip(store));
    expect(zipped.frames).toEqual(frames);
  });
});
