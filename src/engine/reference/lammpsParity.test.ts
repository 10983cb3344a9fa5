/**
 * LAMMPS parity of the f64 references (issue 3): every case of structures/parityCases.ts, `run 0`
 * (energy, forces, per-atom energies, per-atom virials, virial, stress) and a 100-step NVE
 * trajectory (velocity Verlet vs LAMMPS `fix nve`), f64 against f64.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { lammpsEvaluate, lammpsNve } from '../../../scripts/lammps.ts';
import type { LammpsPotential } from '../../../scripts/lammpsPair.ts';
import { parseEamPotential } from '../../io/lammpsPotential.ts';
import type { PotentialSpec } from '../../io/spec.ts';
import { type Batch, cloneBatch } from '../batch.ts';
import { type EamTabulation, eamTabulation } from '../potentials/eamTabulation.ts';
import { parityCases } from '../structures/parityCases.ts';
import { nveStep } from './dynamics.ts';
import { evaluateReference } from './evaluate.ts';
import type { ForceResult } from './forceResult.ts';

const NVE_STEPS = 100;

/** LAMMPS's tables of an EAM spec, from the files of Debian's lammps-data. */
function tabulate(p: PotentialSpec): EamTabulation | undefined {
  if (p.kind !== 'eam') return undefined;
  const names = p.files ?? [p.file];
  const files = names.map((f) => parseEamPotential(readFileSync(f, 'utf8'), f, p.style));
  return eamTabulation(files, p.style, p.elements);
}

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

/** LAMMPS sets per-type masses from EAM files; the reference must integrate with the same masses. */
function useFileMasses(batch: Batch, tables: EamTabulation | undefined): void {
  if (!tables) return;
  for (let i = 0; i < batch.nAtoms; i++) {
    const t = batch.types[i]!;
    const m = t >= 0 ? tables.masses[t] : undefined;
    if (m !== undefined && m > 0) batch.masses[i] = m;
  }
}

/** Largest |a − b| over a range, and the largest |b|. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): { err: number; scale: number } {
  let err = 0;
  let scale = 0;
  for (let k = 0; k < b.length; k++) {
    err = Math.max(err, Math.abs(a[k]! - b[k]!));
    scale = Math.max(scale, Math.abs(b[k]!));
  }
  return { err, scale };
}

/** Difference of two position sets up to lattice translations of the system's periodic axes, Å. */
function maxDisplacement(batch: Batch, a: Float64Array, b: Float64Array): number {
  const c = batch.cells;
  let worst = 0;
  for (let i = 0; i < batch.nAtoms; i++) {
    let dx = a[3 * i]! - b[3 * i]!;
    let dy = a[3 * i + 1]! - b[3 * i + 1]!;
    let dz = a[3 * i + 2]! - b[3 * i + 2]!;
    if (batch.pbc[2]) {
      const n = Math.round(dz / c[8]!);
      dx -= n * c[6]!;
      dy -= n * c[7]!;
      dz -= n * c[8]!;
    }
    if (batch.pbc[1]) {
      const n = Math.round(dy / c[4]!);
      dx -= n * c[3]!;
      dy -= n * c[4]!;
    }
    if (batch.pbc[0]) dx -= Math.round(dx / c[0]!) * c[0]!;
    worst = Math.max(worst, Math.hypot(dx, dy, dz));
  }
  return worst;
}

function expectRun0Parity(name: string, batch: Batch, ours: ForceResult, lammps: ForceResult): void {
  const e = lammps.energy[0]!;
  const eErr = Math.abs(ours.energy[0]! - e);
  const f = maxDiff(ours.forces, lammps.forces);
  const ea = maxDiff(ours.energies, lammps.energies);
  const w = maxDiff(ours.virial, lammps.virial);
  const wa = maxDiff(ours.atomVirial, lammps.atomVirial);
  const st = maxDiff(ours.stress, lammps.stress);
  const report = `${name}: E ${e.toFixed(6)} eV, |ΔE| ${eErr.toExponential(2)}, |ΔF| ${f.err.toExponential(2)} of ${f.scale.toFixed(3)} eV/Å, |ΔE_i| ${ea.err.toExponential(2)}, |ΔW| ${w.err.toExponential(2)} of ${w.scale.toFixed(3)} eV, |ΔW_i| ${wa.err.toExponential(2)}`;
  console.log(report);
  expect(f.scale, report).toBeGreaterThan(1e-2); // forces worth comparing
  expect(w.scale, report).toBeGreaterThan(1e-3);
  // f64 against f64: only the order of the sums differs.
  expect(eErr, report).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(e)) * Math.sqrt(batch.nAtoms));
  expect(f.err, report).toBeLessThanOrEqual(1e-9 * Math.max(1, f.scale));
  expect(ea.err, report).toBeLessThanOrEqual(1e-10 * Math.max(1, ea.scale));
  expect(w.err, report).toBeLessThanOrEqual(1e-9 * Math.max(1, w.scale));
  expect(wa.err, report).toBeLessThanOrEqual(1e-9 * Math.max(1, wa.scale));
  expect(st.err, report).toBeLessThanOrEqual(1e-9 * Math.max(1e-3, st.scale));
  // Per-atom virials sum to the virial, and NULL atoms feel nothing.
  const sum = new Float64Array(6);
  for (let i = 0; i < batch.nAtoms; i++) for (let k = 0; k < 6; k++) sum[k]! += lammps.atomVirial[6 * i + k]!;
  const [xx, , , , yy, , , , zz] = lammps.virial;
  expect(
    maxDiff(sum, [xx!, yy!, zz!, lammps.virial[1]!, lammps.virial[2]!, lammps.virial[5]!]).err,
  ).toBeLessThan(1e-9 * Math.max(1, w.scale));
}

describe('f64 references vs LAMMPS: run 0 and 100 NVE steps', () => {
  for (const c of parityCases()) {
    test(c.name, async () => {
      const batch = c.build();
      const tables = tabulate(c.potential);
      useFileMasses(batch, tables);
      const lp = lammpsPotential(c.potential);
      const ours = evaluateReference(batch, c.potential, tables);
      expectRun0Parity(c.name, batch, ours, await lammpsEvaluate(batch, lp));
      for (let i = 0; i < batch.nAtoms; i++) {
        if (batch.types[i] !== -1) continue;
        expect(ours.energies[i]).toBe(0);
        expect([ours.forces[3 * i], ours.forces[3 * i + 1], ours.forces[3 * i + 2]]).toEqual([0, 0, 0]);
      }

      const lammps = await lammpsNve(batch, 0, lp, c.material.dt, NVE_STEPS);
      const traj = cloneBatch(batch);
      const forceFn = (b: Batch) => evaluateReference(b, c.potential, tables);
      let f = forceFn(traj);
      for (let step = 0; step < NVE_STEPS; step++) f = nveStep(traj, f, forceFn, c.material.dt);
      const moved = maxDisplacement(batch, traj.positions, batch.positions);
      const diff = maxDisplacement(batch, traj.positions, lammps.positions);
      console.log(
        `${c.name}: NVE ${NVE_STEPS} × ${c.material.dt} fs: atoms moved up to ${moved.toFixed(3)} Å, |Δr| ${diff.toExponential(2)} Å`,
      );
      expect(moved).toBeGreaterThan(0.05); // the atoms went somewhere
      expect(diff).toBeLessThanOrEqual(1e-3);
    });
  }
});
