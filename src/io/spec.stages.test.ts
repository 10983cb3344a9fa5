import { describe, expect, it } from 'vitest';
import { isMinimizer, StageSpec, safeParseSpec } from './spec.ts';

const base = {
  version: 1,
  system: { kind: 'fcc', element: 'Ar', mass: 39.948, latticeConstant: 5.26, repeat: [2, 2, 2] },
  potential: { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5 },
};

describe('nose-hoover and fire2 stages', () => {
  it('fill their defaults', () => {
    expect(StageSpec.parse({ kind: 'nose-hoover', steps: 10, dt: 5, temperature: 85 })).toMatchObject({
      tau: 100,
      chainLength: 3,
    });
    expect(StageSpec.parse({ kind: 'fire2', steps: 10, dt: 5 })).toMatchObject({
      dtMax: 10,
      dtMin: 0.02,
      maxStep: 0.2,
      nDelay: 20,
      initialDelay: true,
    });
  });

  it('name the field and the unit of out-of-range values', () => {
    const r = safeParseSpec({
      ...base,
      stages: [
        { kind: 'nose-hoover', steps: 10, dt: 5, temperature: 0, tau: -1, chainLength: 11 },
        { kind: 'fire2', steps: 10, dt: 5, dtMin: -1, nDelay: 1.5 },
      ],
    });
    expect(r.ok).toBe(false);
    const issues = r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
    expect(issues).toEqual([
      'stages[0].temperature: must be > 0 K',
      'stages[0].tau: must be > 0 fs',
      'stages[0].chainLength: must be ≤ 10',
      'stages[1].dtMin: must be ≥ 0 fs',
      'stages[1].nDelay: must be a whole number of steps',
    ]);
  });

  it('FIRE and FIRE2 are minimisers; the dynamics are not', () => {
    expect(
      ['nve', 'langevin', 'fire', 'nose-hoover', 'fire2'].map((kind) => isMinimizer({ kind } as StageSpec)),
    ).toEqual([false, false, true, false, true]);
  });
});
