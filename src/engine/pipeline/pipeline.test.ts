/**
 * Worker pipelines over Node worker_threads with the f64 CPU engine (issue 8): a 3-worker
 * FIRE → Langevin NVT → NVE pipeline over 500 LJ clusters of mixed sizes with small link capacities
 * equals the one-worker run of the same spec (per-system step counts per stage, final positions and
 * velocities bit for bit); capacities of 1, a slow middle stage (back-pressure), and failures (a
 * worker killed, throwing or hanging) detected within 2 s with the delivered systems kept.
 */
import { describe, expect, it } from 'vitest';
import type { PipelineSpecInput } from '../../io/spec.ts';
import { parseSpec } from '../../io/spec.ts';
import type { EngineEvent, StageVisit } from '../api.ts';
import type { Batch } from '../batch.ts';
import { CpuEngine } from '../cpu/engine.ts';
import { engineBatch, StageRunner } from '../runner.ts';
import { buildSystem } from '../structures/index.ts';
import { PipelineCoordinator, type PipelineResult } from './coordinator.ts';
import { nodePipelineLaunch } from './nodeLaunch.ts';

const argon = { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true } as const;

const FIRE_STEPS = 40;
const LANGEVIN_STEPS = 25;
const NVE_STEPS = 15;

function input(
  count: number,
  link: { maxSystems: number; maxAtoms: number; maxEdges: number },
  budgets: [number, number, number] = [FIRE_STEPS, LANGEVIN_STEPS, NVE_STEPS],
): PipelineSpecInput {
  return {
    version: 1,
    system: { kind: 'clusters', count, minAtoms: 2, maxAtoms: 10, seed: 5 },
    potential: argon,
    batching: { maxSystems: 12, maxAtoms: 120 },
    stages: [
      {
        kind: 'fire',
        steps: budgets[0],
        dt: 5,
        convergence: [{ kind: 'max-force', fmax: 0.005 }],
      },
      { kind: 'langevin', steps: budgets[1], dt: 5, temperature: 50, friction: 0.02, seed: 11 },
      { kind: 'nve', steps: budgets[2], dt: 5 },
    ],
    placement: { kind: 'pipeline', links: [link, link] },
  };
}

interface Outcome {
  result: PipelineResult;
  events: EngineEvent[];
  wallMs: number;
}

/**
 * Runs `spec` on worker_threads. Runs that must not fail get a longer silence limit: on a machine
 * shared by many processes a thread may be descheduled for more than the default 1.5 s.
 */
async function runPipeline(
  spec: ReturnType<typeof parseSpec>,
  during?: (c: PipelineCoordinator, events: EngineEvent[]) => void,
  unresponsiveMs = during ? 1500 : 10_000,
): Promise<Outcome> {
  const events: EngineEvent[] = [];
  const coordinator = new PipelineCoordinator({
    spec,
    systems: buildSystem(spec.system),
    listener: (e) => events.push(e),
    launch: nodePipelineLaunch(),
    viewFrameIntervalMs: 0,
    unresponsiveMs,
  });
  try {
    await coordinator.start();
    const t0 = performance.now();
    const running = coordinator.run();
    during?.(coordinator, events);
    const result = await running;
    return { result, events, wallMs: performance.now() - t0 };
  } finally {
    coordinator.destroy();
  }
}

/** The one-worker run of the same spec (placement single, same batching), in this thread. */
async function runSingle(spec: ReturnType<typeof parseSpec>) {
  const single = parseSpec({ ...spec, placement: { kind: 'single' } });
  const systems = buildSystem(single.system);
  const engine = new CpuEngine(engineBatch(systems, single.batching), single.potential);
  const runner = new StageRunner({
    engine,
    stages: single.stages,
    systems,
    ...(single.batching ? { batching: single.batching } : {}),
    listener: () => {},
    viewFrameIntervalMs: 0,
  });
  expect(await runner.run()).toBe('completed');
  const byId = new Map<number, { system: Batch; history: readonly StageVisit[] }>();
  for (const system of runner.finishedSystems()) {
    const id = system.systemIds[0]!;
    byId.set(id, { system, history: runner.histories().get(id)! });
  }
  return byId;
}

