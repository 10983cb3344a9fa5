/**
 * A 3-worker pipeline (FIRE → Langevin → NVE) of browser Web Workers, each with its own GPUDevice, on
 * real WebGPU, against the one-worker GPU run of the same spec: every system reaches the end once,
 * with the step counts of the one-worker run. A Web Worker killed mid-run (it fires no event: only its
 * silence tells) stops the run within 2 s, naming it, with the systems delivered before kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineSpecInput } from '../../io/spec.ts';
import { parseSpec } from '../../io/spec.ts';
import type { EngineEvent, StageVisit } from '../api.ts';
import { requestGpuDevice } from '../device.ts';
import { createGpuEngine } from '../gpu/engine.ts';
import { engineBatch, StageRunner } from '../runner.ts';
import { buildSystem } from '../structures/index.ts';
import { browserPipelineLaunch } from './browserLaunch.ts';
import { PipelineCoordinator } from './coordinator.ts';

const input: PipelineSpecInput = {
  version: 1,
  system: { kind: 'clusters', count: 40, minAtoms: 3, maxAtoms: 12, seed: 9 },
  potential: { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true },
  batching: { maxSystems: 6, maxAtoms: 72 },
  stages: [
    { kind: 'fire', steps: 30, dt: 5, convergence: [{ kind: 'max-force', fmax: 0.01 }] },
    { kind: 'langevin', steps: 15, dt: 5, temperature: 50, friction: 0.02, seed: 4 },
    { kind: 'nve', steps: 10, dt: 5 },
  ],
  placement: {
    kind: 'pipeline',
    links: [
      { maxSystems: 2, maxAtoms: 24, maxEdges: 200 },
      { maxSystems: 2, maxAtoms: 24, maxEdges: 200 },
    ],
  },
};

let device: GPUDevice;
beforeAll(async () => {
  device = (await requestGpuDevice()).device;
});
afterAll(() => device.destroy());

const steps = (h: readonly StageVisit[]) => h.map((v) => v.subStages.map((s) => [s.steps, s.reason]));

describe('pipeline of Web Workers on WebGPU', () => {
  it('delivers every system once with the step counts of the one-worker run', async () => {
    const spec = parseSpec(input);
    const events: EngineEvent[] = [];
    const coordinator = new PipelineCoordinator({
      spec,
      systems: buildSystem(spec.system),
      listener: (e) => events.push(e),
      launch: browserPipelineLaunch(),
      viewFrameIntervalMs: 0,
    });
    let result: Awaited<ReturnType<PipelineCoordinator['run']>>;
    try {
      await coordinator.start();
      result = await coordinator.run();
    } finally {
      coordinator.destroy();
    }
    expect(result.message).toBeUndefined();
    expect(result.end).toBe('completed');
    const ids = result.finished.map((f) => f.system.systemIds[0]!).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(events.find((e) => e.type === 'loaded')).toMatchObject({ nSystems: 40 });

    const single = parseSpec({ ...input, placement: { kind: 'single' } });
    const systems = buildSystem(single.system);
    const engine = await createGpuEngine(device, engineBatch(systems, single.batching), single.potential, {
      skin: single.neighbor.skin,
    });
    const runner = new StageRunner({
      engine,
      stages: single.stages,
      systems,
      ...(single.batching ? { batching: single.batching } : {}),
      listener: () => {},
      viewFrameIntervalMs: 0,
    });
    expect(await runner.run()).toBe('completed');
    engine.destroy();
    for (const f of result.finished) {
      const id = f.system.systemIds[0]!;
      expect(f.history.map((v) => v.worker)).toEqual([0, 1, 2]);
      expect(steps(f.history), `system ${id}`).toEqual(steps(runner.histories().get(id)!));
    }
  });

  it('detects a Web Worker killed mid-run within 2 s and keeps what was delivered', async () => {
    const spec = parseSpec(input);
    const events: EngineEvent[] = [];
    const coordinator = new PipelineCoordinator({
      spec,
      systems: buildSystem(spec.system),
      listener: (e) => events.push(e),
      launch: browserPipelineLaunch(),
      viewFrameIntervalMs: 0,
    });
    let killedAt = 0;
    let deliveredBeforeKill = 0;
    let result: Awaited<ReturnType<PipelineCoordinator['run']>>;
    try {
      await coordinator.start();
      const running = coordinator.run();
      const poll = setInterval(() => {
        if (killedAt === 0 && coordinator.finishedSystems().length > 0) {
          deliveredBeforeKill = coordinator.finishedSystems().length;
          killedAt = performance.now();
          coordinator.kill(1);
          clearInterval(poll);
        }
      }, 5);
      result = await running;
      clearInterval(poll);
    } finally {
      coordinator.destroy();
    }
    const endedAt = performance.now();
    expect(killedAt).toBeGreaterThan(0);
    expect(endedAt - killedAt).toBeLessThan(2000);
    expect(result.end).toBe('error');
    expect(result.message).toMatch(/worker 1 \(stage 2\. LANGEVIN\)/);
    expect(events.find((e) => e.type === 'worker-failed')).toMatchObject({
      worker: 1,
      reason: 'unresponsive',
    });
    const ids = result.finished.map((f) => f.system.systemIds[0]!);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(deliveredBeforeKill);
  });
});
