import { describe, expect, it } from 'vitest';
import { type Batch, cloneBatch } from '../batch.ts';
import { concatenateBatches } from '../structures/concatenate.ts';
import { randomGnnModel, seededRandom, testGnnConfig } from './gnn.testing.ts';
import { gnnReference } from './gnn.ts';
import { smoothSwitch } from './gnnMlp.ts';
import {
  conservationErrors,
  finiteDifferenceForceError,
  randomTriclinicBatch,
  strainVirialError,
} from './testing.ts';

const model = randomGnnModel();
const energy = (b: Batch) => gnnReference(b, model).energy.reduce((a, x) => a + x, 0);

/** A cluster of n atoms in a ball of radius R (open boundaries), no two closer than dMin. */
function cluster(n: number, radius: number, seed: number, types: number[] = [0, 1]): Batch {
  const random = seededRandom(seed);
  const b = randomTriclinicBatch(
    n,
    [2 * radius, 0, 0, 0, 2 * radius, 0, 0, 0, 2 * radius],
    1.9,
    random,
    types,
    [false, false, false],
  );
  return b;
}

function expectForcesMatchFiniteDifferences(b: Batch): void {
  const r = gnnReference(b, model);
  const { error, maxForce } = finiteDifferenceForceError(b, r, energy, 1e-5);
  expect(maxForce).toBeGreaterThan(5e-3);
  expect(error).toBeLessThan(1e-6 * maxForce);
}

function expectVirialMatchesStrain(b: Batch): void {
  const r = gnnReference(b, model);
  const { error, maxVirial } = strainVirialError(b, r, energy, 1e-6);
  expect(maxVirial).toBeGreaterThan(5e-3);
  expect(error).toBeLessThan(1e-6 * maxVirial);
  const c = conservationErrors(b, r);
  expect(c.force).toBeLessThan(1e-10);
  expect(c.atomVirial).toBeLessThan(1e-10);
  expect(c.energy).toBeLessThan(1e-10);
}

