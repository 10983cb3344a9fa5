import { describe, expect, it } from 'vitest';
import { type Batch, cloneBatch, singleSystemBatch } from '../batch.ts';
import { concatenateBatches } from '../structures/concatenate.ts';
import { randomPositions } from '../structures/random.ts';
import aseFixture from './fixtures/ase-lj.json';
import { type LennardJonesParams, lennardJonesPairEnergy, lennardJonesReference } from './lennardJones.ts';

const argon: LennardJonesParams = { epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: false };
const argonShifted: LennardJonesParams = { ...argon, shift: true };

/**
 * Two systems: a periodic liquid-like box (some NULL atoms) and a cluster in a box periodic along x
 * only, with atoms poking out of the open faces.
 */
function testBatch(): Batch {
  const box: [number, number, number] = [17.5, 18, 19];
  const a = singleSystemBatch({
    positions: randomPositions(40, box, 3.0, 1),
    masses: new Float64Array(40).fill(39.948),
    types: Array.from({ length: 40 }, (_, i) => (i % 9 === 4 ? -1 : 0)),
    cell: box,
    systemId: 0,
  });
  const pos = randomPositions(25, [17.2, 12, 12], 3.0, 2);
  for (let i = 0; i < 25; i++) {
    pos[3 * i + 1]! -= 1.5; // some atoms below y = 0 (open axis)
    pos[3 * i + 2]! -= 1.5;
  }
  const b = singleSystemBatch({
    positions: pos,
    masses: new Float64Array(25).fill(39.948),
    types: Array.from({ length: 25 }, (_, i) => (i === 3 ? -1 : 0)),
    cell: [17.2, 10, 10],
    pbc: [true, false, false],
    systemId: 1,
  });
  return concatenateBatches([a, b]);
}

function totalEnergy(batch: Batch, p: LennardJonesParams): number {
  return lennardJonesReference(batch, p).energy.reduce((x, y) => x + y, 0);
}

