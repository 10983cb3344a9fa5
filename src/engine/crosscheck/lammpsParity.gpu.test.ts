/**
 * The GPU engine against LAMMPS on the issue-3 parity matrix (structures/parityCases.ts): for every
 * potential the GPU supports, on bulk crystal, liquid, slab with vacuum, triclinic cell, a cell
 * smaller than twice the cutoff and NULL atoms: `run 0` (energy, per-atom energies, forces, virial,
 * per-atom virials, stress) within DESIGN §3's f32 tolerances, and 100 velocity-Verlet steps with
 * positions within 1e-3 Å of LAMMPS's `fix nve`. LAMMPS runs on the test server through the
 * `lammpsEvaluate` and `lammpsNve` browser commands (scripts/lammps.ts, vitest.config.ts).
 *
 * The table lists only potentials the GPU engine has: a potential joins it when its GPU kernels
 * exist (nothing is skipped).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commands } from 'vitest/browser';
import type { LammpsPotential } from '../../../scripts/lammpsPair.ts';
import { type PotentialSpec, StageSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import { cellVolume } from '../cell.ts';
import { createGpuEngine } from '../gpu/engine.ts';
import { displacements, nullAtoms, tablesOf, withFileMasses } from '../gpu/potentialTesting.ts';
import { expectClose, testDevice, withErrorScopes } from '../gpu/testing.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import { PARITY_MATERIALS, parityCases } from '../structures/parityCases.ts';
import { fromPlainForceResult, toPlainBatch } from './plain.ts';

/** Potential kinds with GPU kernels: their rows of the parity matrix run here. */
const GPU_POTENTIALS: ReadonlySet<PotentialSpec['kind']> = new Set(['lennard-jones', 'morse', 'eam']);

const SKIN = 1;
const NVE_STEPS = 100;

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device.destroy());

function lammpsPotential(p: PotentialSpec): LammpsPotential {
  if (p.kind === 'gnn') throw new Error('LAMMPS has no pair style for the GNN potential');
  if (p.kind !== 'eam') return p;
  return {
    kind: 'eam',
    style: p.style,
    file: p.file,
    elements: p.elements,
    ...(p.files ? { files: p.files } : {}),
  };
}

function engineOptions(tables: EamTabulation | undefined) {
  return { skin: SKIN, ...(tables ? { tables } : {}) };
}

const cases = parityCases().filter((c) => GPU_POTENTIALS.has(c.potential.kind));

test('the table holds all six structures of every material of a GPU potential', () => {
  const materials = PARITY_MATERIALS.filter((m) => GPU_POTENTIALS.has(m.potential.kind));
  expect(materials.length).toBe(5);
  expect(cases.length).toBe(6 * materials.length);
});

describe('GPU vs LAMMPS: run 0 and 100 NVE steps on the parity structures', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const tables = await tablesOf(c.potential);
      const batch: Batch = withFileMasses(c.build(), tables);
      const lp = lammpsPotential(c.potential);
      const lammps = fromPlainForceResult(await commands.lammpsEvaluate(toPlainBatch(batch), lp));
      await withErrorScopes(device, async () => {
        const engine = await createGpuEngine(device, batch, c.potential, engineOptions(tables));
        engine.writeStatus(new Int32Array(batch.nSystems));
        engine.resetStepCounters();
        const encoder = device.createCommandEncoder({ label: 'run 0' });
        engine.encodeCompute(encoder);
        engine.encodeStats(encoder);
        device.queue.submit([encoder.finish()]);
        const stats = await engine.readStats();
        const atoms = await engine.readAtoms();
        // DESIGN §3, f32 against f64.
        expect(Math.max(...lammps.forces.map(Math.abs)), 'forces worth comparing').toBeGreaterThan(1e-2);
        expectClose(atoms.forces, lammps.forces, 1e-4, 1e-3, `${c.name} forces`);
        const eScale = Math.max(...lammps.energies.map(Math.abs));
        expectClose(atoms.energies, lammps.energies, 1e-5 * eScale, 1e-5, `${c.name} per-atom energy`);
        expectClose(stats.potentialEnergy, lammps.energy, 0, 1e-5, `${c.name} energy`);
        expectClose(stats.virial, lammps.virial, 5e-4, 1e-5, `${c.name} virial`);
        expectClose(atoms.virials ?? [], lammps.atomVirial, 5e-4, 1e-3, `${c.name} per-atom virial`);
        const volume = cellVolume(batch.cells.subarray(0, 9));
        expectClose(stats.stress ?? [], lammps.stress, 5e-4 / volume, 1e-5, `${c.name} stress`);
        const isNull = nullAtoms(batch, tables);
        for (let i = 0; i < batch.nAtoms; i++) {
          if (!isNull(i)) continue;
          expect([...atoms.forces.subarray(3 * i, 3 * i + 3), atoms.energies[i]]).toEqual([0, 0, 0, 0]);
        }

        // 100 steps of velocity Verlet against LAMMPS's fix nve from the same start.
        const nve = engine.createDynamics(
          StageSpec.parse({ kind: 'nve', steps: NVE_STEPS, dt: c.material.dt }),
        );
        const steps = device.createCommandEncoder({ label: 'nve' });
        for (let k = 0; k < NVE_STEPS; k++) {
          nve.encodePreUpdate(steps, 0);
          engine.encodeCompute(steps);
          nve.encodePostUpdate(steps, 0);
        }
        device.queue.submit([steps.finish()]);
        const end = await engine.readAtoms();
        expect(engine.neighborOverflows).toBe(0);
        const ref = await commands.lammpsNve(toPlainBatch(batch), 0, lp, c.material.dt, NVE_STEPS);
        const moved = displacements(batch, ref.positions, batch.positions);
        expect(Math.max(...moved.map(Math.abs)), 'atoms moved').toBeGreaterThan(0.05);
        const deviation = displacements(batch, end.positions, ref.positions);
        const energyError =
          Math.abs(stats.potentialEnergy[0]! - lammps.energy[0]!) / Math.abs(lammps.energy[0]!);
        const forceError = Math.max(...atoms.forces.map((f, k) => Math.abs(f - lammps.forces[k]!)));
        console.info(
          `${c.name}: energy ${energyError.toExponential(1)} rel, forces ${forceError.toExponential(1)} eV/Å, ` +
            `positions after ${NVE_STEPS} steps ${Math.max(...deviation.map(Math.abs)).toExponential(1)} Å`,
        );
        expectClose(
          deviation,
          new Float64Array(3 * batch.nAtoms),
          1e-3,
          0,
          `${c.name} positions after ${NVE_STEPS} steps`,
        );
        nve.destroy();
        engine.destroy();
      });
    });
  }
});
