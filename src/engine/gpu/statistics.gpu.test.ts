import { afterAll, beforeAll, expect, test } from 'vitest';
import { lennardJonesReference } from '../reference/lennardJones.ts';
import { BOLTZMANN_EV_PER_K, KINETIC_ENERGY_EV_PER_AMU_A2_FS2 } from '../units.ts';
import { createGpuEngine } from './engine.ts';
import {
  ARGON,
  argonFcc,
  argonRandom,
  argonSlab,
  concatenateBatches,
  expectClose,
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

test('per-system reductions equal f64 sums of the same f32 data', async () => {
  // Three systems of different sizes (one spans several reduction blocks), with NULL atoms.
  const batch = concatenateBatches([
    withNullAtoms(withVelocities(argonFcc(6, 0.2, 0, 31), 120, 31), 11, 4),
    withVelocities(argonRandom(700, [34, 35, 36], 32), 300, 32),
    withVelocities(argonSlab(4, 0.1), 50, 33),
  ]);
  await withErrorScopes(device, async () => {
    const engine = await createGpuEngine(device, batch, ARGON, { skin: 1 });
    const encoder = device.createCommandEncoder();
    engine.encodeCompute(encoder);
    engine.encodeStats(encoder);
    device.queue.submit([encoder.finish()]);
    const stats = await engine.readStats();
    const atoms = await engine.readAtoms();
    const ns = batch.nSystems;
    const pe = new Float64Array(ns);
    const ke = new Float64Array(ns);
    const temperature = new Float64Array(ns);
    const maxForce = new Float64Array(ns);
    for (let s = 0; s < ns; s++) {
      const begin = batch.atomsPtr[s]!;
      const end = batch.atomsPtr[s + 1]!;
      for (let i = begin; i < end; i++) {
        const [vx, vy, vz] = atoms.velocities.subarray(3 * i, 3 * i + 3);
        const [fx, fy, fz] = atoms.forces.subarray(3 * i, 3 * i + 3);
        pe[s]! += atoms.energies[i]!;
        ke[s]! +=
          0.5 * batch.masses[i]! * (vx! ** 2 + vy! ** 2 + vz! ** 2) * KINETIC_ENERGY_EV_PER_AMU_A2_FS2;
        if (batch.types[i] !== -1) maxForce[s] = Math.max(maxForce[s]!, Math.hypot(fx!, fy!, fz!));
      }
      temperature[s] = (2 * ke[s]!) / (3 * (end - begin) * BOLTZMANN_EV_PER_K);
    }
    expectClose(stats.potentialEnergy, pe, 0, 2e-6, 'potential energy');
    expectClose(stats.kineticEnergy, ke, 0, 2e-6, 'kinetic energy');
    expectClose(stats.temperature, temperature, 0, 2e-6, 'temperature');
    expectClose(stats.maxForce, maxForce, 0, 1e-6, 'max force');
    expectClose(stats.virial, lennardJonesReference(batch, ARGON).virial, 5e-4, 0, 'virial');
    expect(Math.min(...ke)).toBeGreaterThan(0);
    engine.destroy();
  });
});
