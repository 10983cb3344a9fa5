import { describe, expect, it } from 'vitest';
import {
  cartesian,
  cellVolume,
  fractional,
  isRestrictedTriclinic,
  perpendicularHeights,
  rotateVectors,
  toRestrictedTriclinic,
  wrapPosition,
} from './cell.ts';

/** A general right-handed cell (rows A, B, C), Å. */
const general = Float64Array.of(4.1, 0.7, -0.3, 1.2, 5.3, 0.9, -0.8, 1.1, 6.2);

describe('cells', () => {
  it('computes volumes and face distances', () => {
    expect(cellVolume([2, 0, 0, 0, 3, 0, 0, 0, 4])).toBe(24);
    // A restricted triclinic cell: heights are lz, the distance between the ac faces, and so on.
    const c = [5, 0, 0, 1.5, 4, 0, -1, 0.5, 3];
    expect(cellVolume(c)).toBeCloseTo(60, 12);
    const [ha, hb, hc] = perpendicularHeights(c);
    expect(hc).toBeCloseTo(3, 12);
    // h_a = V / |b × c| with b × c = (12, −4.5, 4.75).
    expect(ha).toBeCloseTo(60 / Math.hypot(12, -4.5, 4.75), 12);
    expect(hb).toBeCloseTo(60 / Math.hypot(0, -15, 2.5), 12);
    for (const h of [ha, hb, hc]) expect(h).toBeLessThanOrEqual(5);
  });

  it('converts a general cell to LAMMPS restricted triclinic with the rotation of positions', () => {
    const { cell, rotation } = toRestrictedTriclinic(general);
    expect(isRestrictedTriclinic(cell)).toBe(true);
    expect(isRestrictedTriclinic(general)).toBe(false);
    expect(cellVolume(cell)).toBeCloseTo(cellVolume(general), 12);
    // LAMMPS's formulas from the lengths and angles alone.
    const A = general.subarray(0, 3);
    const B = general.subarray(3, 6);
    const C = general.subarray(6, 9);
    const dot = (u: ArrayLike<number>, v: ArrayLike<number>) => u[0]! * v[0]! + u[1]! * v[1]! + u[2]! * v[2]!;
    const lx = Math.sqrt(dot(A, A));
    const xy = dot(B, A) / lx;
    const ly = Math.sqrt(dot(B, B) - xy * xy);
    const xz = dot(C, A) / lx;
    const yz = (dot(B, C) - xy * xz) / ly;
    const lz = Math.sqrt(dot(C, C) - xz * xz - yz * yz);
    const want = [lx, 0, 0, xy, ly, 0, xz, yz, lz];
    for (let k = 0; k < 9; k++) expect(cell[k]).toBeCloseTo(want[k]!, 12);
    // R is orthogonal and maps the cell rows onto the restricted ones, and any position with them.
    const rows = rotateVectors(rotation, general);
    for (let k = 0; k < 9; k++) expect(rows[k]).toBeCloseTo(cell[k]!, 12);
    const s = [0.3, -0.2, 1.7, 0.05, 0.9, 0.4];
    const rGeneral = cartesian(general, s);
    const rRestricted = rotateVectors(rotation, rGeneral);
    const back = fractional(cell, rRestricted);
    for (let k = 0; k < s.length; k++) expect(back[k]).toBeCloseTo(s[k]!, 12);
    // A left-handed cell still converts (R is then a reflection, det −1), volume preserved.
    const left = Float64Array.of(
      ...general.subarray(3, 6),
      ...general.subarray(0, 3),
      ...general.subarray(6, 9),
    );
    const l = toRestrictedTriclinic(left);
    expect(isRestrictedTriclinic(l.cell)).toBe(true);
    expect(cellVolume(l.cell)).toBeCloseTo(cellVolume(left), 12);
    expect(() => toRestrictedTriclinic([1, 0, 0, 2, 0, 0, 0, 0, 1])).toThrow(/degenerate/);
  });

  it('turns a rotated orthorhombic cell back into an orthorhombic one', () => {
    const t = 0.7;
    const u = 0.3;
    // Rotation about z by t, then about x by u, applied to the rows of a 3 × 4 × 5 box.
    const rz = [Math.cos(t), -Math.sin(t), 0, Math.sin(t), Math.cos(t), 0, 0, 0, 1];
    const rx = [1, 0, 0, 0, Math.cos(u), -Math.sin(u), 0, Math.sin(u), Math.cos(u)];
    const rotated = rotateVectors(rx, rotateVectors(rz, [3, 0, 0, 0, 4, 0, 0, 0, 5]));
    const { cell } = toRestrictedTriclinic(rotated);
    const want = [3, 0, 0, 0, 4, 0, 0, 0, 5];
    for (let k = 0; k < 9; k++) expect(Math.abs(cell[k]! - want[k]!)).toBeLessThan(1e-14);
  });

  it('round-trips fractional and Cartesian coordinates and wraps along periodic axes only', () => {
    const r = [7.3, -2.2, 13.1, -0.4, 0.5, 0.6];
    const s = fractional(general, r);
    const back = cartesian(general, s);
    for (let k = 0; k < r.length; k++) expect(back[k]).toBeCloseTo(r[k]!, 12);
    const wrapped = fractional(general, wrapPosition(general, r, [true, false, true]));
    for (let k = 0; k < r.length; k++) {
      if (k % 3 === 1) expect(wrapped[k]).toBeCloseTo(s[k]!, 12);
      else {
        expect(wrapped[k]).toBeGreaterThanOrEqual(-1e-15);
        expect(wrapped[k]).toBeLessThan(1);
        expect(Math.abs(wrapped[k]! - s[k]! - Math.round(wrapped[k]! - s[k]!))).toBeLessThan(1e-12);
      }
    }
  });
});
