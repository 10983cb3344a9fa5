/**
 * The engine as a worker exposes it (EngineWorkerApi): owns the GPU device, the engine built from a spec,
 * the stage runner and the snapshot sink. Framework-free: the worker entry only wraps it with comlink.
 */
import type { PipelineSpec, PipelineSpecInput } from '../io/spec.ts';
import { parseSpec, stageName } from '../io/spec.ts';
import type { EngineListener, EngineWorkerApi, Frame, RunEnd } from './api.ts';
import type { Batch } from './batch.ts';
import { cloneBatch } from './batch.ts';
import { requestGpuDevice } from './device.ts';
import { createGpuEngine } from './gpu/engine.ts';
import type { GpuEngine } from './gpu/types.ts';
import type { EamTabulation } from './potentials/eamTabulation.ts';
import type { RunPosition } from './runner.ts';
import { StageRunner } from './runner.ts';
import { HostMemorySink } from './sinks/hostMemory.ts';
import { buildSystem } from './structures/index.ts';

const SNAPSHOT_CAPACITY_DEFAULT = 1000;

export class EngineHost implements EngineWorkerApi {
  private device: GPUDevice | null = null;
  private adapterName = '';
  private spec: PipelineSpec | null = null;
  private initial: Batch | null = null;
  private tables: EamTabulation | undefined = undefined;
  private listener: EngineListener = () => {};
  private engine: GpuEngine | null = null;
  private runner: StageRunner<GPUCommandEncoder> | null = null;
  private sink = new HostMemorySink(SNAPSHOT_CAPACITY_DEFAULT);
  private deviceLost: string | null = null;
  private running: Promise<RunEnd> | null = null;

  async init(): Promise<{ adapter: string }> {
    await this.ensureDevice();
    return { adapter: this.adapterName };
  }

  async load(
    input: PipelineSpecInput,
    listener: EngineListener,
    batch?: Batch,
    tables?: EamTabulation,
  ): Promise<void> {
    if (this.running) throw new Error('a run is in progress: stop it before loading another spec');
    const spec = parseSpec(input);
    if (spec.potential.kind === 'eam' && !tables) {
      throw new Error(
        `the EAM potential ${spec.potential.file} needs its tables: give its file(s) with the spec`,
      );
    }
    const initial = batch ? cloneBatch(batch) : buildSystem(spec.system);
    await this.ensureDevice();
    // Build the new engine before touching the current one, so that a refused system or
    // potential leaves the loaded one as it was.
    const engine = await this.createEngine(spec, initial, tables);
    const capacity = Math.max(
      SNAPSHOT_CAPACITY_DEFAULT,
      ...spec.stages.flatMap((s) => s.hooks.flatMap((h) => (h.kind === 'snapshot' ? [h.capacity] : []))),
    );
    this.spec = spec;
    this.initial = initial;
    this.tables = tables;
    this.listener = listener;
    this.sink = new HostMemorySink(capacity);
    this.install(engine, undefined);
    listener({
      type: 'loaded',
      adapter: this.adapterName,
      nAtoms: initial.nAtoms,
      nSystems: initial.nSystems,
      stages: spec.stages.map((s, i) => stageName(s, i)),
      atomicNumbers: initial.atomicNumbers.slice(),
      cell: initial.cells.slice(0, 9),
      pbc: initial.pbc.slice(0, 3),
      positions: Float32Array.from(initial.positions),
    });
  }

  async run(): Promise<RunEnd> {
    const runner = this.runner;
    if (!runner) throw new Error('nothing loaded: call load() first');
    if (this.running) return this.running;
    const running = runner.run().catch((err: unknown) => {
      const lost = this.deviceLost;
      const message = lost ?? (err instanceof Error ? err.message : String(err));
      const reason: RunEnd = lost ? 'device-lost' : 'error';
      this.listener({ type: 'end', reason, message, step: runner.where().step });
      return reason;
    });
    this.running = running;
    try {
      return await running;
    } finally {
      this.running = null;
    }
  }

  pause(): void {
    this.runner?.pause();
  }

  resume(): void {
    this.runner?.resume();
  }

  stop(): void {
    this.runner?.stop();
  }

  async snapshots(): Promise<Frame[]> {
    return this.sink.read();
  }

  async restartFromLastSnapshot(): Promise<{ step: number; stage: number }> {
    if (!this.spec || !this.initial) throw new Error('nothing loaded: call load() first');
    if (this.running) {
      this.runner?.stop();
      await this.running;
    }
    this.device = null;
    await this.ensureDevice();
    const snapshot = this.sink.last();
    const batch = cloneBatch(this.initial);
    let start: RunPosition | undefined;
    if (snapshot?.velocities) {
      batch.positions.set(snapshot.positions);
      batch.velocities.set(snapshot.velocities);
      start = {
        stage: snapshot.stage,
        stageStep: snapshot.stageStep,
        step: snapshot.step,
        time: snapshot.time,
      };
    }
    this.install(await this.createEngine(this.spec, batch, this.tables), start);
    const at = start ?? { stage: 0, step: 0 };
    return { step: at.step, stage: at.stage };
  }

  loseDeviceForTesting(): void {
    this.device?.destroy();
  }

  /** Creates a GPU engine for a batch on the current device. */
  private createEngine(
    spec: PipelineSpec,
    batch: Batch,
    tables: EamTabulation | undefined,
  ): Promise<GpuEngine> {
    return createGpuEngine(this.device!, batch, spec.potential, {
      skin: spec.neighbor.skin,
      ...(tables ? { tables } : {}),
    });
  }

  /** Makes `engine` the current one (destroying the previous) with a runner starting at `start`. */
  private install(engine: GpuEngine, start: RunPosition | undefined): void {
    if (this.engine !== engine) this.engine?.destroy();
    this.engine = engine;
    this.runner = new StageRunner(
      {
        engine,
        stages: this.spec!.stages,
        listener: (e) => this.listener(e),
        sink: this.sink,
        ...(start ? { start } : {}),
      },
      this.initial!.atomsPtr,
    );
  }

  private async ensureDevice(): Promise<void> {
    if (this.device) return;
    const { device, adapter } = await requestGpuDevice();
    this.device = device;
    this.adapterName = adapter;
    this.deviceLost = null;
    void device.lost.then((info) => {
      if (this.device !== device) return;
      this.deviceLost = `${info.reason === 'destroyed' ? 'the device was destroyed' : 'the device was lost'}${info.message ? `: ${info.message}` : ''}`;
      this.runner?.abort('device-lost', this.deviceLost);
      this.listener({ type: 'device-lost', message: this.deviceLost, canRestart: true });
    });
  }
}
