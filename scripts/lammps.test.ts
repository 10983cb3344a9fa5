import { describe, expect, test } from 'vitest';
import { type Batch, singleSystemBatch } from '../src/engine/batch.ts';
import { ARGON, crossCheckStructures } from '../src/engine/crosscheck/structures.ts';
import { type ForceResult, lennardJonesReference } from '../src/engine/reference/lennardJones.ts';
import { lammpsDataFile, lammpsLennardJones, runLammps } from './lammps.ts';

/** f64 vs f64: both sides sum the same pairs in a different order, so only rounding separates them. */
function expectClose(ours: ForceResult, lammps: ForceResult, batch: Batch): void {
  for (let s = 0; s < batch.nSystems; s++) {
    const e = lammps.energy[s]!;
    expect(Math.abs(ours.energy[s]! - e)).toBeLessThanOrEqual(1e-9 * Math.abs(e) + 1e-12);
    const wScale = Math.max(...Array.from(lammps.virial.subarray(9 * s, 9 * s + 9), Math.abs));
    for (let k = 0; k < 9; k++) {
      expect(Math.abs(ours.virial[9 * s + k]! - lammps.virial[9 * s + k]!)).toBeLessThanOrEqual(
        1e-8 * wScale + 1e-12,
      );
    }
  }
  let fMax = 0;
  let fErr = 0;
  let eErr = 0;
  for (let k = 0; k < lammps.forces.length; k++) {
    fMax = Math.max(fMax, Math.abs(lammps.forces[k]!));
    fErr = Math.max(fErr, Math.abs(ours.forces[k]! - lammps.forces[k]!));
  }
  for (let i = 0; i < batch.nAtoms; i++)
    eErr = Math.max(eErr, Math.abs(ours.energies[i]! - lammps.energies[i]!));
  expect(fMax).toBeGreaterThan(1e-3); // a configuration with forces, so the comparison means something
  expect(fErr).toBeLessThanOrEqual(1e-8 * fMax);
  expect(eErr).toBeLessThanOrEqual(1e-10);
}

describe('LAMMPS lj/cut vs the f64 reference', () => {
  for (const [name, make] of Object.entries(crossCheckStructures)) {
    for (const shift of [false, true]) {
      test(`${name}, shift ${shift}`, async () => {
        const batch = make();
        const p = { epsilon: ARGON.epsilon, sigma: ARGON.sigma, cutoff: ARGON.cutoff, shift };
        const lammps = await lammpsLennardJones(batch, p);
        expectClose(lennardJonesReference(batch, p), lammps, batch);
        // Sanity of the physics, not only of agreement: argon near its lattice constant is bound.
        if (name !== 'liquid') expect(lammps.energy[0]! / batch.nAtoms).toBeLessThan(-0.05);
      });
    }
  }

  test('two systems and NULL atoms: one LAMMPS run per system, NULL atoms invisible', async () => {
    const a = crossCheckStructures.crystal();
    const b = crossCheckStructures.slab();
    const n = a.nAtoms + b.nAtoms;
    const batch: Batch = {
      nAtoms: n,
      nSystems: 2,
      atomsPtr: Int32Array.of(0, a.nAtoms, n),
      positions: Float64Array.of(...a.positions, ...b.positions),
      velocities: new Float64Array(3 * n),
      masses: Float64Array.of(...a.masses, ...b.masses),
      types: Int32Array.of(...a.types, ...b.types),
      atomicNumbers: Int32Array.of(...a.atomicNumbers, ...b.atomicNumbers),
      cells: Float64Array.of(...a.cells, ...b.cells),
      pbc: Uint8Array.of(...a.pbc, ...b.pbc),
      systemIds: Int32Array.of(0, 1),
    };
    for (const i of [3, 17, a.nAtoms + 5, n - 1]) batch.types[i] = -1;
    const p = { epsilon: ARGON.epsilon, sigma: ARGON.sigma, cutoff: ARGON.cutoff, shift: true };
    const lammps = await lammpsLennardJones(batch, p);
    expectClose(lennardJonesReference(batch, p), lammps, batch);
    for (const i of [3, 17, a.nAtoms + 5, n - 1]) {
      expect(lammps.energies[i]).toBe(0);
      expect([lammps.forces[3 * i], lammps.forces[3 * i + 1], lammps.forces[3 * i + 2]]).toEqual([0, 0, 0]);
    }
  });

  test('a pair at a known distance: energy, force and virial sign by hand', async () => {
    const r = 4.5; // beyond the minimum at 2^(1/6)·σ = 3.82 Å: attractive
    const batch = singleSystemBatch({
      positions: [1, 1, 10, 1 + r, 1, 10],
      masses: [ARGON.mass, ARGON.mass],
      cell: [20, 20, 20],
      pbc: [false, false, false],
    });
    const p = { epsilon: ARGON.epsilon, sigma: ARGON.sigma, cutoff: ARGON.cutoff, shift: false };
    const lammps = await lammpsLennardJones(batch, p);
    const sr6 = (ARGON.sigma / r) ** 6;
    const v = 4 * ARGON.epsilon * (sr6 * sr6 - sr6);
    const dvdr = (-24 * ARGON.epsilon * (2 * sr6 * sr6 - sr6)) / r;
    expect(lammps.energy[0]).toBeCloseTo(v, 14);
    expect(lammps.forces[0]).toBeCloseTo(dvdr, 12); // f_0 = −V'(r)·(x0 − x1)/r = V'(r) > 0: pulled towards +x
    expect(lammps.forces[0]!).toBeGreaterThan(0);
    // W_xx = (x0 − x1)·f_0x = −r·V'(r) (negative for attraction, as in LAMMPS).
    expect(lammps.virial[0]).toBeCloseTo(-r * dvdr, 12);
    expect(lammps.virial[0]!).toBeLessThan(0);
  });
});

describe('LAMMPS data files and runs', () => {
  test('the data file carries exact numbers and wraps periodic positions', () => {
    const batch = singleSystemBatch({
      positions: [-0.1, 0.1 + 0.2, 12.5, 3, 4, 5],
      masses: [39.948, 39.948],
      cell: [10, 10, 10],
      pbc: [true, true, false],
    });
    const text = lammpsDataFile(batch, 0);
    expect(text).toContain('2 atoms');
    expect(text).toContain('1 atom types');
    expect(text).toContain('0 10 xlo xhi');
    expect(text).toContain('-1 13.5 zlo zhi');
    expect(text).toContain(`1 1 9.9 0.30000000000000004 12.5`);
  });

  test('a missing executable is a clear error', async () => {
    await expect(runLammps({ 'in.lmp': '' }, [], { executable: 'lmp-does-not-exist' })).rejects.toThrow(
      /not found: run scripts\/ensure-system-deps\.sh/,
    );
  });

  test('a LAMMPS error quotes LAMMPS', async () => {
    await expect(runLammps({ 'in.lmp': 'units nonsense\n' }, [])).rejects.toThrow(/ERROR/);
  });
});
