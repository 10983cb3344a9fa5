// The spatial sort of the neighbor-list rebuild permutes the atoms' rows on the GPU: read-backs,
// writeAtoms and the Langevin random numbers must not see it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StageSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import { cloneBatch } from '../batch.ts';
import { langevinStep } from '../reference/dynamics.ts';
import { type ForceResult, lennardJonesReference } from '../reference/lennardJones.ts';
import { neighborListReference } from '../reference/neighborList.ts';
import { createGpuEngine, type WebGpuEngine } from './engine.ts';
import {
  ARGON,
  argonFcc,
  argonRandom,
  batchAt,
  concatenateBatches,
  expectClose,
  expectForcesClose,
  expectPositionsClose,
  testDevice,
  withErrorScopes,
  withNullAtoms,
  withVelocities,
} from './testing.ts';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device.destroy());

const forceFn = (b: Batch): ForceResult => lennardJonesReference(b, ARGON);

async function compute(engine: WebGpuEngine): Promise<void> {
  const encoder = device.createCommandEncoder();
  engine.encodeCompute(encoder);
  device.queue.submit([encoder.finish()]);
  await device.queue.onSubmittedWorkDone();
}

function expectPermutation(original: Uint32Array, batch: Batch): void {
  expect([...original].sort((a, b) => a - b)).toEqual(Array.from({ length: batch.nAtoms }, (_, i) => i));
  // Each system's atoms stay in its row range.
  for (let s = 0; s < batch.nSystems; s++) {
    for (let k = batch.atomsPtr[s]!; k < batch.atomsPtr[s + 1]!; k++) {
      expect(original[k]!).toBeGreaterThanOrEqual(batch.atomsPtr[s]!);
      expect(original[k]!).toBeLessThan(batch.atomsPtr[s + 1]!);
    }
  }
}

/** Two systems, one liquid-like, one crystal with NULL atoms and velocities. */
function mixedBatch(): Batch {
  return concatenateBatches([
    withVelocities(argonRandom(600, [36, 30, 33], 31), 90, 31),
    withNullAtoms(withVelocities(argonFcc(4, 0.2, 0, 32), 60, 32), 7, 3),
  ]);
}

describe('spatial order of the atom rows', () => {
  test('a build sorts the rows (deterministically); read-backs keep the original order', async () => {
    const batch = mixedBatch();
    await withErrorScopes(device, async () => {
      const engine = await createGpuEngine(device, batch, ARGON, { skin: 1 });
      await compute(engine);
      const original = await engine.readOriginalIndex();
      expectPermutation(original, batch);
      expect([...original]).not.toEqual(Array.from({ length: batch.nAtoms }, (_, i) => i));
      const atoms = await engine.readAtoms();
      expectPositionsClose(atoms.positions, batch, 1e-5, 'read back');
      expectClose(atoms.velocities, batch.velocities, 1e-7, 1e-6, 'velocities');
      const ref = forceFn(batch);
      expectForcesClose(atoms.forces, ref, 'sorted');
      expectClose(atoms.energies, ref.energies, 1e-6, 1e-4, 'per-atom energies');
      // The same batch gives the same order and bit-identical forces.
      const again = await createGpuEngine(device, batch, ARGON, { skin: 1 });
      await compute(again);
      expect([...(await again.readOriginalIndex())]).toEqual([...original]);
      expect((await again.readAtoms()).forces).toEqual(atoms.forces);
      again.destroy();
      engine.destroy();
    });
  });

  test('writeAtoms after a sort takes atoms in original order', async () => {
    const batch = mixedBatch();
    const moved = cloneBatch(batch);
    // A different configuration: the liquid shifted by half a box along x, new velocities.
    for (let i = 0; i < 600; i++) moved.positions[3 * i]! += 18;
    for (let k = 0; k < moved.velocities.length; k++) moved.velocities[k] = 1e-3 * Math.sin(k);
    await withErrorScopes(device, async () => {
      const engine = await createGpuEngine(device, batch, ARGON, { skin: 1 });
      await compute(engine);
      engine.writeAtoms(moved.positions, moved.velocities);
      await compute(engine);
      expect(await engine.readRebuildCount()).toBe(2);
      const atoms = await engine.readAtoms();
      expectPositionsClose(atoms.positions, moved, 1e-5, 'written');
      expectClose(atoms.velocities, moved.velocities, 1e-9, 1e-6, 'written velocities');
      expectForcesClose(atoms.forces, forceFn(moved), 'written');
      // The order is a function of the positions alone: as a fresh engine on the moved batch.
      const fresh = await createGpuEngine(device, moved, ARGON, { skin: 1 });
      await compute(fresh);
      expect([...(await engine.readOriginalIndex())]).toEqual([...(await fresh.readOriginalIndex())]);
      fresh.destroy();
      engine.destroy();
    });
  });

  test('Langevin keeps the reference random numbers across rebuilds that permute the rows', async () => {
    // Hot, with a small skin: the list is rebuilt (and the rows re-sorted) several times.
    const batch = withVelocities(argonRandom(500, [36, 30, 33], 33), 300, 33);
    const params = { dt: 5, temperature: 300, friction: 0.02, seed: 11 };
    const stage = StageSpec.parse({ kind: 'langevin', steps: 20, ...params });
    await withErrorScopes(device, async () => {
      const engine = await createGpuEngine(device, batch, ARGON, { skin: 0.3 });
      engine.writeStatus(new Int32Array(1));
      engine.resetStepCounters();
      await compute(engine);
      const before = await engine.readOriginalIndex();
      const langevin = engine.createDynamics(stage);
      const encoder = device.createCommandEncoder();
      for (let k = 0; k < 20; k++) {
        langevin.encodePreUpdate(encoder, 0);
        engine.encodeCompute(encoder);
        langevin.encodePostUpdate(encoder, 0);
      }
      device.queue.submit([encoder.finish()]);
      const ref = cloneBatch(batch);
      let forces = forceFn(ref);
      for (let k = 0; k < 20; k++) forces = langevinStep(ref, forces, forceFn, { ...params, step: k });
      expect(await engine.readRebuildCount()).toBeGreaterThanOrEqual(3);
      expect([...(await engine.readOriginalIndex())]).not.toEqual([...before]);
      const atoms = await engine.readAtoms();
      expectPositionsClose(atoms.positions, ref, 1e-4, 'Langevin 20 steps');
      expectClose(atoms.velocities, ref.velocities, 1e-6, 1e-3, 'Langevin 20 steps velocities');
      expectForcesClose(atoms.forces, forces, 'Langevin 20 steps');
      // The list, read by original index, holds every pair within the cutoff now (Verlet guarantee).
      const list = await engine.readNeighborList();
      const within = neighborListReference(batchAt(batch, atoms.positions), ARGON.cutoff);
      for (let i = 0; i < batch.nAtoms; i++) {
        const row = new Set(list.neighbors.subarray(list.ptr[i], list.ptr[i + 1]));
        for (const j of within.neighbors.subarray(within.ptr[i], within.ptr[i + 1]))
          expect(row.has(j)).toBe(true);
      }
      langevin.destroy();
      engine.destroy();
    });
  });
});
