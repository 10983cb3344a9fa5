/**
 * The stage runner's composition rules on the f64 CPU engine: hook firing in fused stages (seed 000),
 * status migration, step budgets, entry and exit codes, step limits, pipelines, and inflight batching
 * (refill after graduation, a sampler that runs dry).
 */
import { describe, expect, it } from 'vitest';
import { fuse, pipe } from '../io/compose.ts';
import type { PipelineSpecInput, SegmentSpecInput, StageSpecInput } from '../io/spec.ts';
import { parseSpec } from '../io/spec.ts';
import type { EngineEvent } from './api.ts';
import type { Batch } from './batch.ts';
import { CpuEngine } from './cpu/engine.ts';
import { runOn } from './evaluate.ts';
import type { Hook, HookPoint } from './hooks/hook.ts';
import { HOOK_POINTS } from './hooks/hook.ts';
import { engineBatch } from './runner.ts';
import { buildSystem } from './structures/index.ts';

const argon = { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true } as const;
const clusters = (count: number, seed = 3) =>
  ({ kind: 'clusters', count, minAtoms: 8, maxAtoms: 20, seed }) as const;

function spec(stages: PipelineSpecInput['stages'], count = 4, extra: Partial<PipelineSpecInput> = {}) {
  return parseSpec({ version: 1, system: clusters(count), potential: argon, stages, ...extra });
}

/** A hook recording `label:step:point[:slots]` at every point it listens to. */
function recorder(
  label: string,
  calls: string[],
  points: readonly HookPoint[] = HOOK_POINTS,
  every = 1,
): Hook {
  return {
    name: `record ${label}`,
    points,
    every,
    run: (ctx) => {
      const extra = ctx.point === 'on-converge' ? `:${ctx.newlyConverged.join(',')}` : '';
      calls.push(`${label}:${ctx.stageStep}:${ctx.point}${extra}`);
    },
  };
}

async function run(
  s: ReturnType<typeof spec>,
  extraHooks?: (segment: number, sub: number | null) => Hook[],
  systems: Batch = buildSystem(s.system),
) {
  const engine = new CpuEngine(engineBatch(systems, s.batching), s.potential);
  const events: EngineEvent[] = [];
  const outcome = await runOn(
    engine,
    { stages: s.stages, systems, ...(s.batching ? { batching: s.batching } : {}) },
    (e) => events.push(e),
    extraHooks ? { extraHooks } : {},
  );
  return { outcome, events, engine };
}

const of = <T extends EngineEvent['type']>(events: EngineEvent[], type: T) =>
  events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);

const fire = (steps: number, fmax: number): StageSpecInput => ({
  kind: 'fire',
  steps,
  dt: 5,
  convergence: [{ kind: 'max-force', fmax }],
});
const nve = (steps: number): StageSpecInput => ({ kind: 'nve', steps, dt: 2 });