describe('lennardJonesReference', () => {
  it('gives the pair energy and force of two atoms', () => {
    const r = 3.8;
    const batch = singleSystemBatch({ positions: [0, 0, 0, r, 0, 0], masses: [40, 40], cell: [30, 30, 30] });
    const res = lennardJonesReference(batch, argonShifted);
    const sr6 = (argon.sigma / r) ** 6;
    const expected = 4 * argon.epsilon * (sr6 * sr6 - sr6) - lennardJonesPairEnergy(8.5, 0.0104, 3.4);
    expect(res.energy[0]).toBeCloseTo(expected, 15);
    expect(res.energies[0]).toBeCloseTo(expected / 2, 15);
    // −dV/dr on atom 1 (at +x): 24ε(2(σ/r)¹² − (σ/r)⁶)/r along +x.
    const f = (24 * argon.epsilon * (2 * sr6 * sr6 - sr6)) / r;
    expect(res.forces[3]).toBeCloseTo(f, 15);
    expect(res.forces[0]).toBeCloseTo(-f, 15);
    // W_xx = (x0 − x1)·f_01 = (−r)(−f) = r·f
    expect(res.virial[0]).toBeCloseTo(r * f, 15);
    // σ·2^(1/6) is the minimum: zero force there; the well depth is ε.
    const rMin = argon.sigma * 2 ** (1 / 6);
    const atMin = lennardJonesReference(
      singleSystemBatch({ positions: [0, 0, 0, 0, rMin, 0], masses: [40, 40], cell: [30, 30, 30] }),
      argon,
    );
    expect(atMin.energy[0]).toBeCloseTo(-argon.epsilon, 14);
    expect(Math.abs(atMin.forces[4]!)).toBeLessThan(1e-14);
  });

  it('ignores pairs at or beyond the cutoff and uses the minimum image', () => {
    const make = (x: number) =>
      singleSystemBatch({ positions: [0.5, 0, 0, x, 0, 0], masses: [40, 40], cell: [20, 20, 20] });
    expect(lennardJonesReference(make(9.0), argon).energy[0]).toBe(0); // r = 8.5 exactly
    // Atom 1 at x = 17 has its image at x = −3, 3.5 Å from atom 0 (inside the repulsive wall).
    const res = lennardJonesReference(make(17), argon);
    expect(res.energy[0]).toBeCloseTo(lennardJonesPairEnergy(3.5, 0.0104, 3.4), 15);
    expect(res.forces[0]!).toBeGreaterThan(0); // pushed towards +x, away from the image
    const open = singleSystemBatch({
      positions: [0.5, 0, 0, 17, 0, 0],
      masses: [40, 40],
      cell: [20, 20, 20],
      pbc: [false, true, true],
    });
    expect(lennardJonesReference(open, argon).energy[0]).toBe(0);
  });

  it('counts every periodic image in cells smaller than 2 × cutoff (an atom feels its own images)', () => {
    // One atom in a simple cubic cell of side 5 Å: E = ½ Σ_{T ≠ 0} V(|T|) over lattice vectors.
    const side = 5;
    let expected = 0;
    for (let a = -3; a <= 3; a++) {
      for (let b = -3; b <= 3; b++) {
        for (let c = -3; c <= 3; c++) {
          const r = side * Math.hypot(a, b, c);
          if (r > 0 && r < argon.cutoff)
            expected += 0.5 * lennardJonesPairEnergy(r, argon.epsilon, argon.sigma);
        }
      }
    }
    const one = singleSystemBatch({ positions: [1, 2, 3], masses: [40], cell: [side, side, side] });
    const res = lennardJonesReference(one, argon);
    expect(res.energy[0]).toBeCloseTo(expected, 14);
    expect(Math.abs(res.forces[0]!)).toBeLessThan(1e-15);
    // The same lattice as a 4×4×4 supercell (20 Å > 2 × cutoff: minimum image only) has the same energy per atom.
    const pos: number[] = [];
    for (let a = 0; a < 4; a++)
      for (let b = 0; b < 4; b++) for (let c = 0; c < 4; c++) pos.push(side * a, side * b, side * c);
    const big = singleSystemBatch({
      positions: pos,
      masses: new Float64Array(64).fill(40),
      cell: [20, 20, 20],
    });
    expect(lennardJonesReference(big, argon).energy[0]! / 64).toBeCloseTo(expected, 13);
    // An open axis has no images.
    const open = singleSystemBatch({
      positions: [0, 0, 0],
      masses: [1],
      cell: [side, side, side],
      pbc: [false, false, false],
    });
    expect(lennardJonesReference(open, argon).energy[0]).toBe(0);
  });

  for (const p of [argon, argonShifted]) {
    it(`forces are minus the finite-difference gradient (shift ${p.shift})`, () => {
      const batch = testBatch();
      const res = lennardJonesReference(batch, p);
      const h = 1e-5;
      let maxErr = 0;
      let maxF = 0;
      for (let k = 0; k < 3 * batch.nAtoms; k++) {
        const b = cloneBatch(batch);
        b.positions[k]! += h;
        const ePlus = totalEnergy(b, p);
        b.positions[k]! -= 2 * h;
        const eMinus = totalEnergy(b, p);
        const fd = -(ePlus - eMinus) / (2 * h);
        maxErr = Math.max(maxErr, Math.abs(fd - res.forces[k]!));
        maxF = Math.max(maxF, Math.abs(res.forces[k]!));
      }
      expect(maxF).toBeGreaterThan(1e-3); // the test is not vacuous
      expect(maxErr).toBeLessThan(1e-8);
    });
  }

  it('gives NULL atoms no force and no energy, and the others ignore them', () => {
    const batch = testBatch();
    const res = lennardJonesReference(batch, argonShifted);
    const stripped = cloneBatch(batch);
    let nNull = 0;
    for (let i = 0; i < batch.nAtoms; i++) {
      if (batch.types[i] !== -1) continue;
      nNull++;
      expect(res.energies[i]).toBe(0);
      expect([res.forces[3 * i], res.forces[3 * i + 1], res.forces[3 * i + 2]]).toEqual([0, 0, 0]);
      stripped.positions[3 * i] = 1e6 + 100 * i; // far away: would interact with nothing anyway
    }
    expect(nNull).toBeGreaterThan(2);
    const moved = lennardJonesReference(stripped, argonShifted);
    expect(Array.from(moved.energy)).toEqual(Array.from(res.energy));
    expect(Array.from(moved.forces)).toEqual(Array.from(res.forces));
  });

  it('obeys Newton’s third law and sums per-atom energies to the total, per system', () => {
    const batch = testBatch();
    const res = lennardJonesReference(batch, argonShifted);
    for (let s = 0; s < batch.nSystems; s++) {
      const sum = [0, 0, 0];
      let e = 0;
      let fScale = 0;
      for (let i = batch.atomsPtr[s]!; i < batch.atomsPtr[s + 1]!; i++) {
        for (let a = 0; a < 3; a++) {
          sum[a]! += res.forces[3 * i + a]!;
          fScale += Math.abs(res.forces[3 * i + a]!);
        }
        e += res.energies[i]!;
      }
      expect(fScale).toBeGreaterThan(0.01);
      for (const f of sum) expect(Math.abs(f)).toBeLessThan(1e-14 * fScale + 1e-16);
      expect(e).toBeCloseTo(res.energy[s]!, 13);
      expect(res.energy[s]).not.toBe(0);
    }
  });

  it('is invariant under translation, across the periodic boundary', () => {
    const batch = testBatch();
    const res = lennardJonesReference(batch, argonShifted);
    const moved = cloneBatch(batch);
    for (let i = 0; i < batch.nAtoms; i++) {
      const s = i < batch.atomsPtr[1]! ? 0 : 1;
      // System 0 (fully periodic) moves diagonally by more than half a box; system 1 only along x.
      const shift = s === 0 ? [9.3, -11.1, 13.7] : [12.9, 0.7, -0.4];
      for (let a = 0; a < 3; a++) moved.positions[3 * i + a]! += shift[a]!;
    }
    const res2 = lennardJonesReference(moved, argonShifted);
    for (let s = 0; s < 2; s++) expect(res2.energy[s]).toBeCloseTo(res.energy[s]!, 13);
    for (let k = 0; k < res.forces.length; k++) expect(res2.forces[k]).toBeCloseTo(res.forces[k]!, 12);
    for (let k = 0; k < res.virial.length; k++) expect(res2.virial[k]).toBeCloseTo(res.virial[k]!, 12);
  });

  it('has a symmetric virial with dE/dε_ab = −W_ab under a homogeneous strain', () => {
    const batch = testBatch();
    const p = argonShifted;
    const res = lennardJonesReference(batch, p);
    const h = 1e-6;
    const strained = (a: number, b: number, e: number): Batch => {
      // x' = (I + ε) x with ε = e·(unit a,b), applied to positions and to the cell rows. For a = b the
      // cell length L_a scales by 1 + e; for a ≠ b the cell would shear, which an orthorhombic cell
      // cannot hold, so shears are checked only where both axes are open (the cell is then irrelevant).
      const out = cloneBatch(batch);
      for (let i = 0; i < out.nAtoms; i++) out.positions[3 * i + a]! += e * batch.positions[3 * i + b]!;
      if (a === b) for (let s = 0; s < out.nSystems; s++) out.cells[9 * s + 4 * a]! *= 1 + e;
      return out;
    };
    for (let s = 0; s < batch.nSystems; s++) {
      for (let a = 0; a < 3; a++) {
        for (let b = 0; b < 3; b++) {
          const w = res.virial[9 * s + 3 * a + b]!;
          expect(w).toBeCloseTo(res.virial[9 * s + 3 * b + a]!, 13);
          // Off-diagonal strains shear the cell, which this orthorhombic code cannot represent;
          // the shear check runs below on the system whose sheared axes are both open.
          if (a !== b) continue;
          const ePlus = lennardJonesReference(strained(a, b, h), p).energy[s]!;
          const eMinus = lennardJonesReference(strained(a, b, -h), p).energy[s]!;
          const dEde = (ePlus - eMinus) / (2 * h);
          expect(Math.abs(dEde + w)).toBeLessThan(1e-7 * Math.max(1, Math.abs(w)));
          expect(Math.abs(w)).toBeGreaterThan(1e-3);
        }
      }
    }
    // System 1 is open along y and z, so a shear ε_yz (y += ε·z) needs no cell change.
    for (const [a, b] of [
      [1, 2],
      [2, 1],
    ] as const) {
      const ePlus = lennardJonesReference(strained(a, b, h), p).energy[1]!;
      const eMinus = lennardJonesReference(strained(a, b, -h), p).energy[1]!;
      const w = res.virial[9 + 3 * a + b]!;
      expect(Math.abs(w)).toBeGreaterThan(1e-4);
      expect(Math.abs((ePlus - eMinus) / (2 * h) + w)).toBeLessThan(1e-7);
    }
  });

  it('is positive (repulsive) for a compressed pair, as LAMMPS’s virial', () => {
    const batch = singleSystemBatch({ positions: [0, 0, 0, 3, 0, 0], masses: [40, 40], cell: [30, 30, 30] });
    const w = lennardJonesReference(batch, argon).virial;
    expect(w[0]!).toBeGreaterThan(0);
    expect(w[4]).toBe(0);
  });

  for (const c of aseFixture.cases) {
    it(`agrees with ASE's LennardJones calculator (${c.name}, fixtures/make_ase_lj.py)`, () => {
      const batch = singleSystemBatch({
        positions: c.positions,
        masses: new Float64Array(c.positions.length / 3).fill(39.948),
        cell: c.cell as [number, number, number],
        pbc: c.pbc as [boolean, boolean, boolean],
      });
      const res = lennardJonesReference(batch, { ...argonShifted, epsilon: aseFixture.epsilon });
      expect(res.energy[0]).toBeCloseTo(c.energy, 12);
      for (let i = 0; i < c.energies.length; i++) expect(res.energies[i]).toBeCloseTo(c.energies[i]!, 12);
      for (let k = 0; k < c.forces.length; k++) expect(res.forces[k]).toBeCloseTo(c.forces[k]!, 12);
      for (let k = 0; k < 9; k++) expect(res.virial[k]).toBeCloseTo(c.virial[k]!, 11);
      expect(Math.abs(c.energy)).toBeGreaterThan(0.01);
    });
  }
});
