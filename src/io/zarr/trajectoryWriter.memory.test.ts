import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, expect, it } from 'vitest';
import * as zarr from 'zarrita';
import { DirectoryStore } from './directoryStore.ts';
import { lcg, makeFrame } from './frames.testing.ts';
import { TrajectoryWriter } from './trajectoryWriter.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap and ArrayBuffer bytes after a full collection (typed-array data lives outside the JS heap). */
function memory(): { heap: number; buffers: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
}

const FRAMES = 10_000;
const SIZES = [64, 64];
const MiB = 2 ** 20;
let dir = '';
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('writes a 10,000-frame trajectory with flat memory', async () => {
  dir = await mkdtemp(join(tmpdir(), 'zarr-memory-'));
  const store = new DirectoryStore(dir);
  const writer = await TrajectoryWriter.create(store, {
    fields: ['velocities', 'forces', 'energy'],
    flushEveryFrames: 1_000,
  });
  // Fresh random values every frame (refilled in place: the writer has copied them once `append` settles),
  // so the data does not compress away and a writer or store that kept it would show ~40 MiB of growth.
  const frame = makeFrame(0, SIZES, 3);
  const random = lcg(42);
  const frameAt = (f: number) => {
    for (const a of [frame.positions, frame.velocities!, frame.forces!]) {
      for (let i = 0; i < a.length; i++) a[i] = random() - 0.5;
    }
    frame.energy![0] = random();
    return { ...frame, step: f, time: 2 * f, stageStep: f };
  };
  const samplesAt: Record<number, { heap: number; buffers: number }> = {};
  const started = performance.now();
  for (let f = 0; f < FRAMES; f++) {
    if (f === 1_000 || f === 5_000) samplesAt[f] = memory();
    await writer.append(frameAt(f));
  }
  const lastPositions = frame.positions.slice();
  await writer.close();
  const seconds = (performance.now() - started) / 1000;
  samplesAt[FRAMES] = memory();
  const atoms = FRAMES * 128;
  const rawBytes = atoms * 36 + FRAMES * 2 * 8;
  const a = samplesAt[1_000]!;
  const b = samplesAt[FRAMES]!;
  const growth = { heap: b.heap - a.heap, buffers: b.buffers - a.buffers };
  console.log(
    `zarr memory: ${FRAMES} frames × ${atoms / FRAMES} atoms in ${seconds.toFixed(1)} s; ` +
      `raw data ${(rawBytes / MiB).toFixed(1)} MiB; chunk buffers ${(writer.bufferedBytes / MiB).toFixed(2)} MiB; ` +
      `heap at 1k/5k/10k frames ${[1_000, 5_000, FRAMES].map((k) => (samplesAt[k]!.heap / MiB).toFixed(1)).join('/')} MiB; ` +
      `ArrayBuffers ${[1_000, 5_000, FRAMES].map((k) => (samplesAt[k]!.buffers / MiB).toFixed(1)).join('/')} MiB; ` +
      `growth 1k→10k: heap ${(growth.heap / MiB).toFixed(2)} MiB, ArrayBuffers ${(growth.buffers / MiB).toFixed(2)} MiB`,
  );
  // 90 % of the 46 MiB of data is written between the two measurements; a writer that kept it would grow by ~40 MiB.
  expect(growth.heap).toBeLessThan(4 * MiB);
  expect(growth.buffers).toBeLessThan(4 * MiB);
  expect(writer.bufferedBytes).toBeLessThan(4 * MiB);

  const root = zarr.root(store);
  const positions = await zarr.open(root.resolve('core/positions'), { kind: 'array' });
  expect(positions.shape).toEqual([atoms, 3]);
  const last = await zarr.get(positions, [zarr.slice(atoms - 128, atoms), null]);
  expect(last.data).toEqual(lastPositions);
  const step = await zarr.open(root.resolve('core/step'), { kind: 'array' });
  expect(await zarr.get(step, [FRAMES * 2 - 1])).toBe(BigInt(FRAMES - 1));
});
