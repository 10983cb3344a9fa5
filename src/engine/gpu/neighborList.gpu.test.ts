import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StageSpec } from '../../io/spec.ts';
import { type Batch, cloneBatch } from '../batch.ts';
import { cartesian, fractional } from '../cell.ts';
import { lennardJonesReference } from '../reference/lennardJones.ts';
import { neighborListReference } from '../reference/neighborList.ts';
import { forEachPair } from '../reference/pairs.ts';
import { PARITY_MATERIALS, parityStructure } from '../structures/parityCases.ts';
import { createGpuEngine, type WebGpuEngine } from './engine.ts';
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
const LJ = PARITY_MATERIALS[0]!;

/**
 * A copy of a one-system orthorhombic batch with the tilts xy, xz, yz (fractions of the lengths)
 * applied to its cell and positions (fractional coordinates kept).
 */
function sheared(batch: Batch, xy: number, xz: number, yz: number): Batch {
  const out = cloneBatch(batch);
  const [lx, , , , ly, , , , lz] = batch.cells as unknown as [number, ...number[]];
  out.cells = Float64Array.of(lx, 0, 0, xy * ly!, ly!, 0, xz * lz!, yz * lz!, lz!);
  out.positions = cartesian(out.cells, fractional(batch.cells, batch.positions));
  return out;
}
const LIST_CUTOFF = ARGON.cutoff + SKIN;

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device.destroy());

/** Key of a list entry: atom i, neighbor j (original indices) in periodic image n. */
const entryKey = (i: number, j: number, n: ArrayLike<number>) => `${i} ${j} ${n[0]} ${n[1]} ${n[2]}`;

/**
 * Every (i, j, image) within `cutoff` of each atom, from the f64 pair enumeration of the reference
 * potentials (all periodic images, triclinic cells): key → distance, Å.
 */
function referenceEntries(batch: Batch, cutoff: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let s = 0; s < batch.nSystems; s++) {
    const cell = batch.cells.subarray(9 * s, 9 * s + 9);
    forEachPair(batch, s, cutoff, (i, j, dx, dy, dz, r2) => {
      // d = r_i − (r_j + n·H): n from the fractional coordinates of r_i − r_j − d.
      const t = [0, 1, 2].map((a) => batch.positions[3 * i + a]! - batch.positions[3 * j + a]!);
      const n = Array.from(fractional(cell, [t[0]! - dx, t[1]! - dy, t[2]! - dz]), Math.round);
      const r = Math.sqrt(r2);
      out.set(entryKey(i, j, n), r);
      out.set(
        entryKey(
          j,
          i,
          n.map((x) => -x),
        ),
        r,
      );
    });
  }
  return out;
}

/**
 * The GPU list holds exactly the reference's (i, j, image) entries, without duplicates; entries
 * within 1e-4 Å of the list cutoff may differ (f32 vs f64 rounding).
 */
function expectSameLists(
  gpu: { ptr: Int32Array; neighbors: Int32Array; images: Int8Array },
  batch: Batch,
  cutoff: number,
): number {
  const ref = referenceEntries(batch, cutoff);
  const mine = new Set<string>();
  for (let i = 0; i < batch.nAtoms; i++) {
    for (let k = gpu.ptr[i]!; k < gpu.ptr[i + 1]!; k++) {
      const key = entryKey(i, gpu.neighbors[k]!, gpu.images.subarray(3 * k, 3 * k + 3));
      expect(mine.has(key), `duplicate entry ${key}`).toBe(false);
      mine.add(key);
    }
  }
  for (const key of mine) {
    if (ref.has(key)) continue;
    // Not in the reference: must be an f32 rounding at the cutoff.
    const [i, j, na, nb, nc] = key.split(' ').map(Number) as [number, number, number, number, number];
    const s = batch.atomsPtr.findLastIndex((p) => p <= i);
    const shift = cartesian(batch.cells.subarray(9 * s, 9 * s + 9), [na, nb, nc]);
    const r = Math.hypot(
      ...[0, 1, 2].map((a) => batch.positions[3 * i + a]! - batch.positions[3 * j + a]! - shift[a]!),
    );
    expect(Math.abs(r - cutoff), `entry ${key} (r = ${r} Å) is not within the list cutoff`).toBeLessThan(
      1e-4,
    );
  }
  for (const [key, r] of ref) {
    if (!mine.has(key)) expect(Math.abs(r - cutoff), `entry ${key} (r = ${r} Å) missing`).toBeLessThan(1e-4);
  }
  expect(ref.size).toBeGreaterThan(0);
  return ref.size;
}

async function compute(engine: WebGpuEngine): Promise<void> {
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
    ['triclinic (parity structure: sheared, rotated, restricted)', () => parityStructure(LJ, 'triclinic', 3)],
    ['cell smaller than 2 × cutoff (parity structure)', () => parityStructure(LJ, 'small', 4)],
    ['one fcc cell of 4 atoms (list cutoff 1.8 cell heights: images ±2, own images)', () => argonFcc(1, 0.3)],
    [
      'small triclinic cell (2×2×2 fcc, all three tilts)',
      () => sheared(argonFcc(2, 0.2, 0, 5), 0.3, -0.2, 0.25),
    ],
    ['tilted slab (xy tilt, open along z)', () => sheared(argonSlab(5, 0.2), -0.35, 0, 0)],
    [
      'triclinic, small and orthorhombic systems in one batch',
      () =>
        concatenateBatches([
          sheared(argonFcc(2, 0.2, 0, 6), 0.4, 0.1, -0.3),
          argonFcc(1, 0.2, 0, 7),
          argonFcc(4, 0.2, 0, 8),
        ]),
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
        // The build wrapped every position into its (triclinic) cell along periodic axes.
        for (let s = 0; s < batch.nSystems; s++) {
          const begin = batch.atomsPtr[s]!;
          const end = batch.atomsPtr[s + 1]!;
          const f = fractional(
            batch.cells.subarray(9 * s, 9 * s + 9),
            atoms.positions.subarray(3 * begin, 3 * end),
          );
          for (let k = 0; k < f.length; k++) {
            if (!batch.pbc[3 * s + (k % 3)]) continue;
            expect(f[k]).toBeGreaterThanOrEqual(-1e-6);
            expect(f[k]).toBeLessThanOrEqual(1 + 1e-6);
          }
        }
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
