/**
 * The engine as a worker exposes it (EngineWorkerApi): owns the GPU device, the engine built from a spec,
 * the stage runner and the snapshot sink. Framework-free: the worker entry only wraps it with comlink.
 */
import type { GnnModel } from '../io/gnnWeights.ts';
import type { PipelineSpec, PipelineSpecInput } from '../io/spec.ts';
import { parseSpec, stageName } from '../io/spec.ts';
import type { ZarrStore } from '../io/zarr/store.ts';
import type { TrajectoryFrame } from '../io/zarr/trajectoryFrame.ts';
import { readTrajectory } from '../io/zarr/trajectoryReader.ts';
import { exportZarrZip } from '../io/zarr/zarrZip.ts';
import type { EngineListener, EngineWorkerApi, RunEnd, ViewOptions } from './api.ts';
import type { Batch } from './batch.ts';
import { cloneBatch } from './batch.ts';
import { requestGpuDevice } from './device.ts';
import { createGpuEngine, type WebGpuEngine } from './gpu/engine.ts';
import { HostDomain } from './hostDomain.ts';
import { HostPipeline } from './hostPipeline.ts';
import type { EamTabulation } from './potentials/eamTabulation.ts';
import type { RunPosition } from './runner.ts';
import { engineBatch, StageRunner } from './runner.ts';
import { openRunStore } from './sinks/opfsRuns.ts';
import { SinkSet, snapshotHookSpecs } from './sinks/sinkSet.ts';
import { buildSystem } from './structures/index.ts';

export class EngineHost implements EngineWorkerApi {
  private device: GPUDevice | null = null;
  private adapterName = '';
  private spec: PipelineSpec | null = null;
  private initial: Batch | null = null;
  private tables: EamTabulation | undefined = undefined;
  private gnnModel: GnnModel | undefined = undefined;
  private listener: EngineListener = () => {};
  private engine: WebGpuEngine | null = null;
  private runner: StageRunner<GPUCommandEncoder> | null = null;
  /**
   * Pipeline mode (placement `pipeline`) or domain mode (placement `domain`): the workers this host
   * coordinates, instead of `runner`.
   */
  private pipeline: HostPipeline | HostDomain | null = null;
  private sinks: SinkSet | null = null;
  private deviceLost: string | null = null;
  private running: Promise<RunEnd> | null = null;
  /** The loads asked for, one after the other (a run waits for them: none may swap its engine). */
  private loads: Promise<unknown> = Promise.resolve();

  async init(): Promise<{ adapter: string }> {
    await this.ensureDevice();
    return { adapter: this.adapterName };
  }

  load(
    input: PipelineSpecInput,
    listener: EngineListener,
    batch?: Batch,
    tables?: EamTabulation,
    gnnModel?: GnnModel,
  ): Promise<void> {
    const next = this.loads.then(() => this.loadNow(input, listener, batch, tables, gnnModel));
    this.loads = next.catch(() => {});
    return next;
  }

  private async loadNow(
    input: PipelineSpecInput,
    listener: EngineListener,
    batch?: Batch,
    tables?: EamTabulation,
    gnnModel?: GnnModel,
  ): Promise<void> {
    if (this.running) throw new Error('a run is in progress: stop it before loading another spec');
    const spec = parseSpec(input);
    if (spec.potential.kind === 'eam' && !tables) {
      throw new Error(
        `the EAM potential ${spec.potential.file} needs its tables: give its file(s) with the spec`,
      );
    }
    if (spec.potential.kind === 'gnn' && !gnnModel) {
      throw new Error(
        `the GNN potential ${spec.potential.model} needs its model: give its .json and .safetensors with the spec`,
      );
    }
    const initial = batch ? cloneBatch(batch) : buildSystem(spec.system);
    if (spec.placement.kind === 'pipeline' || spec.placement.kind === 'domain')
      return this.loadPipeline(spec, initial, tables, listener, gnnModel);
    await this.ensureDevice();
    // Build the new engine before touching the current one, so that a refused system or
    // potential leaves the loaded one as it was.
    const engine = await this.createEngine(spec, initial, tables, gnnModel);
    let sinks: SinkSet;
    try {
      sinks = await this.createSinks(spec, engine);
    } catch (error) {
      engine.destroy();
      throw error;
    }
    this.adopt(spec, initial, tables, listener, sinks, null, gnnModel);
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
    await this.loads;
    if (this.pipeline) return this.runPipeline(this.pipeline);
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
    const flushed = running.then(async (reason) => {
      // GPU rings drain into the Zarr trajectory and host rings; the store is complete up to the end.
      if (reason !== 'device-lost') await this.sinks?.flush().catch(() => {});
      return reason;
    });
    this.running = flushed;
    try {
      return await flushed;
    } finally {
      this.running = null;
    }
  }

