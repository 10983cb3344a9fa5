import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StageSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import { lennardJonesReference } from '../reference/lennardJones.ts';
import { neighborListReference } from '../reference/neighborList.ts';
import { minimumImageDelta } from '../reference/pbc.ts';
import { createGpuEngine, type LennardJonesGpuEngine } from './engine.ts';
import {
  ARGON,
  argonFcc,
  argonRandom,
  argonSlab,
  batchAt,
  concatenateBatches,
  expectForcesClose,
  testDevice,
  withErrorScopes,
  withNullAtoms,
} from './testing.ts';

const SKIN = 1;
const LIST_CUTOFF = ARGON.cutoff + SKIN;

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device.destroy());

function distance(batch: Batch, i: number, j: number): number {
  const s = batch.atomsPtr.findLastIndex((p) => p <= i);
  const d = new Float64Array(3);
  const lengths: [number, number, number] = [
    batch.cells[9 * s]!,
    batch.cells[9 * s + 4]!,
    batch.cells[9 * s + 8]!,
  ];
  const pbc: [boolean, boolean, boolean] = [
    !!batch.pbc[3 * s],
    !!batch.pbc[3 * s + 1],
    !!batch.pbc[3 * s + 2],
  ];
  minimumImageDelta(batch.positions, i, j, lengths, pbc, d);
  return Math.hypot(d[0]!, d[1]!, d[2]!);
}

/** Rows as sorted sets; pairs within 1e-4 Å of the list cutoff may differ (f32 vs f64 rounding). */
function expectSameLists(
  gpu: { ptr: Int32Array; neighbors: Int32Array },
  batch: Batch,
  cutoff: number,
  ref = neighborListReference(batch, cutoff),
): void {
  let pairs = 0;
  for (let i = 0; i < batch.nAtoms; i++) {
    const mine = [...gpu.neighbors.subarray(gpu.ptr[i], gpu.ptr[i + 1])].sort((a, b) => a - b);
    const theirs = [...ref.neighbors.subarray(ref.ptr[i], ref.ptr[i + 1])];
    expect(new Set(mine).size, `row ${i} has duplicates`).toBe(mine.length);
    const a = new Set(mine);
    const b = new Set(theirs);
    for (const j of [...mine.filter((j) => !b.has(j)), ...theirs.filter((j) => !a.has(j))]) {
      expect(Math.abs(distance(batch, i, j) - cutoff), `pair ${i}-${j} differs`).toBeLessThan(1e-4);
    }
    pairs += theirs.length;
  }
  expect(pairs).toBeGreaterThan(0);
}

async function compute(engine: LennardJonesGpuEngine): Promise<void> {
  const encoder = device.createCommandEncoder();
  engine.encodeCompute(encoder);
  device.queue.submit([encoder.finish()]);
  await device.queue.onSubmittedWorkDone();
}

