import { describe, expect, test } from 'vitest';
import { lennardJonesReference } from '../src/engine/reference/lennardJones.ts';
import { ACCELERATION_PER_FORCE_OVER_MASS } from '../src/engine/units.ts';
import type { GpuMeltResult } from './lj.ts';
import type { LammpsMeltResult } from './ljLammps.ts';
import { meltCase } from './ljRun.ts';
import { MELT, MELT_ARGON, meltReduced, TAU_FS, toArgon } from './melt.ts';

describe('the melt problem', () => {
  test('reduced state: ρ* = 0.8442, T* = 3 over 3N − 3 degrees of freedom, no net momentum', () => {
    const b = meltReduced(3);
    expect(b.nAtoms).toBe(108);
    expect(b.nAtoms / b.cells[0]! ** 3).toBeCloseTo(MELT.density, 12);
    let twiceKinetic = 0;
    const p = [0, 0, 0];
    for (let i = 0; i < b.nAtoms; i++) {
      for (let d = 0; d < 3; d++) {
        twiceKinetic += b.velocities[3 * i + d]! ** 2;
        p[d]! += b.velocities[3 * i + d]!;
      }
    }
    expect(twiceKinetic / (3 * b.nAtoms - 3)).toBeCloseTo(MELT.temperature, 12);
    for (const c of p) expect(Math.abs(c)).toBeLessThan(1e-10);
  });

  test('argon units give the same reduced energies (τ = 2145 fs)', () => {
    expect(TAU_FS).toBeCloseTo(2145.26, 1);
    const reduced = meltReduced(3);
    const argon = toArgon(reduced);
    const { epsilon, sigma } = MELT_ARGON;
    const eArgon = lennardJonesReference(argon, {
      epsilon,
      sigma,
      cutoff: MELT.cutoff * sigma,
      shift: false,
    });
    const eReduced = lennardJonesReference(reduced, {
      epsilon: 1,
      sigma: 1,
      cutoff: MELT.cutoff,
      shift: false,
    });
    expect(eArgon.energy[0]! / epsilon).toBeCloseTo(eReduced.energy[0]!, 9);
    let kinetic = 0;
    for (let k = 0; k < argon.velocities.length; k++) {
      kinetic += (0.5 * MELT_ARGON.mass * argon.velocities[k]! ** 2) / ACCELERATION_PER_FORCE_OVER_MASS;
    }
    expect(kinetic / epsilon).toBeCloseTo((1.5 * (3 * argon.nAtoms - 3) * MELT.temperature) / 3, 9);
  });
});

describe('meltCase: a broken run cannot look fast', () => {
  const lammps: LammpsMeltResult = {
    atoms: 32000,
    steps: 1000,
    loopTime: 20,
    rebuilds: 190,
    dangerousBuilds: 0,
    initialEnergy: -72752.28,
    startEnergy: -72950.67,
    endEnergy: -72928.69,
    endTemperature: 1.65,
    version: 'test',
  };
  const good: GpuMeltResult = {
    adapter: 'test',
    atoms: 32000,
    steps: 1000,
    seconds: 40,
    setupSeconds: 1,
    rebuilds: 194,
    initialEnergy: -72752.26,
    startEnergy: -72950.71,
    endEnergy: -72918.83,
    endTemperature: 1.66,
  };

  test('a sound run is valid and its ratio is ours / LAMMPS', () => {
    const row = meltCase(good, lammps);
    expect(row.details?.valid).toBe(true);
    expect(row.value).toBeCloseTo(8e5, 6);
    expect(row.peer?.value).toBeCloseTo(1.6e6, 6);
    expect(row.ratio).toBeCloseTo(0.5, 12);
  });

  test.each([
    ['energy not conserved', { endEnergy: -72950.71 * 0.99 }],
    ['a different initial state', { initialEnergy: -72700 }],
    ['the neighbor list never rebuilt', { rebuilds: 0 }],
    ['rebuilding every step', { rebuilds: 1000 }],
  ])('%s is flagged', (_name, change) => {
    expect(meltCase({ ...good, ...change }, lammps).details?.valid).toBe(false);
  });

  test('different problems are refused', () => {
    expect(() => meltCase({ ...good, steps: 200 }, lammps)).toThrow(/LAMMPS/);
  });
});
