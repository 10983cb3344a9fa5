/**
 * The ASE bridge (scripts/ase.ts, tools/ase/ase_bridge.py) against the f64 reference: its unit
 * conversions (fs ↔ ASE time, Å/fs velocities) and the claim that ASE's massless FIRE with dt in fs
 * is our mass-weighted FIRE with masses of 1 amu. f64 on both sides, so only rounding separates them.
 */
import { describe, expect, test } from 'vitest';
import type { Batch } from '../src/engine/batch.ts';
import { cloneBatch } from '../src/engine/batch.ts';
import { fireMinimize, nveStep } from '../src/engine/reference/dynamics.ts';
import { lennardJonesReference } from '../src/engine/reference/lennardJones.ts';
import {
  buildClusters,
  mulberry32,
  randomPositions,
  setMaxwellBoltzmann,
} from '../src/engine/structures/index.ts';
import { ClustersSystemSpec } from '../src/io/spec.ts';
import { aseFire, aseVelocityVerlet } from './ase.ts';

const LJ = { epsilon: 0.0104, sigma: 3.4, cutoff: 8.5 } as const;
const SHIFTED = { ...LJ, shift: true } as const;
/** One ASE time unit in fs. */
const U = 10.1805056712;

describe('ASE bridge vs the f64 reference', () => {
  test("ASE's FIRE on 4 small clusters takes the reference FIRE's steps to the same energy (masses 1 amu)", async () => {
    const batch = buildClusters(
      ClustersSystemSpec.parse({ kind: 'clusters', count: 4, minAtoms: 13, maxAtoms: 30 }),
    );
    batch.masses.fill(1);
    const p = { dt: 0.1 * U, dtMax: U, maxStep: 0.2, fmax: 1e-3, steps: 5000 };
    const ase = await aseFire(batch, LJ, p);
    for (let s = 0; s < batch.nSystems; s++) {
      const begin = batch.atomsPtr[s]!;
      const n = batch.atomsPtr[s + 1]! - begin;
      const one: Batch = {
        ...cloneBatch(batch),
        nAtoms: n,
        nSystems: 1,
        atomsPtr: Int32Array.of(0, n),
        positions: batch.positions.slice(3 * begin, 3 * (begin + n)),
        velocities: new Float64Array(3 * n),
        masses: new Float64Array(n).fill(1),
        types: new Int32Array(n),
        atomicNumbers: batch.atomicNumbers.slice(begin, begin + n),
        cells: batch.cells.slice(9 * s, 9 * s + 9),
        pbc: batch.pbc.slice(3 * s, 3 * s + 3),
        systemIds: Int32Array.of(s),
      };
      const ref = fireMinimize(one, (b) => lennardJonesReference(b, SHIFTED), { ...p, maxSteps: p.steps });
      const a = ase.systems[s]!;
      expect(a.converged && ref.converged).toBe(true);
      expect(a.steps).toBe(ref.steps);
      expect(Math.abs(a.energy - ref.energy[0]!)).toBeLessThan(1e-9);
      expect(a.positions?.length).toBe(3 * n);
    }
  });

  test("ASE's VelocityVerlet follows the reference's for 50 steps of 5 fs (Å/fs velocities, argon masses)", async () => {
    const n = 60;
    const box = 18;
    const batch: Batch = {
      nAtoms: n,
      nSystems: 1,
      atomsPtr: Int32Array.of(0, n),
      positions: randomPositions(n, [box, box, box], 3.2, 3),
      velocities: new Float64Array(3 * n),
      masses: new Float64Array(n).fill(39.948),
      types: new Int32Array(n),
      atomicNumbers: new Int32Array(n).fill(18),
      cells: Float64Array.of(box, 0, 0, 0, box, 0, 0, 0, box),
      pbc: Uint8Array.of(1, 1, 1),
      systemIds: Int32Array.of(0),
    };
    setMaxwellBoltzmann(batch, 150, mulberry32(4));
    const ase = await aseVelocityVerlet(batch, 0, LJ, 5, 50);
    const ref = cloneBatch(batch);
    let f = lennardJonesReference(ref, SHIFTED);
    for (let k = 0; k < 50; k++) f = nveStep(ref, f, (b) => lennardJonesReference(b, SHIFTED), 5);
    let dx = 0;
    let dv = 0;
    let moved = 0;
    for (let k = 0; k < 3 * n; k++) {
      // ASE does not wrap; the reference may: compare modulo the box.
      const d = ase.positions[k]! - ref.positions[k]!;
      dx = Math.max(dx, Math.abs(d - box * Math.round(d / box)));
      dv = Math.max(dv, Math.abs(ase.velocities[k]! - ref.velocities[k]!));
      moved = Math.max(moved, Math.abs(ase.positions[k]! - batch.positions[k]!));
    }
    // ASE 3.22 converts eV/(Å·amu) with CODATA 2014, we with CODATA 2018: 1.6e-8 relative apart.
    expect(moved).toBeGreaterThan(0.1);
    expect(dx).toBeLessThan(1e-7);
    expect(dv).toBeLessThan(1e-9);
    expect(Math.abs(ase.energy - f.energy[0]!)).toBeLessThan(1e-8);
  });
});