/** Steps per stage and per sub-stage (with why it left), without the worker that ran it. */
function stepsOf(history: readonly StageVisit[]) {
  return history.map((v) => ({ segment: v.segment, steps: v.steps, subStages: v.subStages }));
}

const budgets = [FIRE_STEPS, LANGEVIN_STEPS, NVE_STEPS];

function checkHistory(history: readonly StageVisit[], pipeline: boolean): void {
  expect(history.map((v) => v.segment)).toEqual([0, 1, 2]);
  if (pipeline) expect(history.map((v) => v.worker)).toEqual([0, 1, 2]);
  history.forEach((v, k) => {
    expect(v.subStages).toHaveLength(1);
    const sub = v.subStages[0]!;
    expect(v.steps).toBe(sub.steps);
    if (k === 0) {
      // FIRE: converged within its budget, or its budget spent.
      if (sub.reason === 'budget') expect(sub.steps).toBe(FIRE_STEPS);
      else {
        expect(sub.reason).toBe('converged');
        expect(sub.steps).toBeLessThanOrEqual(FIRE_STEPS);
      }
    } else {
      expect(sub).toEqual({ code: 0, steps: budgets[k], reason: 'budget' });
    }
  });
}

describe('3-worker pipeline FIRE → Langevin → NVE (worker_threads, f64 CPU engine)', () => {
  it('delivers every system once and equals the one-worker run, bit for bit', async () => {
    const spec = parseSpec(input(500, { maxSystems: 3, maxAtoms: 24, maxEdges: 120 }));
    const [pipeline, single] = await Promise.all([runPipeline(spec), runSingle(spec)]);
    const { result, events } = pipeline;
    expect(result.message).toBeUndefined();
    expect(result.end).toBe('completed');
    const ids = result.finished.map((f) => f.system.systemIds[0]!);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    const delivered = events.flatMap((e) => (e.type === 'delivered' ? e.systems : []));
    expect([...delivered].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));

    let converged = 0;
    for (const f of result.finished) {
      const id = f.system.systemIds[0]!;
      checkHistory(f.history, true);
      if (f.history[0]!.subStages[0]!.reason === 'converged') converged++;
      const ref = single.get(id)!;
      checkHistory(ref.history, false);
      expect(stepsOf(f.history)).toEqual(stepsOf(ref.history));
      expect(f.system.positions).toEqual(ref.system.positions);
      expect(f.system.velocities).toEqual(ref.system.velocities);
    }
    // Both ways of leaving FIRE happen, so the comparison covers criteria and budgets.
    expect(converged).toBeGreaterThan(0);
    expect(converged).toBeLessThan(500);
    // The links were too small for the flow: upstream workers had to hold systems back.
    const workerEvents = events.filter((e) => e.type === 'worker');
    expect(workerEvents.some((e) => e.worker === 0 && e.outbox > 0)).toBe(true);
    // Each worker reported about every 250 ms.
    for (const w of [0, 1, 2]) expect(workerEvents.filter((e) => e.worker === w).length).toBeGreaterThan(1);
  });
});

describe('the same chain fused on one worker', () => {
  it('gives every system the same steps per stage and the same final state as the 3-worker pipeline', async () => {
    const piped = parseSpec(input(120, { maxSystems: 2, maxAtoms: 20, maxEdges: 100 }));
    const fused = parseSpec({
      ...input(120, { maxSystems: 2, maxAtoms: 20, maxEdges: 100 }),
      placement: { kind: 'single' },
      stages: [{ kind: 'fused', stages: piped.stages, steps: 1_000_000 }],
    });
    const [pipeline, single] = await Promise.all([runPipeline(piped), runSingle(fused)]);
    expect(pipeline.result.end).toBe('completed');
    expect(pipeline.result.finished).toHaveLength(120);
    for (const f of pipeline.result.finished) {
      const ref = single.get(f.system.systemIds[0]!)!;
      // One visit of the fused stage, whose three sub-stages match the pipeline's three stages.
      expect(ref.history).toHaveLength(1);
      expect(ref.history[0]!.subStages).toEqual(f.history.map((v, k) => ({ ...v.subStages[0]!, code: k })));
      expect(f.system.positions).toEqual(ref.system.positions);
      expect(f.system.velocities).toEqual(ref.system.velocities);
    }
  });
});

