/** The stage runner on real WebGPU (gpu): hook points and frequencies, convergence, pause, stop. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineSpecInput } from '../io/spec.ts';
import { parseSpec } from '../io/spec.ts';
import type { EngineEvent } from './api.ts';
import { requestGpuDevice } from './device.ts';
import { createGpuEngine } from './gpu/engine.ts';
import type { Hook, HookPoint } from './hooks/hook.ts';
import { HOOK_POINTS } from './hooks/hook.ts';
import { StageRunner } from './runner.ts';
import { SinkSet, snapshotHookSpecs } from './sinks/sinkSet.ts';
import { buildSystem } from './structures/index.ts';

let device: GPUDevice;
beforeAll(async () => {
  device = (await requestGpuDevice()).device;
});
afterAll(() => device.destroy());

const base = (stages: PipelineSpecInput['stages']): PipelineSpecInput => ({
  version: 1,
  system: {
    kind: 'fcc',
    element: 'Ar',
    mass: 39.948,
    latticeConstant: 5.26,
    repeat: [4, 4, 4],
    jitter: 0.05,
    temperature: 40,
  },
  potential: { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true },
  stages,
});

async function setup(input: PipelineSpecInput, extraHooks?: (stage: number) => Hook[]) {
  const spec = parseSpec(input);
  const batch = buildSystem(spec.system);
  const engine = await createGpuEngine(device, batch, spec.potential, { skin: spec.neighbor.skin });
  const events: EngineEvent[] = [];
  const sinks = await SinkSet.create(snapshotHookSpecs(spec.stages));
  const runner = new StageRunner({
    engine,
    stages: spec.stages,
    systems: batch,
    listener: (e) => events.push(e),
    hookDeps: { sinks },
    viewFrameIntervalMs: 0,
    // A plain stage's hooks are those of its one sub-stage (status code 0).
    ...(extraHooks
      ? { extraHooks: (stage: number, sub: number | null) => (sub === 0 ? extraHooks(stage) : []) }
      : {}),
  });
  return { runner, events, sinks, engine };
}

/** A hook that records (stage, step, point) each time it fires. */
function recorder(points: readonly HookPoint[], every: number, calls: string[]): Hook {
  return {
    name: 'recorder',
    points,
    every,
    run: (ctx) => void calls.push(`${ctx.stage}:${ctx.stageStep}:${ctx.point}`),
  };
}

describe('StageRunner (gpu)', () => {
  it('fires the eight step points in order, at the hook frequency', async () => {
    const calls: string[] = [];
    const stepPoints = HOOK_POINTS.filter((p) => p !== 'on-converge');
    const { runner, engine } = await setup(base([{ kind: 'nve', steps: 7, dt: 2 }]), () => [
      recorder(stepPoints, 3, calls),
    ]);
    expect(await runner.run()).toBe('completed');
    engine.destroy();
    // Steps are counted from 1; every point of step n sees stageStep n.
    const expected = [3, 6].flatMap((n) => stepPoints.map((p) => `0:${n}:${p}`));
    expect(calls).toEqual(expected);
  });

  it('runs stages in order, counts steps and time, and writes snapshots at their frequency', async () => {
    const { runner, events, sinks, engine } = await setup(
      base([
        {
          kind: 'langevin',
          steps: 10,
          dt: 2,
          temperature: 50,
          friction: 0.01,
          hooks: [{ kind: 'snapshot', every: 5 }],
        },
        { kind: 'nve', steps: 6, dt: 1, hooks: [{ kind: 'log', every: 3 }] },
      ]),
    );
    await runner.run();
    engine.destroy();
    expect(events.filter((e) => e.type === 'stage').map((e) => (e.type === 'stage' ? e.stage : -1))).toEqual([
      0, 1,
    ]);
    expect(sinks.hostFrames().map((f) => [f.stage, f.stageStep, f.step])).toEqual([
      [0, 5, 5],
      [0, 10, 10],
    ]);
    const logs = events.flatMap((e) => (e.type === 'log' ? [e.record] : []));
    // One record at the start of each stage, then every 3 steps.
    expect(logs.map((r) => [r.stage, r.stageStep, r.step, r.time])).toEqual([
      [0, 0, 0, 0],
      [1, 0, 10, 20],
      [1, 3, 13, 23],
      [1, 6, 16, 26],
    ]);
    const end = events.at(-2);
    expect(end).toMatchObject({ type: 'end', reason: 'completed', step: 16 });
  });

  it('ends a FIRE stage when max |F| < fmax and fires on-converge once', async () => {
    const calls: string[] = [];
    const { runner, events, engine } = await setup(
      base([
        { kind: 'fire', steps: 5000, dt: 5, convergence: [{ kind: 'max-force', fmax: 0.02 }] },
        { kind: 'nve', steps: 2, dt: 1 },
      ]),
      (stage) => (stage === 0 ? [recorder(['on-converge'], 1000, calls)] : []),
    );
    await runner.run();
    engine.destroy();
    const converged = events.find((e) => e.type === 'converged');
    expect(converged).toBeDefined();
    expect(calls.length).toBe(1);
    const nveStart = events.find((e) => e.type === 'stage' && e.stage === 1);
    expect(nveStart).toMatchObject({ step: converged?.type === 'converged' ? converged.step : -1 });
    expect(converged?.type === 'converged' && converged.step < 5000).toBe(true);
  });

  it('pauses without advancing, resumes, and stops cleanly', async () => {
    const { runner, events, engine } = await setup(
      base([{ kind: 'nve', steps: 1_000_000, dt: 1, hooks: [{ kind: 'log', every: 5 }] }]),
    );
    const done = runner.run();
    await new Promise((r) => setTimeout(r, 300));
    runner.pause();
    await new Promise((r) => setTimeout(r, 200));
    const atPause = runner.where().step;
    await new Promise((r) => setTimeout(r, 300));
    expect(runner.where().step).toBe(atPause);
    runner.resume();
    await new Promise((r) => setTimeout(r, 300));
    expect(runner.where().step).toBeGreaterThan(atPause);
    runner.stop();
    expect(await done).toBe('stopped');
    engine.destroy();
    expect(events.some((e) => e.type === 'state' && e.state === 'paused')).toBe(true);
    expect(events.at(-2)).toMatchObject({ type: 'end', reason: 'stopped' });
  });
});
