import { describe, expect, it } from 'vitest';
import { FccSystemSpec, type SystemSpec } from '../../io/spec.ts';
import { neighborListReference } from '../reference/neighborList.ts';
import { momentumPerSystem, temperaturePerSystem } from '../reference/observables.ts';
import { buildFcc } from './fcc.ts';
import { buildSystem } from './index.ts';

const base = FccSystemSpec.parse({
  kind: 'fcc',
  element: 'Ar',
  mass: 39.948,
  latticeConstant: 5.26,
  repeat: [4, 5, 6],
});

describe('buildFcc', () => {
  it('places 4·nx·ny·nz atoms with 12 nearest neighbours at a/√2', () => {
    const batch = buildFcc(base);
    expect(batch.nAtoms).toBe(4 * 4 * 5 * 6);
    expect(Array.from(batch.cells)).toEqual([4 * 5.26, 0, 0, 0, 5 * 5.26, 0, 0, 0, 6 * 5.26]);
    expect(Array.from(batch.pbc)).toEqual([1, 1, 1]);
    expect(Array.from(batch.atomsPtr)).toEqual([0, 480]);
    expect(new Set(batch.atomicNumbers)).toEqual(new Set([18]));
    expect(new Set(batch.masses)).toEqual(new Set([39.948]));
    expect(new Set(batch.types)).toEqual(new Set([0]));
    const nn = 5.26 / Math.SQRT2;
    // Shell between the 1st (a/√2) and 2nd (a) neighbour distances: exactly 12 neighbours each.
    const { ptr, neighbors } = neighborListReference(batch, (nn + 5.26) / 2);
    for (let i = 0; i < batch.nAtoms; i++) expect(ptr[i + 1]! - ptr[i]!).toBe(12);
    // And none closer than a/√2.
    const inner = neighborListReference(batch, nn - 1e-9);
    expect(inner.neighbors.length).toBe(0);
    expect(neighbors.length).toBe(12 * batch.nAtoms);
    for (const x of batch.positions) {
      expect(x).toBeGreaterThanOrEqual(0);
    }
    expect(Array.from(batch.velocities).every((v) => v === 0)).toBe(true);
  });

  it('cuts a spherical void at the box centre', () => {
    const spec = { ...base, repeat: [6, 6, 6] as [number, number, number], voidRadius: 6 };
    const batch = buildFcc(spec);
    const c = 3 * 5.26;
    // Count the ideal sites within 6 Å of the centre independently.
    let inside = 0;
    for (let ix = 0; ix < 12; ix++) {
      for (let iy = 0; iy < 12; iy++) {
        for (let iz = 0; iz < 12; iz++) {
          if ((ix + iy + iz) % 2 !== 0) continue; // fcc = even sites of the half-spaced simple cubic lattice
          const r2 = (ix * 2.63 - c) ** 2 + (iy * 2.63 - c) ** 2 + (iz * 2.63 - c) ** 2;
          if (r2 < 36) inside++;
        }
      }
    }
    expect(inside).toBeGreaterThan(10);
    expect(batch.nAtoms).toBe(4 * 216 - inside);
    for (let i = 0; i < batch.nAtoms; i++) {
      const r = Math.hypot(
        batch.positions[3 * i]! - c,
        batch.positions[3 * i + 1]! - c,
        batch.positions[3 * i + 2]! - c,
      );
      expect(r).toBeGreaterThanOrEqual(6);
    }
  });

  it('jitters every coordinate by at most `jitter` and wraps into the cell', () => {
    const ideal = buildFcc(base);
    const jittered = buildFcc({ ...base, jitter: 0.1 });
    const l = [4 * 5.26, 5 * 5.26, 6 * 5.26];
    let maxShift = 0;
    for (let k = 0; k < ideal.positions.length; k++) {
      const x = jittered.positions[k]!;
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(l[k % 3]!);
      let d = x - ideal.positions[k]!;
      d -= l[k % 3]! * Math.round(d / l[k % 3]!);
      maxShift = Math.max(maxShift, Math.abs(d));
    }
    expect(maxShift).toBeLessThanOrEqual(0.1);
    expect(maxShift).toBeGreaterThan(0.09);
  });

  it('draws velocities with zero momentum and exactly the requested temperature', () => {
    const batch = buildFcc({ ...base, temperature: 85, jitter: 0.05 });
    expect(temperaturePerSystem(batch)[0]).toBeCloseTo(85, 10);
    for (const p of momentumPerSystem(batch)) expect(Math.abs(p)).toBeLessThan(1e-12);
    // Maxwell–Boltzmann: each component has variance kB·T/m; the 4th moment of a gaussian is 3σ⁴.
    const v = batch.velocities;
    const m2 = v.reduce((s, x) => s + x * x, 0) / v.length;
    const m4 = v.reduce((s, x) => s + x ** 4, 0) / v.length;
    expect(m4 / (m2 * m2)).toBeGreaterThan(2.5);
    expect(m4 / (m2 * m2)).toBeLessThan(3.5);
  });

  it('is deterministic in the spec and changes with the seed', () => {
    const spec = { ...base, temperature: 40, jitter: 0.05, seed: 12 };
    const a = buildFcc(spec);
    const b = buildFcc(spec);
    expect(Array.from(a.positions)).toEqual(Array.from(b.positions));
    expect(Array.from(a.velocities)).toEqual(Array.from(b.velocities));
    const c = buildFcc({ ...spec, seed: 13 });
    expect(Array.from(c.positions)).not.toEqual(Array.from(a.positions));
    expect(Array.from(c.velocities)).not.toEqual(Array.from(a.velocities));
  });

  it('rejects an unknown element', () => {
    expect(() => buildFcc({ ...base, element: 'AR' })).toThrow(/unknown element symbol "AR"/);
  });
});

describe('buildSystem', () => {
  it('dispatches on the system kind', () => {
    const spec: SystemSpec = base;
    expect(Array.from(buildSystem(spec).positions)).toEqual(Array.from(buildFcc(base).positions));
  });
});
