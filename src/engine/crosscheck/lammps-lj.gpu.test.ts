/**
 * The WebGPU Lennard-Jones kernels (neighbor list + forces + reductions) against LAMMPS, an
 * independent implementation: energies, per-atom energies, forces and virials within the f32
 * tolerances of DESIGN §3. LAMMPS runs on the test server through the `lammpsLennardJones` browser
 * command (scripts/lammps.ts, registered in vitest.config.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commands } from 'vitest/browser';
import type { Batch } from '../batch.ts';
import { requestGpuDevice } from '../device.ts';
import { createGpuEngine } from '../gpu/engine.ts';
import {
  type ForceResult,
  type LennardJonesParams,
  lennardJonesPairEnergy,
} from '../reference/lennardJones.ts';
import { cellLengths, minimumImageDelta, periodicAxes } from '../reference/pbc.ts';
import { fromPlainForceResult, toPlainBatch } from './plain.ts';
import { ARGON, crossCheckStructures } from './structures.ts';

/** DESIGN §3: f32 kernels vs an f64 reference. */
const ENERGY_RELATIVE = 1e-5;
const FORCE_ABSOLUTE = 1e-4; // eV/Å
const FORCE_RELATIVE = 1e-3;
const VIRIAL_ABSOLUTE = 5e-4; // eV

let device: GPUDevice;

beforeAll(async () => {
  device = (await requestGpuDevice()).device;
});

afterAll(() => {
  device.destroy();
});

/** Energies, per-atom energies, forces and virials from one GPU force evaluation. */
async function gpuForces(
  batch: Batch,
  p: LennardJonesParams,
): Promise<Pick<ForceResult, 'energy' | 'energies' | 'forces' | 'virial'> & { maxForce: number }> {
  device.pushErrorScope('validation');
  const engine = await createGpuEngine(device, batch, { kind: 'lennard-jones', ...p }, { skin: 1 });
  try {
    const encoder = device.createCommandEncoder({ label: 'crosscheck' });
    engine.encodeCompute(encoder);
    engine.encodeStats(encoder);
    device.queue.submit([encoder.finish()]);
    const stats = await engine.readStats();
    const atoms = await engine.readAtoms();
    const error = await device.popErrorScope();
    expect(error?.message).toBeUndefined();
    return {
      energy: stats.potentialEnergy,
      energies: Float64Array.from(atoms.energies),
      forces: Float64Array.from(atoms.forces),
      virial: stats.virial,
      maxForce: stats.maxForce[0]!,
    };
  } finally {
    engine.destroy();
  }
}

/** ½ Σ_j |V(r_ij)| per atom, eV (minimum image, same cutoff and shift): the scale of per-atom energies. */
function pairEnergyMagnitudes(batch: Batch, p: LennardJonesParams): Float64Array {
  const out = new Float64Array(batch.nAtoms);
  const lengths = cellLengths(batch, 0);
  const pbc = periodicAxes(batch, 0);
  const d = new Float64Array(3);
  const shift = p.shift ? lennardJonesPairEnergy(p.cutoff, p.epsilon, p.sigma) : 0;
  for (let i = 0; i < batch.nAtoms; i++) {
    for (let j = i + 1; j < batch.nAtoms; j++) {
      minimumImageDelta(batch.positions, i, j, lengths, pbc, d);
      const r = Math.hypot(d[0]!, d[1]!, d[2]!);
      if (r >= p.cutoff) continue;
      const v = Math.abs(lennardJonesPairEnergy(r, p.epsilon, p.sigma) - shift) / 2;
      out[i]! += v;
      out[j]! += v;
    }
  }
  return out;
}

describe('WebGPU Lennard-Jones vs LAMMPS lj/cut (argon, rc = 8.5 Å)', () => {
  for (const [name, make] of Object.entries(crossCheckStructures)) {
    for (const shift of [false, true]) {
      test(`${name}, shift ${shift}`, async () => {
        const batch = make();
        const p: LennardJonesParams = {
          epsilon: ARGON.epsilon,
          sigma: ARGON.sigma,
          cutoff: ARGON.cutoff,
          shift,
        };
        const lammps = fromPlainForceResult(await commands.lammpsLennardJones(toPlainBatch(batch), p));
        const gpu = await gpuForces(batch, p);

        const e = lammps.energy[0]!;
        expect(Math.abs(gpu.energy[0]! - e)).toBeLessThanOrEqual(ENERGY_RELATIVE * Math.abs(e));

        let worstForce = 0; // error over its allowance; ≤ 1 passes
        let fMax = 0;
        let worstEnergy = 0;
        const magnitudes = pairEnergyMagnitudes(batch, p);
        for (let i = 0; i < batch.nAtoms; i++) {
          let f2 = 0;
          for (let a = 0; a < 3; a++) {
            const want = lammps.forces[3 * i + a]!;
            const got = gpu.forces[3 * i + a]!;
            worstForce = Math.max(
              worstForce,
              Math.abs(got - want) / (FORCE_ABSOLUTE + FORCE_RELATIVE * Math.abs(want)),
            );
            f2 += want * want;
          }
          fMax = Math.max(fMax, Math.sqrt(f2));
          const ei = lammps.energies[i]!;
          // Per-atom energies: relative to the size of their pair terms, since a sum of positive and
          // negative terms can cancel to almost nothing while f32 rounding scales with the terms.
          worstEnergy = Math.max(
            worstEnergy,
            Math.abs(gpu.energies[i]! - ei) / (ENERGY_RELATIVE * magnitudes[i]! + 1e-8),
          );
        }
        expect(fMax).toBeGreaterThan(0.01); // forces worth comparing
        expect(worstForce).toBeLessThanOrEqual(1);
        expect(worstEnergy).toBeLessThanOrEqual(1);
        expect(Math.abs(gpu.maxForce - fMax)).toBeLessThanOrEqual(FORCE_ABSOLUTE + FORCE_RELATIVE * fMax);
        for (let k = 0; k < 9; k++) {
          expect(Math.abs(gpu.virial[k]! - lammps.virial[k]!)).toBeLessThanOrEqual(VIRIAL_ABSOLUTE);
        }
      });
    }
  }
});
