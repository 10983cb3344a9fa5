/**
 * The spec's placement (issue 8) and the runner's single step: pipeline placements are validated with
 * messages that name the field; `step()` while paused runs exactly one step and stays paused.
 */
import { describe, expect, it } from 'vitest';
import type { PipelineSpecInput } from '../../io/spec.ts';
import { parseSpec, safeParseSpec } from '../../io/spec.ts';
import type { EngineEvent } from '../api.ts';
import { CpuEngine } from '../cpu/engine.ts';
import { systemSeed } from '../reference/rng.ts';
import { engineBatch, StageRunner } from '../runner.ts';
import { buildSystem } from '../structures/index.ts';

const base: PipelineSpecInput = {
  version: 1,
  system: { kind: 'clusters', count: 4, minAtoms: 3, maxAtoms: 9 },
  potential: { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5 },
  batching: { maxSystems: 2, maxAtoms: 40 },
  stages: [
    { kind: 'fire', steps: 10, dt: 5 },
    { kind: 'nve', steps: 10, dt: 5 },
  ],
};

function issues(input: PipelineSpecInput) {
  const r = safeParseSpec(input);
  return r.ok ? [] : r.issues;
}

describe('placement', () => {
  it('defaults to one worker', () => {
    expect(parseSpec(base).placement).toEqual({ kind: 'single' });
  });

  it('fills link defaults for a pipeline', () => {
    const spec = parseSpec({ ...base, placement: { kind: 'pipeline', links: [{}] } });
    expect(spec.placement).toEqual({
      kind: 'pipeline',
      links: [{ maxSystems: 8, maxAtoms: 8192, maxEdges: 1_000_000 }],
    });
  });

  it('needs one link between consecutive stages', () => {
    expect(issues({ ...base, placement: { kind: 'pipeline', links: [{}, {}] } })).toEqual([
      {
        path: 'placement.links',
        message: 'needs one link between each pair of consecutive stages: 1 for 2 stage(s), got 2',
      },
    ]);
  });

  it('needs batching', () => {
    const { batching: _, ...noBatching } = base;
    expect(issues({ ...noBatching, placement: { kind: 'pipeline', links: [{}] } })).toEqual([
      {
        path: 'placement',
        message:
          'a pipeline needs batching (each worker keeps its own resident batch of batching.maxSystems systems and batching.maxAtoms atoms)',
      },
    ]);
  });

  it('refuses links too small for the largest cluster and bad capacities', () => {
    expect(issues({ ...base, placement: { kind: 'pipeline', links: [{ maxAtoms: 8 }] } })).toEqual([
      {
        path: 'placement.links[0].maxAtoms',
        message: 'must be ≥ system.maxAtoms (9): a cluster that large could never cross this link',
      },
    ]);
    const bad = issues({
      ...base,
      placement: { kind: 'pipeline', links: [{ maxSystems: 0, maxEdges: 1.5 }] },
    });
    expect(bad.map((i) => i.path)).toEqual(['placement.links[0].maxSystems', 'placement.links[0].maxEdges']);
    expect(issues({ ...base, placement: { kind: 'ring' } } as unknown as PipelineSpecInput)[0]?.path).toBe(
      'placement.kind',
    );
  });
});

describe('StageRunner.step', () => {
  it('runs exactly one step while paused, then stays paused', async () => {
    const spec = parseSpec({ ...base, stages: [{ kind: 'nve', steps: 50, dt: 5 }] });
    const systems = buildSystem(spec.system);
    const engine = new CpuEngine(engineBatch(systems, spec.batching), spec.potential);
    const events: EngineEvent[] = [];
    const runner = new StageRunner({
      engine,
      stages: spec.stages,
      systems,
      ...(spec.batching ? { batching: spec.batching } : {}),
      listener: (e) => events.push(e),
      viewFrameIntervalMs: 0,
    });
    runner.pause();
    const done = runner.run();
    await new Promise((r) => setTimeout(r, 20));
    expect(runner.where().step).toBe(0);
    runner.step();
    await new Promise((r) => setTimeout(r, 20));
    expect(runner.where().step).toBe(1);
    runner.step();
    await new Promise((r) => setTimeout(r, 20));
    expect(runner.where().step).toBe(2);
    runner.resume();
    expect(await done).toBe('completed');
    expect(runner.where().step).toBe(100);
  });
});

describe('per-system Langevin noise', () => {
  it('keys the stream by system id', () => {
    expect(systemSeed(7, 0)).not.toBe(systemSeed(7, 1));
    expect(systemSeed(7, 3)).not.toBe(systemSeed(8, 3));
    expect(systemSeed(7, 3)).toBe(systemSeed(7, 3));
  });
});