describe('GNN f64 reference', () => {
  it('has a C² switch: s, s′ match finite differences and s′, s″ vanish at both ends', () => {
    const out = new Float64Array(2);
    const s = (r: number) => {
      smoothSwitch(r, 3, 4, out);
      return out[0]!;
    };
    const ds = (r: number) => {
      smoothSwitch(r, 3, 4, out);
      return out[1]!;
    };
    for (const r of [3.1, 3.5, 3.9]) expect(ds(r)).toBeCloseTo((s(r + 1e-6) - s(r - 1e-6)) / 2e-6, 8);
    expect(s(3)).toBe(1);
    expect(s(4)).toBe(0);
    for (const r of [3, 4]) {
      expect(Math.abs(ds(r + 1e-7)) + Math.abs(ds(r - 1e-7))).toBeLessThan(1e-10);
      expect(Math.abs((ds(r + 1e-6) - ds(r - 1e-6)) / 2e-6)).toBeLessThan(1e-4);
    }
  });

  it('gives forces equal to −finite differences of the energy on a periodic two-element crystal', () => {
    const b = randomTriclinicBatch(14, [7, 0, 0, 0, 6.5, 0, 0, 0, 6.8], 1.9, seededRandom(3), [0, 1]);
    expectForcesMatchFiniteDifferences(b);
    expectVirialMatchesStrain(b);
  });

  it('handles a small strained triclinic cell where atoms see their own images', () => {
    const b = randomTriclinicBatch(3, [2.9, 0, 0, 0.8, 2.7, 0, -0.6, 0.5, 3.1], 1.7, seededRandom(5), [0, 1]);
    const r = gnnReference(b, model);
    // Some neighbor of atom 0 is an image of atom 0 itself.
    expect(r.maxNeighbors).toBeGreaterThan(2 * 3);
    expectForcesMatchFiniteDifferences(b);
    expectVirialMatchesStrain(b);
  });

  it('gives a cluster a virial equal to Σ r ⊗ F (open boundaries)', () => {
    const b = cluster(9, 3.5, 7);
    expectForcesMatchFiniteDifferences(b);
    const r = gnnReference(b, model);
    for (let a = 0; a < 3; a++) {
      for (let c = 0; c < 3; c++) {
        let w = 0;
        for (let i = 0; i < b.nAtoms; i++) w += b.positions[3 * i + a]! * r.forces[3 * i + c]!;
        expect(r.virial[3 * a + c]!).toBeCloseTo(w, 10);
      }
    }
  });

  it('is invariant under translation and rotation, and its forces rotate with the atoms', () => {
    const b = cluster(8, 3.2, 11);
    const r0 = gnnReference(b, model);
    const moved = cloneBatch(b);
    const [ax, ay, az] = [0.3, -1.1, 0.7];
    const [cx, sx, cy, sy, cz, sz] = [
      Math.cos(ax),
      Math.sin(ax),
      Math.cos(ay),
      Math.sin(ay),
      Math.cos(az),
      Math.sin(az),
    ];
    // R = Rz Ry Rx
    const R = [
      [cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx],
      [sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx],
      [-sy, cy * sx, cy * cx],
    ];
    const rot = (v: ArrayLike<number>, k: number) =>
      [0, 1, 2].map((a) => R[a]!.reduce((s, x, q) => s + x * v[3 * k + q]!, 0));
    for (let i = 0; i < b.nAtoms; i++) {
      const p = rot(b.positions, i);
      for (let a = 0; a < 3; a++) moved.positions[3 * i + a] = p[a]! + [12.5, -4, 3.25][a]!;
    }
    const r1 = gnnReference(moved, model);
    expect(r1.energy[0]!).toBeCloseTo(r0.energy[0]!, 11);
    for (let i = 0; i < b.nAtoms; i++) {
      expect(r1.energies[i]!).toBeCloseTo(r0.energies[i]!, 11);
      const f = rot(r0.forces, i);
      for (let a = 0; a < 3; a++) expect(r1.forces[3 * i + a]!).toBeCloseTo(f[a]!, 10);
    }
  });

  it('is invariant under a permutation of the atoms', () => {
    const b = randomTriclinicBatch(10, [6.5, 0, 0, 0.7, 6, 0, 0, 0, 6.2], 1.9, seededRandom(13), [0, 1, 1]);
    const r0 = gnnReference(b, model);
    const perm = [7, 2, 9, 0, 4, 1, 8, 3, 6, 5];
    const p = cloneBatch(b);
    perm.forEach((from, to) => {
      p.types[to] = b.types[from]!;
      for (let a = 0; a < 3; a++) p.positions[3 * to + a] = b.positions[3 * from + a]!;
    });
    const r1 = gnnReference(p, model);
    expect(r1.energy[0]!).toBeCloseTo(r0.energy[0]!, 10);
    perm.forEach((from, to) => {
      expect(r1.energies[to]!).toBeCloseTo(r0.energies[from]!, 11);
      for (let a = 0; a < 3; a++) expect(r1.forces[3 * to + a]!).toBeCloseTo(r0.forces[3 * from + a]!, 10);
    });
    for (let k = 0; k < 9; k++) expect(r1.virial[k]!).toBeCloseTo(r0.virial[k]!, 10);
  });

  it('adds the energies of far-apart systems, in one system or as a batch of systems', () => {
    const a = cluster(6, 3, 17);
    const b = cluster(7, 3, 19);
    const ea = gnnReference(a, model).energy[0]!;
    const eb = gnnReference(b, model).energy[0]!;
    const both = concatenateBatches([a, b]);
    const rb = gnnReference(both, model);
    expect(rb.energy[0]!).toBeCloseTo(ea, 11);
    expect(rb.energy[1]!).toBeCloseTo(eb, 11);
    // The same atoms as one open system, the second cluster 20 Å away (> rcut).
    const one = cloneBatch(both);
    one.nSystems = 1;
    one.atomsPtr = Int32Array.of(0, both.nAtoms);
    one.cells = one.cells.slice(0, 9);
    one.pbc = one.pbc.slice(0, 3);
    one.systemIds = Int32Array.of(0);
    for (let i = a.nAtoms; i < one.nAtoms; i++) one.positions[3 * i]! += 20;
    expect(gnnReference(one, model).energy[0]!).toBeCloseTo(ea + eb, 10);
  });

  it('does not see NULL atoms, wherever they are', () => {
    const b = randomTriclinicBatch(8, [6.5, 0, 0, 0, 6.5, 0, 0, 0, 6.5], 1.9, seededRandom(23), [0, 1]);
    const r0 = gnnReference(b, model);
    const withNull = concatenateBatches([b]);
    const extra = [0.1, 0.1, 0.1, b.positions[0]! + 0.5, b.positions[1]!, b.positions[2]!];
    const nulls: Batch = {
      ...withNull,
      nAtoms: b.nAtoms + 2,
      atomsPtr: Int32Array.of(0, b.nAtoms + 2),
      positions: Float64Array.from([...b.positions, ...extra]),
      velocities: new Float64Array(3 * (b.nAtoms + 2)),
      masses: Float64Array.from([...b.masses, 1, 1]),
      types: Int32Array.from([...b.types, -1, -1]),
      atomicNumbers: new Int32Array(b.nAtoms + 2),
    };
    const r1 = gnnReference(nulls, model);
    expect(r1.energy[0]!).toBe(r0.energy[0]!);
    for (let k = 0; k < 3 * b.nAtoms; k++) expect(r1.forces[k]!).toBe(r0.forces[k]!);
    for (let k = 3 * b.nAtoms; k < 3 * nulls.nAtoms; k++) expect(r1.forces[k]!).toBe(0);
    expect(r1.energies[b.nAtoms]!).toBe(0);
    for (let k = 0; k < 9; k++) expect(r1.virial[k]!).toBe(r0.virial[k]!);
  });

  it('keeps the nearest sel neighbors and reports the atoms that had more', () => {
    const b = randomTriclinicBatch(12, [6, 0, 0, 0, 6, 0, 0, 0, 6], 1.9, seededRandom(29), [0, 1]);
    const full = gnnReference(b, model);
    expect(full.truncatedAtoms).toBe(0);
    const capped = randomGnnModel(testGnnConfig({ sel: 6 }), 1);
    const r = gnnReference(b, capped);
    expect(r.maxNeighbors).toBe(full.maxNeighbors);
    expect(r.maxNeighbors).toBeGreaterThan(6);
    expect(r.truncatedAtoms).toBeGreaterThan(0);
    // Still exactly −dE/dr away from neighbor-order swaps.
    const e = (x: Batch) => gnnReference(x, capped).energy[0]!;
    const fd = finiteDifferenceForceError(b, r, e, 1e-6);
    expect(fd.error).toBeLessThan(1e-6 * fd.maxForce);
  });

  it('rejects atom types the model does not have', () => {
    const b = cluster(3, 2.5, 31, [0, 2]);
    expect(() => gnnReference(b, model)).toThrow(/atom 1 has type 2; the GNN model has types 0\.\.1/);
  });
});
