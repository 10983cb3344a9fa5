import { describe, expect, it } from 'vitest';
import { fuse, pipe } from './compose.ts';
import type { PipelineSpecInput } from './spec.ts';
import { safeParseSpec, stageName, subStages } from './spec.ts';

const base = (
  stages: PipelineSpecInput['stages'],
  extra: Partial<PipelineSpecInput> = {},
): PipelineSpecInput => ({
  version: 1,
  system: { kind: 'clusters', count: 3, minAtoms: 5, maxAtoms: 9 },
  potential: { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5 },
  stages,
  ...extra,
});
const issues = (input: PipelineSpecInput) => {
  const r = safeParseSpec(input);
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
};

describe('fused stages and pipelines in the spec', () => {
  it('builds with fuse and pipe the same spec a person writes in JSON', () => {
    const fire = { kind: 'fire', steps: 100, dt: 5 } as const;
    const nvt = { kind: 'langevin', steps: 50, dt: 2, temperature: 300, friction: 0.01 } as const;
    const nve = { kind: 'nve', steps: 10, dt: 1 } as const;
    const built = base(pipe(fuse([fire, nvt], { steps: 500 }), nve));
    const written = base([{ kind: 'fused', stages: [fire, nvt], steps: 500 }, nve]);
    expect(built).toEqual(written);
    const r = safeParseSpec(built);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [fused, last] = r.spec.stages;
    expect(fused).toMatchObject({ kind: 'fused', entryStatus: 0, steps: 500 });
    expect(subStages(fused!).map((s) => s.kind)).toEqual(['fire', 'langevin']);
    expect(subStages(last!).map((s) => s.kind)).toEqual(['nve']);
    expect(stageName(fused!, 0)).toBe('1. FIRE + LANGEVIN');
    // Fusing a fused stage appends its sub-stages, as `fused + c` does.
    expect(fuse([fuse([fire, nvt], { steps: 1 }), nve], { steps: 2 }).stages.map((s) => s.kind)).toEqual([
      'fire',
      'langevin',
      'nve',
    ]);
  });

  it('explains bad fused stages, hooks, criteria and batching with the field and the unit', () => {
    const nve = { kind: 'nve', steps: 10, dt: 1 } as const;
    expect(issues(base([{ kind: 'fused', stages: [nve], steps: 5 }]))).toEqual([
      'stages[0].stages: a fused stage needs at least two sub-stages',
    ]);
    expect(issues(base([{ kind: 'fused', stages: [nve, nve], steps: 5, exitStatus: 3 }]))).toEqual([
      'stages[0].exitStatus: must be ≤ 2 (the number of sub-stages)',
    ]);
    expect(
      issues(base([{ kind: 'fused', stages: [nve, nve], steps: 5, entryStatus: 1, exitStatus: 1 }])),
    ).toEqual(['stages[0].entryStatus: must be < exitStatus (1)']);
    expect(
      issues(
        base([
          {
            ...nve,
            hooks: [
              { kind: 'energy-drift', tolerance: -1 },
              { kind: 'snapshot', sink: 'disk' as 'zarr' },
            ],
            convergence: [{ kind: 'temperature-window', min: 300, max: 200 }],
          },
        ]),
      ),
    ).toEqual([
      'stages[0].hooks[0].tolerance: must be > 0 eV/atom',
      'stages[0].hooks[1].sink: must be one of host, gpu-ring, zarr',
      'stages[0].convergence[0].max: min must be ≤ max (K)',
    ]);
    expect(issues(base([nve], { batching: { maxSystems: 0, maxAtoms: 10 } }))).toEqual([
      'batching.maxSystems: must be ≥ 1',
    ]);
    expect(issues(base([nve], { system: { kind: 'clusters', count: 2, minAtoms: 9, maxAtoms: 5 } }))).toEqual(
      ['system.maxAtoms: minAtoms must be ≤ maxAtoms'],
    );
  });
});
