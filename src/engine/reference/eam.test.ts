import { describe, expect, it } from 'vitest';
import type { Batch } from '../batch.ts';
import { eamSplines } from '../potentials/eamSpline.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import { mulberry32 } from '../structures/random.ts';
import { eamReference } from './eam.ts';
import {
  conservationErrors,
  finiteDifferenceForceError,
  randomTriclinicBatch,
  strainVirialError,
} from './testing.ts';

/**
 * A smooth two-element setfl-like potential, tabulated here (no file): F_e(ρ) = −a_e √ρ + b_e ρ²,
 * ρ_e(r) = c_e e^{−r} (1 − r/rc)², φ_ef(r) = d_ef e^{−2(r−2.5)} (1 − r/rc)³, rc = 5.5 Å.
 * Element list: type 0 → A, type 1 → B, type 2 → NULL.
 */
function synthetic(): EamTabulation {
  const rc = 5.5;
  const nr = 600;
  const dr = rc / (nr - 1);
  const nrho = 500;
  const drho = 0.02;
  const a = [1.2, 0.9];
  const b = [0.01, 0.02];
  const c = [3, 2.2];
  const d = [0.4, 0.3, 0.5]; // AA, BA, BB (pair index i(i+1)/2 + j)
  const tab = (n: number, h: number, fn: (x: number) => number) =>
    Float64Array.from({ length: n }, (_, m) => fn(m * h));
  const cut = (r: number, k: number) => (r < rc ? (1 - r / rc) ** k : 0);
  return {
    style: 'eam/alloy',
    nTypes: 3,
    elements: ['A', 'B', 'NULL'],
    nrho,
    drho,
    nr,
    dr,
    cutoff: rc,
    rhomax: (nrho - 1) * drho,
    frho: [0, 1].map((e) => tab(nrho, drho, (x) => -a[e]! * Math.sqrt(x) + b[e]! * x * x)),
    rhor: [0, 1].map((e) => tab(nr, dr, (r) => c[e]! * Math.exp(-r) * cut(r, 2))),
    z2r: d.map((dd) => tab(nr, dr, (r) => r * dd * Math.exp(-2 * (r - 2.5)) * cut(r, 3))),
    type2frho: Int32Array.of(0, 1, -1),
    type2rhor: Int32Array.of(0, 0, -1, 1, 1, -1, -1, -1, -1),
    type2z2r: Int32Array.of(0, 1, -1, 1, 2, -1, -1, -1, -1),
    masses: [30, 60, 0],
    atomicNumbers: [0, 0, 0],
  };
}

const CELL = [6.3, 0, 0, 1.1, 6.0, 0, -0.8, 1.2, 6.5];

describe('eamReference', () => {
  const tables = synthetic();
  const energy = (b: Batch) => eamReference(b, tables).energy[0]!;
  const make = () => randomTriclinicBatch(16, CELL, 2.0, mulberry32(3), [0, 1, 0, 2, 1, -1, 0]);

  it('forces are minus the finite-difference gradient on a small triclinic cell', () => {
    const batch = make();
    const res = eamReference(batch, tables);
    const { error, maxForce } = finiteDifferenceForceError(batch, res, energy);
    expect(maxForce).toBeGreaterThan(0.05);
    expect(error).toBeLessThan(1e-7 * Math.max(1, maxForce));
  });

  it('dE/dε = −W for all nine strains; Σ W_i = W; Σ E_i = E; Newton', () => {
    const batch = make();
    const res = eamReference(batch, tables);
    const { error, maxVirial } = strainVirialError(batch, res, energy);
    expect(maxVirial).toBeGreaterThan(0.1);
    expect(error).toBeLessThan(1e-6 * maxVirial);
    const c = conservationErrors(batch, res);
    expect(c.force).toBeLessThan(1e-12);
    expect(c.atomVirial).toBeLessThan(1e-12 * maxVirial);
    expect(c.energy).toBeLessThan(1e-11);
  });

  it('ignores type −1 atoms and atoms of a NULL element', () => {
    const batch = make();
    const res = eamReference(batch, tables);
    let nNull = 0;
    const far = { ...batch, positions: batch.positions.slice() };
    for (let i = 0; i < batch.nAtoms; i++) {
      if (batch.types[i] !== -1 && batch.types[i] !== 2) continue;
      nNull++;
      expect(res.energies[i]).toBe(0);
      expect([res.forces[3 * i], res.forces[3 * i + 1], res.forces[3 * i + 2]]).toEqual([0, 0, 0]);
      far.positions[3 * i + 2]! += 0.37 * (i + 1); // moving them changes nothing
    }
    expect(nNull).toBeGreaterThanOrEqual(4);
    expect(eamReference(far, tables).energy[0]).toBe(res.energy[0]);
  });

  it('counts an atom’s own images: one atom per small cubic cell equals the big-cell energy per atom', () => {
    const side = 2.6; // far below the 5.5 Å cutoff: each atom sees ~60 of its own images
    const one = randomTriclinicBatch(1, [side, 0, 0, 0, side, 0, 0, 0, side], 0, () => 0.25);
    const pos: number[] = [];
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 5; j++) for (let k = 0; k < 5; k++) pos.push(i * side, j * side, k * side);
    const big = randomTriclinicBatch(1, [5 * side, 0, 0, 0, 5 * side, 0, 0, 0, 5 * side], 0, () => 0.25);
    const bigBatch: Batch = {
      ...big,
      nAtoms: 125,
      atomsPtr: Int32Array.of(0, 125),
      positions: Float64Array.from(pos),
      velocities: new Float64Array(375),
      masses: new Float64Array(125).fill(30),
      types: new Int32Array(125),
      atomicNumbers: new Int32Array(125),
    };
    const e1 = eamReference(one, tables).energy[0]!;
    expect(e1).toBeLessThan(-0.5);
    expect(eamReference(bigBatch, eamSplines(tables)).energy[0]! / 125).toBeCloseTo(e1, 11);
  });
});