describe('pipeline stress', () => {
  it('with every capacity 1 and a much slower middle stage, nothing is lost and upstream waits', async () => {
    const spec = parseSpec({
      ...input(40, { maxSystems: 1, maxAtoms: 10, maxEdges: 45 }, [FIRE_STEPS, 400, NVE_STEPS]),
      batching: { maxSystems: 1, maxAtoms: 10 },
    });
    const { result, events } = await runPipeline(spec);
    expect(result.end).toBe('completed');
    const ids = result.finished.map((f) => f.system.systemIds[0]!).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 40 }, (_, i) => i));
    for (const f of result.finished) expect(f.history.map((v) => v.steps).slice(1)).toEqual([400, NVE_STEPS]);
    const w0 = events.filter((e) => e.type === 'worker' && e.worker === 0);
    // Worker 0 was held back: finished systems waited parked in its one slot for room downstream
    // (a cumulative count: the 250 ms samples of `outbox` may miss a short wait).
    const heldBack = Math.max(...w0.map((e) => (e.type === 'worker' ? e.heldBack : 0)));
    expect(heldBack).toBeGreaterThan(0);
    // Worker 2 (last) never waits: the coordinator always has room.
    const w2 = events.filter((e) => e.type === 'worker' && e.worker === 2);
    expect(Math.max(...w2.map((e) => (e.type === 'worker' ? e.heldBack : 0)))).toBe(0);
  });

  it('a worker killed mid-run stops the run within 2 s, naming it, and keeps what was delivered', async () => {
    const spec = parseSpec(input(300, { maxSystems: 2, maxAtoms: 20, maxEdges: 100 }));
    let killedAt = 0;
    let deliveredBeforeKill = 0;
    const { result, events } = await runPipeline(spec, (c, evs) => {
      const poll = setInterval(() => {
        const delivered = evs.filter((e) => e.type === 'delivered').length;
        if (delivered >= 3) {
          clearInterval(poll);
          deliveredBeforeKill = c.finishedSystems().length;
          killedAt = performance.now();
          c.kill(1);
        }
      }, 5);
    });
    const endedAt = performance.now();
    expect(killedAt).toBeGreaterThan(0);
    expect(endedAt - killedAt).toBeLessThan(2000);
    expect(result.end).toBe('error');
    expect(result.message).toMatch(/worker 1 \(stage 2\. LANGEVIN\)/);
    const failed = events.find((e) => e.type === 'worker-failed');
    expect(failed).toMatchObject({ worker: 1, stage: 1, reason: 'exited' });
    const end = events.find((e) => e.type === 'end');
    expect(end).toMatchObject({ reason: 'error' });
    expect(result.finished.length).toBeGreaterThanOrEqual(deliveredBeforeKill);
    expect(deliveredBeforeKill).toBeGreaterThan(0);
    const ids = result.finished.map((f) => f.system.systemIds[0]!);
    expect(new Set(ids).size).toBe(ids.length);
    for (const f of result.finished) checkHistory(f.history, true);
  });

  it('a worker that throws or stops answering is detected and named', async () => {
    for (const how of ['throw', 'hang'] as const) {
      const spec = parseSpec(input(200, { maxSystems: 2, maxAtoms: 20, maxEdges: 100 }));
      let failedAt = 0;
      const { result, events } = await runPipeline(spec, (c) => {
        setTimeout(() => {
          failedAt = performance.now();
          c.failForTesting(2, how);
        }, 300);
      });
      expect(performance.now() - failedAt).toBeLessThan(2000);
      expect(result.end).toBe('error');
      expect(result.message).toMatch(/worker 2 \(stage 3\. NVE\)/);
      expect(events.find((e) => e.type === 'worker-failed')).toMatchObject({
        worker: 2,
        reason: how === 'throw' ? 'error' : 'unresponsive',
      });
    }
  });
});
