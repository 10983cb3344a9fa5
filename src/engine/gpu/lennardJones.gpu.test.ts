import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LennardJonesSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import { lennardJonesReference } from '../reference/lennardJones.ts';
import { createGpuEngine } from './engine.ts';
import {
  ARGON,
  argonFcc,
  argonRandom,
  argonSlab,
  concatenateBatches,
  expectClose,
  expectForcesClose,
  testDevice,
  withErrorScopes,
  withNullAtoms,
} from './testing.ts';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device.destroy());

/** Evaluates forces once on the GPU and compares everything with the f64 reference. */
async function compareWithReference(batch: Batch, potential: LennardJonesSpec, skin = 1): Promise<void> {
  await withErrorScopes(device, async () => {
    const engine = await createGpuEngine(device, batch, potential, { skin });
    const encoder = device.createCommandEncoder();
    engine.encodeCompute(encoder);
    engine.encodeStats(encoder);
    device.queue.submit([encoder.finish()]);
    const stats = await engine.readStats();
    const atoms = await engine.readAtoms();
    const ref = lennardJonesReference(batch, potential);
    expectForcesClose(atoms.forces, ref, 'LJ');
    const eScale = Math.max(...ref.energies.map(Math.abs));
    expectClose(atoms.energies, ref.energies, 1e-5 * eScale, 1e-5, 'per-atom energy');
    expectClose(stats.potentialEnergy, ref.energy, 0, 1e-5, 'total energy');
    expectClose(stats.virial, ref.virial, 5e-4, 0, 'virial');
    for (let i = 0; i < batch.nAtoms; i++) {
      if (batch.types[i] === -1) {
        expect([
          atoms.forces[3 * i],
          atoms.forces[3 * i + 1],
          atoms.forces[3 * i + 2],
          atoms.energies[i],
        ]).toEqual([0, 0, 0, 0]);
      }
    }
    engine.destroy();
  });
}

describe('Lennard-Jones on the GPU vs the f64 reference', () => {
  test('fcc argon with jitter, 6×6×6 cells (cell-list path), shifted', async () => {
    await compareWithReference(argonFcc(6, 0.2), ARGON);
  });

  test('fcc argon with jitter, 4×4×4 cells (box 2.2 list cutoffs: images through the stencil), unshifted', async () => {
    await compareWithReference(argonFcc(4, 0.2, 0, 3), { ...ARGON, shift: false });
  });

  test('random liquid-like configuration, unshifted', async () => {
    await compareWithReference(argonRandom(600, [30, 31, 32], 5), { ...ARGON, shift: false });
  });

  test('slab with vacuum (open along z)', async () => {
    await compareWithReference(argonSlab(6, 0.1), ARGON);
  });

  test('NULL atoms are invisible to the potential', async () => {
    await compareWithReference(withNullAtoms(argonFcc(6, 0.2, 0, 4), 7, 3), ARGON);
  });

  test('two systems of different sizes in one batch', async () => {
    const batch = concatenateBatches([
      argonFcc(4, 0.15, 0, 5),
      argonRandom(700, [33, 34, 35], 6),
      argonSlab(5, 0.1),
    ]);
    await compareWithReference(batch, ARGON);
  });

  test('unsupported input is refused with a clear error', async () => {
    // A periodic height of 3 Å: cutoff + skin = 9.5 Å reaches past 3 images.
    const thin = argonFcc(4, 0);
    thin.cells[8] = 3;
    await expect(createGpuEngine(device, thin, ARGON, { skin: 1 })).rejects.toThrow(/past 3 periodic images/);
    const general = argonFcc(4, 0);
    general.cells[1] = 1;
    await expect(createGpuEngine(device, general, ARGON, { skin: 1 })).rejects.toThrow(
      /restricted triclinic/,
    );
    const tiltedOpen = argonFcc(4, 0);
    tiltedOpen.cells[6] = 2;
    tiltedOpen.pbc[2] = 0;
    await expect(createGpuEngine(device, tiltedOpen, ARGON, { skin: 1 })).rejects.toThrow(
      /periodic along its tilted vectors/,
    );
  });
});