  pause(): void {
    this.pipeline?.pause();
    this.runner?.pause();
  }

  resume(): void {
    this.pipeline?.resume();
    this.runner?.resume();
  }

  stop(): void {
    this.pipeline?.stop();
    this.runner?.stop();
  }

  step(): void {
    this.pipeline?.step();
    this.runner?.step();
  }

  /**
   * Pipeline mode: starts one nested worker per segment (each with its own device), wires their
   * links and loads their segments; only then replaces what was loaded (a failure keeps it). The
   * sinks are this host's: every worker's snapshot frames go to the run's one trajectory.
   */
  private async loadPipeline(
    spec: PipelineSpec,
    initial: Batch,
    tables: EamTabulation | undefined,
    listener: EngineListener,
    gnnModel: GnnModel | undefined,
  ): Promise<void> {
    const zarrStore = await this.trajectoryStore(spec);
    const sinks = await SinkSet.create(snapshotHookSpecs(spec.stages), {
      ...(zarrStore ? { zarrStore, zarr: { pipelineSpec: spec, flushEveryFrames: 20 } } : {}),
      emit: (e) => listener(e),
    });
    let pipeline: HostPipeline | HostDomain;
    try {
      const common = {
        spec,
        ...(tables ? { tables } : {}),
        ...(gnnModel ? { gnnModel } : {}),
        listener,
        sinks,
      };
      pipeline = await (spec.placement.kind === 'domain'
        ? HostDomain.start({ ...common, system: initial })
        : HostPipeline.start({ ...common, systems: initial }));
    } catch (error) {
      sinks.destroy();
      throw error;
    }
    this.adopt(spec, initial, tables, listener, sinks, pipeline, gnnModel);
    this.engine?.destroy();
    this.engine = null;
    this.runner = null;
    // The coordinator sent `loaded` (its adapter says how many workers) when its workers were ready.
  }

  /** Makes a newly loaded run the current one, releasing the previous run's sinks and pipeline. */
  private adopt(
    spec: PipelineSpec,
    initial: Batch,
    tables: EamTabulation | undefined,
    listener: EngineListener,
    sinks: SinkSet,
    pipeline: HostPipeline | HostDomain | null,
    gnnModel: GnnModel | undefined,
  ): void {
    this.spec = spec;
    this.initial = initial;
    this.tables = tables;
    this.gnnModel = gnnModel;
    this.listener = listener;
    this.sinks?.destroy();
    this.sinks = sinks;
    this.pipeline?.destroy();
    this.pipeline = pipeline;
  }

