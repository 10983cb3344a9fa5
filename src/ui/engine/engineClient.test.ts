/**
 * The page's plumbing between the engine worker and the stores, over a real comlink channel. The
 * engine on the other end is a scripted stand-in for EngineHost (events only, no GPU involved):
 * what is tested is event routing, log coalescing and reload decisions, not physics.
 */

import { MessageChannel } from 'node:worker_threads';
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import type { EngineEvent, EngineListener, EngineWorkerApi, LogRecord, RunEnd } from '../../engine/api.ts';
import { argonVoidSpec } from '../../io/examples.ts';
import { parseSpec } from '../../io/spec.ts';
import type { TrajectoryFrame } from '../../io/zarr/trajectoryFrame.ts';
import { createStore } from '../state/createStore.ts';
import { initialRunState } from '../state/runState.ts';
import { EngineClient, type EngineEndpoint } from './engineClient.ts';

const record = (step: number): LogRecord => ({
  stage: 0,
  stageStep: step,
  step,
  time: 5 * step,
  potentialEnergy: -1,
  kineticEnergy: 0.5,
  temperature: 10,
  maxForce: 0.1,
  perSystem: {
    systemIds: [0],
    potentialEnergy: [-1],
    kineticEnergy: [0.5],
    temperature: [10],
    maxForce: [0.1],
  },
});

class ScriptedEngine implements EngineWorkerApi {
  loads = 0;
  private listener: EngineListener = () => {};
  async init() {
    return { adapter: 'scripted' };
  }
  async setViewOptions() {}
  step() {}
  async load(_spec: unknown, listener: EngineListener) {
    this.loads++;
    this.listener = listener;
    listener({
      type: 'loaded',
      adapter: 'scripted',
      nAtoms: 2,
      nSystems: 1,
      stages: ['a', 'b'],
      atomicNumbers: Int32Array.of(18, 18),
      cell: Float64Array.of(5, 0, 0, 0, 5, 0, 0, 0, 5),
      pbc: Uint8Array.of(1, 1, 1),
      positions: Float32Array.of(0, 0, 0, 1, 1, 1),
    });
  }
  async run(): Promise<RunEnd> {
    const emit = (e: EngineEvent) => this.listener(e);
    emit({ type: 'state', state: 'running' });
    emit({ type: 'stage', stage: 0, name: 'a', step: 0 });
    for (let s = 1; s <= 50; s++) emit({ type: 'log', record: record(s) });
    emit({
      type: 'frame',
      frame: { stage: 0, stageStep: 50, step: 50, time: 250, positions: Float32Array.of(2, 2, 2, 3, 3, 3) },
    });
    emit({ type: 'trajectory', frames: 3, samples: 6, atoms: 12 });
    emit({ type: 'stage', stage: 1, name: 'b', step: 50 });
    emit({ type: 'end', reason: 'completed', step: 50 });
    emit({ type: 'state', state: 'idle' });
    return 'completed';
  }
  pause() {}
  resume() {}
  stop() {}
  async snapshots(): Promise<TrajectoryFrame[]> {
    return [];
  }
  async exportTrajectory() {
    return { blob: new Blob([Uint8Array.of(1, 2, 3)]), frames: 3 };
  }
  async restartFromLastSnapshot() {
    return { step: 0, stage: 0 };
  }
  loseDeviceForTesting() {}
}

function connectedPair(engine: EngineWorkerApi): () => EngineEndpoint {
  return () => {
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(engine, port1 as unknown as Comlink.Endpoint);
    const endpoint = port2 as unknown as Comlink.Endpoint;
    return Object.assign(endpoint, {
      terminate: () => {
        port1.close();
        port2.close();
      },
    });
  };
}

describe('EngineClient', () => {
  it('routes events to the run state, the plot series and the views, coalescing log updates', async () => {
    const engine = new ScriptedEngine();
    const store = createStore(initialRunState);
    let notifications = 0;
    store.subscribe(() => notifications++);
    const client = new EngineClient(store, connectedPair(engine));
    const spec = parseSpec(argonVoidSpec);
    await client.connect(spec);
    await expect.poll(() => store.getState().phase).toBe('ready');

    const seen: number[] = [];
    client.addView({ onLoaded: (e) => seen.push(e.nAtoms), onPositions: (p) => seen.push(p[0] ?? -1) });
    expect(seen).toEqual([2, 0]); // replayed at once: the loaded atoms and their positions

    await client.run(spec);
    await expect.poll(() => store.getState().phase).toBe('ended');
    const s = store.getState();
    expect(s.stageIndex).toBe(1);
    expect(s.step).toBe(50);
    expect(s.temperature).toBe(10);
    expect(client.series.length).toBe(50);
    expect(seen).toEqual([2, 0, 2]);
    // 50 log records must not mean 50 store updates.
    expect(notifications).toBeLessThan(20);

    // The trajectory's size, the log records (for the CSV) and the export come through.
    expect(client.trajectory.getState()).toEqual({ frames: 3, samples: 6, atoms: 12 });
    expect(client.logRecords().map((r) => r.step)).toEqual(Array.from({ length: 50 }, (_, k) => k + 1));
    const exported = await client.exportTrajectory();
    expect(exported?.frames).toBe(3);
    expect(new Uint8Array(await exported!.blob.arrayBuffer())).toEqual(Uint8Array.of(1, 2, 3));

    // Running again after the end reloads the spec first; an unchanged, fresh spec does not.
    await client.run(spec);
    expect(engine.loads).toBe(2);
    client.dispose();
  });
});
