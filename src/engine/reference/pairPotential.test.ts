import { describe, expect, it } from 'vitest';
import type { Batch } from '../batch.ts';
import { cellVolume } from '../cell.ts';
import { mulberry32 } from '../structures/random.ts';
import type { ForceResult } from './forceResult.ts';
import { lennardJonesReference } from './lennardJones.ts';
import { morsePairEnergy, morseReference } from './morse.ts';
import {
  conservationErrors,
  finiteDifferenceForceError,
  randomTriclinicBatch,
  strainVirialError,
} from './testing.ts';

/** A triclinic cell whose face distances (≈ 6 Å) are far below 2 × the cutoffs used here. */
const CELL = [6.4, 0, 0, 1.3, 6.1, 0, -1.1, 0.9, 6.6];

const potentials: [string, (b: Batch) => ForceResult][] = [
  ['Lennard-Jones', (b) => lennardJonesReference(b, { epsilon: 0.05, sigma: 2.3, cutoff: 6.5, shift: true })],
  ['Morse', (b) => morseReference(b, { d0: 0.3429, alpha: 1.3588, r0: 2.866, cutoff: 7.2, shift: false })],
];

describe('pair potentials on small triclinic cells (every periodic image)', () => {
  it('Morse has its minimum −D0 at r0 and is shifted to 0 at the cutoff', () => {
    const p = { d0: 0.5, alpha: 1.2, r0: 2.5, cutoff: 6, shift: true };
    expect(morsePairEnergy(p.r0, p)).toBeCloseTo(-0.5, 15);
    const two = randomTriclinicBatch(
      2,
      [30, 0, 0, 0, 30, 0, 0, 0, 30],
      0,
      mulberry32(1),
      [0],
      [false, false, false],
    );
    two.positions.set([0, 0, 0, p.r0, 0, 0]);
    const res = morseReference(two, p);
    expect(res.energy[0]).toBeCloseTo(-0.5 - morsePairEnergy(6, p), 14);
    expect(Math.abs(res.forces[0]!)).toBeLessThan(1e-15);
    two.positions[3] = 2.0; // compressed: repulsive, positive virial
    const c = morseReference(two, p);
    expect(c.forces[3]!).toBeGreaterThan(0);
    expect(c.virial[0]!).toBeGreaterThan(0);
  });

  for (const [name, evaluate] of potentials) {
    const energy = (b: Batch) => evaluate(b).energy[0]!;
    const withNull = () => randomTriclinicBatch(14, CELL, 2.2, mulberry32(5), [0, 0, 0, 0, -1]);

    it(`${name}: forces are minus the finite-difference gradient (NULL atoms, images of itself)`, () => {
      const batch = withNull();
      const res = evaluate(batch);
      const { error, maxForce } = finiteDifferenceForceError(batch, res, energy);
      expect(maxForce).toBeGreaterThan(0.05);
      expect(error).toBeLessThan(1e-8 * Math.max(1, maxForce));
      for (let i = 0; i < batch.nAtoms; i++) {
        if (batch.types[i] !== -1) continue;
        expect(res.energies[i]).toBe(0);
        expect(res.forces[3 * i]).toBe(0);
        expect(res.atomVirial[6 * i]).toBe(0);
      }
      // Open axes: no images along them.
      const open = withNull();
      open.pbc = Uint8Array.of(1, 0, 1);
      const o = evaluate(open);
      expect(o.energy[0]).not.toBeCloseTo(res.energy[0]!, 6);
      expect(finiteDifferenceForceError(open, o, energy).error).toBeLessThan(1e-8);
    });

    it(`${name}: dE/dε = −W for all nine strains, Σ W_i = W, Newton's third law, stress = −W/V`, () => {
      const batch = withNull();
      const res = evaluate(batch);
      const { error, maxVirial } = strainVirialError(batch, res, energy);
      expect(maxVirial).toBeGreaterThan(0.1);
      expect(error).toBeLessThan(1e-6 * maxVirial);
      for (let a = 0; a < 3; a++)
        for (let b = 0; b < a; b++) expect(res.virial[3 * a + b]).toBeCloseTo(res.virial[3 * b + a]!, 12);
      const c = conservationErrors(batch, res);
      expect(c.force).toBeLessThan(1e-12);
      expect(c.atomVirial).toBeLessThan(1e-12 * maxVirial);
      expect(c.energy).toBeLessThan(1e-12);
      const v = cellVolume(CELL);
      for (let k = 0; k < 9; k++) expect(res.stress[k]).toBeCloseTo(-res.virial[k]! / v, 15);
    });

    it(`${name}: a 2×1×1 supercell has twice the energy and the same forces`, () => {
      const batch = withNull();
      const n = batch.nAtoms;
      const big = randomTriclinicBatch(1, [2 * CELL[0]!, 0, 0, ...CELL.slice(3)], 0, () => 0.5);
      const positions = new Float64Array(6 * n);
      positions.set(batch.positions);
      for (let i = 0; i < n; i++) {
        positions[3 * (n + i)] = batch.positions[3 * i]! + CELL[0]!;
        positions[3 * (n + i) + 1] = batch.positions[3 * i + 1]!;
        positions[3 * (n + i) + 2] = batch.positions[3 * i + 2]!;
      }
      const sup: Batch = {
        ...big,
        nAtoms: 2 * n,
        atomsPtr: Int32Array.of(0, 2 * n),
        positions,
        velocities: new Float64Array(6 * n),
        masses: new Float64Array(2 * n).fill(50),
        types: Int32Array.from([...batch.types, ...batch.types]),
        atomicNumbers: new Int32Array(2 * n),
      };
      const one = evaluate(batch);
      const two = evaluate(sup);
      expect(two.energy[0]).toBeCloseTo(2 * one.energy[0]!, 11);
      for (let k = 0; k < 3 * n; k++) expect(two.forces[3 * n + k]).toBeCloseTo(one.forces[k]!, 12);
      for (let k = 0; k < 9; k++) expect(two.virial[k]).toBeCloseTo(2 * one.virial[k]!, 11);
    });
  }
});