describe('GPU Verlet list vs neighborListReference', () => {
  const cases: [string, () => Batch][] = [
    ['fcc with jitter, 6×6×6 (box 3.3 list cutoffs)', () => argonFcc(6, 0.3)],
    ['fcc, 4×4×4 (box 2.2 list cutoffs: stencils wrap on both sides)', () => argonFcc(4, 0.3, 0, 2)],
    ['random liquid-like', () => argonRandom(800, [40, 30, 35], 7)],
    ['slab, open along z', () => argonSlab(6, 0.2)],
    ['NULL atoms', () => withNullAtoms(argonFcc(6, 0.3, 0, 3), 5, 1)],
    [
      'three systems',
      () =>
        concatenateBatches([argonFcc(4, 0.2, 0, 4), argonRandom(500, [36, 30, 33], 8), argonSlab(5, 0.2)]),
    ],
  ];
  for (const [name, make] of cases) {
    test(name, async () => {
      const batch = make();
      await withErrorScopes(device, async () => {
        const engine = await createGpuEngine(device, batch, ARGON, { skin: SKIN });
        await compute(engine);
        expect(await engine.readRebuildCount()).toBe(1 + engine.neighborOverflows);
        const atoms = await engine.readAtoms();
        expectSameLists(await engine.readNeighborList(), batchAt(batch, atoms.positions), LIST_CUTOFF);
        engine.destroy();
      });
    });
  }

  test('a row overflowing a tiny capacity is detected, the list grows and forces come out right', async () => {
    const batch = argonFcc(6, 0.3, 0, 9);
    await withErrorScopes(device, async () => {
      const engine = await createGpuEngine(device, batch, ARGON, { skin: SKIN, neighborCapacity: 4 });
      await compute(engine);
      const atoms = await engine.readAtoms(); // sees the overflow, grows, rebuilds, recomputes
      expect(engine.neighborOverflows).toBe(1);
      expect(engine.neighborCapacity).toBeGreaterThan(60);
      expect(await engine.readRebuildCount()).toBe(2);
      expectSameLists(await engine.readNeighborList(), batchAt(batch, atoms.positions), LIST_CUTOFF);
      expectForcesClose(atoms.forces, lennardJonesReference(batch, ARGON), 'after growth');
      engine.destroy();
    });
  });
});

describe('displacement-triggered rebuild', () => {
  test('no rebuild while every atom moved < skin/2; a rebuild once one moved more', async () => {
    // Every atom drifts by 0.09 Å/fs · 1 fs per step (forces of a cold, slightly jittered crystal
    // add ≪ 0.01 Å): 0.45 Å after 5 steps (< skin/2 = 0.5 Å), 0.54 Å after 6.
    const batch = argonFcc(6, 0.05, 0, 11);
    for (let i = 0; i < batch.nAtoms; i++)
      batch.velocities.set([0.09 / Math.sqrt(3), 0.09 / Math.sqrt(3), 0.09 / Math.sqrt(3)], 3 * i);
    await withErrorScopes(device, async () => {
      const engine = await createGpuEngine(device, batch, ARGON, { skin: SKIN });
      const nve = engine.createDynamics(StageSpec.parse({ kind: 'nve', steps: 10, dt: 1 }));
      engine.writeStatus(new Int32Array(1));
      await compute(engine);
      const step = async (n: number) => {
        const encoder = device.createCommandEncoder();
        for (let k = 0; k < n; k++) {
          nve.encodePreUpdate(encoder, 0);
          engine.encodeCompute(encoder);
          nve.encodePostUpdate(encoder, 0);
        }
        device.queue.submit([encoder.finish()]);
      };
      await step(5);
      expect(await engine.readRebuildCount()).toBe(1);
      // Between builds, the list still holds every pair within the cutoff (the Verlet guarantee).
      const moved = batchAt(batch, (await engine.readAtoms()).positions);
      const within = neighborListReference(moved, ARGON.cutoff);
      const list = await engine.readNeighborList();
      for (let i = 0; i < batch.nAtoms; i++) {
        const row = new Set(list.neighbors.subarray(list.ptr[i], list.ptr[i + 1]));
        for (const j of within.neighbors.subarray(within.ptr[i], within.ptr[i + 1]))
          expect(row.has(j)).toBe(true);
      }
      await step(1);
      expect(await engine.readRebuildCount()).toBe(2);
      const rebuilt = batchAt(batch, (await engine.readAtoms()).positions);
      expectSameLists(await engine.readNeighborList(), rebuilt, LIST_CUTOFF);
      // Positions were wrapped into the cell at the rebuild.
      for (let k = 0; k < 3 * batch.nAtoms; k++) {
        expect(rebuilt.positions[k]).toBeGreaterThanOrEqual(0);
        expect(rebuilt.positions[k]).toBeLessThanOrEqual(batch.cells[4 * (k % 3)]!);
      }
      nve.destroy();
      engine.destroy();
    });
  });
});