describe('fused stages: hook firing (seed 000)', () => {
  it('fires sub-stage hooks at the six seed points only, fused-stage hooks at all nine, in step order', async () => {
    const calls: string[] = [];
    const s = spec([fuse([fire(1000, 1e-9), nve(10)], { steps: 2 })]);
    await run(s, (_, sub) => [recorder(sub === null ? 'F' : `S${sub}`, calls)]);
    const step = (n: number) => [
      `F:${n}:before-step`,
      `S0:${n}:before-step`,
      `S1:${n}:before-step`,
      `F:${n}:before-pre-update`,
      `S0:${n}:before-pre-update`,
      // Sub-stage 1 holds no system yet: its before-pre-update and after-post-update fire anyway.
      `S1:${n}:before-pre-update`,
      `F:${n}:after-pre-update`,
      `F:${n}:before-compute`,
      `F:${n}:after-compute`,
      `S0:${n}:after-compute`,
      `S1:${n}:after-compute`,
      `F:${n}:before-post-update`,
      `S0:${n}:after-post-update`,
      `S1:${n}:after-post-update`,
      `F:${n}:after-post-update`,
      `F:${n}:after-step`,
      `S0:${n}:after-step`,
      `S1:${n}:after-step`,
    ];
    expect(calls).toEqual([...step(1), ...step(2)]);
    for (const never of ['before-compute', 'after-pre-update', 'before-post-update'])
      expect(calls.filter((c) => c.startsWith('S') && c.endsWith(`:${never}`))).toEqual([]);
  });

  it('fires all nine points on the hooks of a plain stage', async () => {
    const calls: string[] = [];
    await run(spec([nve(1)]), (_, sub) => (sub === 0 ? [recorder('P', calls)] : []));
    expect(calls).toEqual(HOOK_POINTS.filter((p) => p !== 'on-converge').map((p) => `P:1:${p}`));
  });

  it('fires on-converge on the sub-stage where systems converged, with those slots, and on the fused stage', async () => {
    const calls: string[] = [];
    const { events } = await run(spec([fuse([fire(2000, 0.05), nve(3)], { steps: 3000 })]), (_, sub) => [
      recorder(sub === null ? 'F' : `S${sub}`, calls, ['on-converge']),
    ]);
    const converged = of(events, 'converged');
    expect(converged.length).toBeGreaterThan(0);
    expect(converged.every((e) => e.subStage === 0)).toBe(true);
    const sub0 = calls.filter((c) => c.startsWith('S0:'));
    expect(sub0.length).toBe(converged.length);
    expect(calls.filter((c) => c.startsWith('S1:'))).toEqual([]);
    expect(calls.filter((c) => c.startsWith('F:'))).toEqual(sub0.map((c) => c.replace('S0', 'F')));
    // Each converged system is reported once, by its id.
    const ids = converged.flatMap((e) => e.systems).sort();
    expect(ids).toEqual([0, 1, 2, 3]);
  });

  it('counts steps for hook frequencies per fused step, whenever systems entered the sub-stage', async () => {
    const calls: string[] = [];
    await run(spec([fuse([fire(3, 1e-9), nve(4)], { steps: 100 })]), (_, sub) =>
      sub === 1 ? [recorder('S1', calls, ['after-step'], 2)] : [],
    );
    // Systems enter NVE after fused step 3 and leave after step 7: the hook fires on 2, 4, 6.
    expect(calls).toEqual(['S1:2:after-step', 'S1:4:after-step', 'S1:6:after-step']);
  });
});

describe('fused stages: migration, budgets, entry and exit', () => {
  it('moves systems on when their budget is spent, converged or not, and ends when all exit', async () => {
    const { events, outcome } = await run(spec([fuse([fire(5, 1e-9), nve(4)], { steps: 100 })]));
    expect(outcome.end).toBe('completed');
    expect(of(events, 'converged')).toEqual([]);
    expect(of(events, 'migrated').map((e) => [e.step, e.from, e.to, [...e.systems].sort()])).toEqual([
      [5, 0, 1, [0, 1, 2, 3]],
      [9, 1, 'exit', [0, 1, 2, 3]],
    ]);
    expect(of(events, 'graduated').map((e) => e.step)).toEqual([9]);
    expect(of(events, 'end')[0]).toMatchObject({ reason: 'completed', step: 9 });
  });

  it('honours entry and exit codes: entry 1 skips the first sub-stage, exit 1 stops after it', async () => {
    const skip = await run(spec([fuse([fire(5, 1e-9), nve(3)], { steps: 100, entryStatus: 1 })]));
    expect(of(skip.events, 'migrated').map((e) => [e.step, e.from, e.to])).toEqual([[3, 1, 'exit']]);
    const stop = await run(spec([fuse([fire(5, 1e-9), nve(3)], { steps: 100, exitStatus: 1 })]));
    expect(of(stop.events, 'migrated').map((e) => [e.step, e.from, e.to])).toEqual([[5, 0, 'exit']]);
  });

  it('ends at the fused step limit with a warning when systems have not exited', async () => {
    const { events, outcome } = await run(spec([fuse([fire(50, 1e-9), nve(50)], { steps: 7 })]));
    expect(outcome.end).toBe('completed');
    expect(of(events, 'end')[0]?.step).toBe(7);
    expect(of(events, 'warning').map((e) => e.source)).toEqual(['step-limit']);
  });

  it('integrates velocity Verlet across sub-stages exactly as one NVE stage (one force evaluation per step)', async () => {
    const s0 = spec([nve(12)], 3);
    const systems = buildSystem(s0.system);
    systems.velocities.forEach((_, k) => {
      systems.velocities[k] = 1e-3 * Math.sin(k);
    });
    const plain = await run(s0, undefined, systems);
    const fused = await run(spec([fuse([nve(5), nve(7)], { steps: 100 })], 3), undefined, systems);
    const a = plain.engine.readExact().batch.positions;
    const b = fused.engine.readExact().batch.positions;
    for (let k = 0; k < a.length; k++) expect(b[k]).toBeCloseTo(a[k]!, 12);
  });

  it('runs the segments of a pipe one after the other, every system through each', async () => {
    const { events } = await run(spec(pipe(fire(4, 1e-9), fuse([nve(2), nve(2)], { steps: 10 }))));
    expect(of(events, 'stage').map((e) => [e.stage, e.step])).toEqual([
      [0, 0],
      [1, 4],
    ]);
    expect(of(events, 'graduated').map((e) => [e.stage, e.step, e.systems.length])).toEqual([
      [0, 4, 4],
      [1, 8, 4],
    ]);
  });
});

