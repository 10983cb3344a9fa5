/**
 * Lennard-Jones on the GPU against the f64 reference on the six structures of the LAMMPS parity
 * matrix (crystal, liquid, slab with vacuum, triclinic cell, a cell smaller than twice the cutoff,
 * NULL atoms): energies, per-atom energies, forces, per-atom virials, virial and stress within
 * DESIGN §3, and 100 velocity-Verlet steps with positions within 1e-3 Å of the reference's.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StageSpec } from '../../io/spec.ts';
import { type Batch, cloneBatch } from '../batch.ts';
import { nveStep } from '../reference/dynamics.ts';
import { evaluateReference } from '../reference/evaluate.ts';
import type { ForceResult } from '../reference/forceResult.ts';
import { PARITY_STRUCTURES, parityCases } from '../structures/parityCases.ts';
import { createGpuEngine } from './engine.ts';
import {
  expectClose,
  expectForcesClose,
  expectPositionsClose,
  testDevice,
  withErrorScopes,
} from './testing.ts';

const SKIN = 1;

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device.destroy());

const ljCases = parityCases().filter((c) => c.potential.kind === 'lennard-jones');

test('the LJ rows cover all six structures', () => {
  expect(ljCases.map((c) => c.structure)).toEqual([...PARITY_STRUCTURES]);
});

/** Per-atom virials within 5e-4 eV (DESIGN §3's virial tolerance) plus 1e-3 relative. */
function expectVirialsClose(
  gpu: ArrayLike<number>,
  ref: ForceResult,
  volume: number,
  stress: ArrayLike<number>,
) {
  expectClose(gpu, ref.atomVirial, 5e-4, 1e-3, 'per-atom virial');
  // σ = −W/V: the virial tolerance divided by the volume.
  expectClose(stress, ref.stress, 5e-4 / volume, 1e-5, 'stress');
}

describe('LJ on the GPU vs the f64 reference on the parity structures', () => {
  for (const c of ljCases) {
    test(c.name, async () => {
      const batch = c.build();
      await withErrorScopes(device, async () => {
        const engine = await createGpuEngine(device, batch, c.potential, { skin: SKIN });
        const encoder = device.createCommandEncoder();
        engine.encodeCompute(encoder);
        engine.encodeStats(encoder);
        device.queue.submit([encoder.finish()]);
        const stats = await engine.readStats();
        const atoms = await engine.readAtoms();
        const ref = evaluateReference(batch, c.potential);
        expectForcesClose(atoms.forces, ref, c.name);
        const eScale = Math.max(...ref.energies.map(Math.abs));
        expectClose(atoms.energies, ref.energies, 1e-5 * eScale, 1e-5, 'per-atom energy');
        expectClose(stats.potentialEnergy, ref.energy, 0, 1e-5, 'energy');
        expectClose(stats.virial, ref.virial, 5e-4, 1e-5, 'virial');
        const volume = batch.cells[0]! * batch.cells[4]! * batch.cells[8]!;
        expect(atoms.virials).toBeDefined();
        expect(stats.stress).toBeDefined();
        expectVirialsClose(atoms.virials!, ref, volume, stats.stress!);
        // Σ_i W_i = W.
        const sum = new Float64Array(6);
        for (let i = 0; i < batch.nAtoms; i++)
          for (let k = 0; k < 6; k++) sum[k]! += atoms.virials![6 * i + k]!;
        const w = ref.virial;
        expectClose(sum, [w[0]!, w[4]!, w[8]!, w[1]!, w[2]!, w[5]!], 5e-4, 1e-5, 'Σ per-atom virial');
        for (let i = 0; i < batch.nAtoms; i++) {
          if (batch.types[i] !== -1) continue;
          expect([...atoms.forces.subarray(3 * i, 3 * i + 3), atoms.energies[i]]).toEqual([0, 0, 0, 0]);
          expect([...atoms.virials!.subarray(6 * i, 6 * i + 6)]).toEqual([0, 0, 0, 0, 0, 0]);
        }
        engine.destroy();
      });
    });
  }
});

describe('100 NVE steps on the GPU vs the f64 reference on the parity structures', () => {
  for (const c of ljCases) {
    test(c.name, async () => {
      const batch = c.build();
      const dt = c.material.dt;
      const steps = 100;
      await withErrorScopes(device, async () => {
        const engine = await createGpuEngine(device, batch, c.potential, { skin: SKIN });
        engine.writeStatus(new Int32Array(batch.nSystems));
        engine.resetStepCounters();
        const nve = engine.createDynamics(StageSpec.parse({ kind: 'nve', steps, dt }));
        const encoder = device.createCommandEncoder();
        engine.encodeCompute(encoder);
        for (let k = 0; k < steps; k++) {
          nve.encodePreUpdate(encoder, 0);
          engine.encodeCompute(encoder);
          nve.encodePostUpdate(encoder, 0);
        }
        device.queue.submit([encoder.finish()]);
        const ref: Batch = cloneBatch(batch);
        const forceFn = (b: Batch) => evaluateReference(b, c.potential);
        let forces = forceFn(ref);
        for (let k = 0; k < steps; k++) forces = nveStep(ref, forces, forceFn, dt);
        const atoms = await engine.readAtoms();
        expect(await engine.readRebuildCount()).toBeGreaterThanOrEqual(1);
        expect(engine.neighborOverflows).toBe(0);
        expectPositionsClose(atoms.positions, ref, 1e-3, `${c.name} after ${steps} steps`);
        nve.destroy();
        engine.destroy();
      });
    });
  }
});