  /** Pipeline mode: runs the workers to the end; the trajectory is flushed before resolving. */
  private async runPipeline(pipeline: HostPipeline | HostDomain): Promise<RunEnd> {
    if (this.running) return this.running;
    const running = pipeline.run().catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      this.listener({ type: 'end', reason: 'error', message, step: 0 });
      return 'error' as RunEnd;
    });
    const flushed = running.then(async (reason) => {
      await this.sinks?.flush().catch(() => {});
      return reason;
    });
    this.running = flushed;
    try {
      return await flushed;
    } finally {
      this.running = null;
    }
  }

  async setViewOptions(options: ViewOptions): Promise<void> {
    if (this.pipeline instanceof HostDomain) this.pipeline.setViewOptions(options);
    await this.runner?.setViewOptions(options);
  }

  async snapshots(): Promise<TrajectoryFrame[]> {
    const sinks = this.sinks;
    if (!sinks) return [];
    await sinks.drain();
    const host = sinks.hostFrames();
    if (host.length > 0 || !sinks.zarr || sinks.zarr.length === 0) return host;
    // Snapshots recorded to Zarr only: read them back from the run's store, as far as written.
    await sinks.flush();
    return (await readTrajectory(sinks.zarr.store)).frames;
  }

  async restartFromLastSnapshot(): Promise<{ step: number; stage: number }> {
    if (!this.spec || !this.initial) throw new Error('nothing loaded: call load() first');
    if (this.pipeline instanceof HostDomain)
      throw new Error('a run over a grid of workers cannot restart from a snapshot: load the spec again');
    if (this.spec.batching) {
      throw new Error(
        'a run with inflight batching cannot restart from a snapshot (its systems move between slots); load the spec again',
      );
    }
    if (this.running) {
      this.runner?.stop();
      await this.running;
    }
    this.device = null;
    await this.ensureDevice();
    const snapshot = this.sinks?.lastFrame();
    const batch = cloneBatch(this.initial);
    let start: RunPosition | undefined;
    // A whole-batch frame (every system, batch order) with velocities is a restart point.
    if (snapshot?.velocities && snapshot.positions.length === batch.positions.length) {
      batch.positions.set(snapshot.positions);
      batch.velocities.set(snapshot.velocities);
      start = {
        stage: snapshot.stage,
        stageStep: snapshot.stageStep,
        step: snapshot.step,
        time: snapshot.time,
      };
    }
    const engine = await this.createEngine(this.spec, batch, this.tables, this.gnnModel);
    this.sinks?.destroy();
    this.sinks = await this.createSinks(this.spec, engine);
    this.install(engine, start);
    const at = start ?? { stage: 0, step: 0 };
    return { step: at.step, stage: at.stage };
  }

  loseDeviceForTesting(): void {
    this.device?.destroy();
  }

  /** Creates a GPU engine for the run of `systems` on the current device (resident batch with batching). */
  private createEngine(
    spec: PipelineSpec,
    systems: Batch,
    tables: EamTabulation | undefined,
    gnnModel: GnnModel | undefined,
  ): Promise<WebGpuEngine> {
    return createGpuEngine(this.device!, engineBatch(systems, spec.batching), spec.potential, {
      skin: spec.neighbor.skin,
      ...(tables ? { tables } : {}),
      ...(gnnModel ? { gnnModel } : {}),
    });
  }

  /** Makes `engine` the current one (destroying the previous) with a runner starting at `start`. */
  private install(engine: WebGpuEngine, start: RunPosition | undefined): void {
    if (this.engine !== engine) this.engine?.destroy();
    this.engine = engine;
    const spec = this.spec!;
    const runner: StageRunner<GPUCommandEncoder> = new StageRunner({
      engine,
      stages: spec.stages,
      systems: this.initial!,
      ...(spec.batching ? { batching: spec.batching } : {}),
      // A replaced runner may still answer a view request after the next load: drop what it says,
      // or the page would pair its frame with the new system's atoms.
      listener: (e) => {
        if (this.runner === runner) this.listener(e);
      },
      hookDeps: { sinks: this.sinks! },
      ...(start ? { start } : {}),
    });
    this.runner = runner;
  }

  /** The sinks of a run of `spec` on `engine` (GPU rings copy from its buffers). */
  private async createSinks(spec: PipelineSpec, engine: WebGpuEngine): Promise<SinkSet> {
    const zarrStore = await this.trajectoryStore(spec);
    return SinkSet.create(snapshotHookSpecs(spec.stages), {
      ...(zarrStore ? { zarrStore, zarr: { pipelineSpec: spec, flushEveryFrames: 20 } } : {}),
      gpu: { device: engine.device, source: engine.buffers },
      emit: (e) => this.listener(e),
    });
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

  async exportTrajectory(): Promise<{ blob: Blob; frames: number } | null> {
    const sinks = this.sinks;
    const zarr = sinks?.zarr;
    if (!sinks || !zarr) return null;
    await sinks.flush();
    return { blob: await exportZarrZip(zarr.store), frames: zarr.length };
  }

  /**
   * Where the Zarr trajectory of a run of `spec` goes: a fresh run directory in the Origin Private
   * File System when a snapshot hook writes to Zarr or a GPU ring (older runs pruned); none in Node.
   */
  private async trajectoryStore(spec: PipelineSpec): Promise<ZarrStore | undefined> {
    if (!snapshotHookSpecs(spec.stages).some((h) => h.sink !== 'host')) return undefined;
    return openRunStore();
  }
}