describe('inflight batching', () => {
  const batched = (stages: SegmentSpecInput[], count: number, maxSystems: number, maxAtoms: number) =>
    spec(stages, count, { batching: { maxSystems, maxAtoms } });

  it('refills the slots of graduated systems until the sampler runs dry; every system once, none lost', async () => {
    const s = batched(
      [
        fuse(
          [
            { ...fire(400, 0.05), hooks: [{ kind: 'converged-snapshot', sink: 'host', capacity: 100 }] },
            nve(5),
          ],
          { steps: 100_000 },
        ),
      ],
      9,
      3,
      50,
    );
    const systems = buildSystem(s.system);
    const { events, outcome } = await run(s, undefined, systems);
    expect(outcome.end).toBe('completed');
    const all = Array.from(systems.systemIds).sort((a, b) => a - b);
    const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
    // Admitted once each, within the budgets.
    const batches = of(events, 'batch');
    expect(sorted(batches.flatMap((e) => e.admitted))).toEqual(all);
    for (const e of batches) {
      expect(e.resident).toBeLessThanOrEqual(3);
      expect(e.residentAtoms).toBeLessThanOrEqual(50);
    }
    expect(batches.at(-1)?.waiting).toBe(0);
    // Refills happened while other systems were still running (not only at the start).
    expect(batches.filter((e) => e.step > 0).length).toBeGreaterThan(0);
    // Each system went through both sub-stages and left exactly once.
    const migrated = of(events, 'migrated');
    expect(sorted(migrated.filter((e) => e.from === 0).flatMap((e) => e.systems))).toEqual(all);
    expect(sorted(migrated.filter((e) => e.to === 'exit').flatMap((e) => e.systems))).toEqual(all);
    expect(sorted(of(events, 'graduated').flatMap((e) => e.systems))).toEqual(all);
    expect(sorted(outcome.finished.map((b) => b.systemIds[0]!))).toEqual(all);
    // Converged snapshots hold each converged system exactly once.
    const convergedIds = sorted(of(events, 'converged').flatMap((e) => e.systems));
    expect(sorted(outcome.frames.flatMap((f) => Array.from(f.systemIds)))).toEqual(convergedIds);
    // Final states are the systems' own: atom counts and elements kept.
    for (const b of outcome.finished) {
      const id = b.systemIds[0]!;
      expect(b.nAtoms).toBe(systems.atomsPtr[id + 1]! - systems.atomsPtr[id]!);
    }
  });

  it('passes batched systems through the segments of a pipe', async () => {
    const s = batched([fire(10, 1e-9), nve(3)], 2, 2, 60);
    const { events, outcome } = await run(s);
    expect(outcome.end).toBe('completed');
    expect(of(events, 'end')[0]?.step).toBe(13);
    expect(outcome.finished.length).toBe(2);
  });

  it('refuses a system larger than the atom budget with a clear message', async () => {
    const s = batched([nve(3)], 3, 2, 5);
    await expect(run(s)).rejects.toThrow(/more than the batch's budget of 5 atoms/);
  });
});
