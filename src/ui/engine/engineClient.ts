/**
 * The page's side of the engine worker: starts it, loads and runs specs, and turns engine events
 * into run-state updates (throttled for logs), plot series and view updates. Framework-free; React
 * components reach it through a context.
 */
import * as Comlink from 'comlink';
import type { EngineEvent, EngineWorkerApi, Frame, LogRecord, ViewOptions } from '../../engine/api.ts';
import type { Batch } from '../../engine/batch.ts';
import type { EamTabulation } from '../../engine/potentials/eamTabulation.ts';
import type { GnnModel } from '../../io/gnnWeights.ts';
import type { PipelineSpec } from '../../io/spec.ts';
import type { TrajectoryFrame } from '../../io/zarr/trajectoryFrame.ts';
import { LogSeries } from '../plots/logSeries.ts';
import { createStore, type Store } from '../state/createStore.ts';
import { describePipeline } from '../state/pipelineInfo.ts';
import { placementAction, type RunAction, type RunState, reduceRunState } from '../state/runState.ts';
import { detectWebGpu } from './webgpuSupport.ts';

/** Receives the atoms to show: `loaded` (all atoms) and `frame` (new positions). */
export interface ViewSink {
  onLoaded(event: Extract<EngineEvent, { type: 'loaded' }>): void;
  onPositions(positions: Float32Array): void;
  /** The whole live frame (slots, forces and velocities when asked for), after `onPositions`. */
  onFrame?(frame: Frame): void;
}

/** What travels next to the spec: the atoms of a `file` system, the tables of an EAM potential, the model of a GNN. */
export interface EngineInputs {
  /** Identifies these inputs: a run reloads the engine when it differs from the loaded one. */
  key: string;
  batch?: Batch;
  tables?: EamTabulation;
  gnnModel?: GnnModel;
  /** Element symbol per atom, for export (default: from the atomic numbers). */
  symbols?: string[];
}

/** The atoms as the view shows them now, for export. */
export interface CurrentFrame {
  /** Element symbol per atom ('' where the page does not know it). */
  symbols: string[] | null;
  atomicNumbers: Int32Array;
  /** Å, xyz interleaved. */
  positions: Float32Array;
  /** Å, rows a, b, c. */
  cell: Float64Array;
  pbc: [boolean, boolean, boolean];
  step: number;
  /** fs. */
  time: number;
}

/** How much the run's Zarr trajectory holds (from `trajectory` events); null when it has none yet. */
export type TrajectoryInfo = Omit<Extract<EngineEvent, { type: 'trajectory' }>, 'type'> | null;

/** Status updates from log records are coalesced to at most this rate. */
const LOG_FLUSH_MS = 100;

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The worker, or anything that speaks comlink's protocol and can be ended. */
export type EngineEndpoint = Comlink.Endpoint & { terminate(): void };

export class EngineClient {
  readonly series = new LogSeries();
  /** The loaded run's Zarr trajectory, as far as the engine reported it. */
  readonly trajectory: Store<TrajectoryInfo> = createStore<TrajectoryInfo>(null);
  private records: LogRecord[] = [];
  private worker: EngineEndpoint | null = null;
  private api: Comlink.Remote<EngineWorkerApi> | null = null;
  private loadedSpec: string | null = null;
  private loadedSymbols: string[] | null = null;
  private lastLoaded: Extract<EngineEvent, { type: 'loaded' }> | null = null;
  private lastPositions: Float32Array | null = null;
  private lastFrame: Frame | null = null;
  private lastFrameAt = { step: 0, time: 0 };
  private views = new Set<ViewSink>();
  private pendingLog: LogRecord | null = null;
  /** The newest live frame not yet applied to the run state (its step, for the step counter). */
  private pendingFrame: Frame | null = null;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(
    private readonly store: Store<RunState>,
    private readonly createWorker: () => EngineEndpoint,
  ) {}

  private dispatch(action: RunAction): void {
    this.store.setState((s) => reduceRunState(s, action));
  }

  /** Detects WebGPU, starts the worker, initialises the device and loads `spec`. */
  async start(spec: PipelineSpec): Promise<void> {
    const support = await detectWebGpu(navigator, window.isSecureContext);
    if (this.disposed) return;
    if (!support.ok) {
      this.dispatch({ type: 'page/unsupported', reason: support.reason });
      return;
    }
    await this.connect(spec);
  }

  /** Starts the worker, initialises its device and loads `spec` (WebGPU already known to be there). */
  async connect(spec: PipelineSpec): Promise<void> {
    this.dispatch({ type: 'page/loading' });
    this.worker = this.createWorker();
    this.worker.addEventListener('error', (e) => {
      const message = 'message' in e && typeof e.message === 'string' ? e.message : '';
      this.dispatch({ type: 'page/error', message: message || 'the engine worker failed' });
    });
    this.api = Comlink.wrap<EngineWorkerApi>(this.worker);
    try {
      await this.api.init();
    } catch (e) {
      this.dispatch({ type: 'page/unsupported', reason: messageOf(e) });
      return;
    }
    await this.load(spec);
  }

  /**
   * Loads `spec` (with the atoms and tables of `inputs`) into the engine; the view shows the new
   * atoms. On failure the error banner says why and the engine keeps what it had. Returns success.
   */
  async load(spec: PipelineSpec, inputs?: EngineInputs): Promise<boolean> {
    const api = this.api;
    if (!api) return false;
    // The `loaded` event names the segments only; the page knows their sub-stages from the spec.
    this.dispatch({ type: 'page/pipeline', pipeline: describePipeline(spec) });
    this.dispatch(placementAction(spec.placement));
    try {
      await api.load(
        spec,
        Comlink.proxy((e: EngineEvent) => this.onEvent(e)),
        inputs?.batch,
        inputs?.tables,
        inputs?.gnnModel,
      );
      this.loadedSpec = this.loadKey(spec, inputs);
      this.loadedSymbols = inputs?.symbols ?? null;
      return true;
    } catch (e) {
      this.dispatch({ type: 'page/error', message: messageOf(e) });
      return false;
    }
  }

  private loadKey(spec: PipelineSpec, inputs: EngineInputs | undefined): string {
    return `${JSON.stringify(spec)}\n${inputs?.key ?? ''}`;
  }

  /** Runs `spec`, reloading it first if it or its inputs differ from the loaded ones or the last run has ended. */
  async run(spec: PipelineSpec, inputs?: EngineInputs): Promise<void> {
    const api = this.api;
    if (!api) return;
    const phase = this.store.getState().phase;
    if (phase === 'running' || phase === 'paused') return;
    if (this.loadKey(spec, inputs) !== this.loadedSpec || phase === 'ended') {
      if (!(await this.load(spec, inputs))) return;
    }
    try {
      await api.run();
    } catch (e) {
      this.dispatch({ type: 'page/error', message: messageOf(e) });
    }
  }

  /** The atoms as last shown (loaded system, latest frame), or null before anything is loaded. */
  currentFrame(): CurrentFrame | null {
    const loaded = this.lastLoaded;
    const positions = this.lastPositions;
    if (!loaded || !positions) return null;
    const pbc = Array.from(loaded.pbc.subarray(0, 3), (p) => p !== 0) as [boolean, boolean, boolean];
    return {
      symbols: this.loadedSymbols?.length === loaded.nAtoms ? this.loadedSymbols : null,
      atomicNumbers: loaded.atomicNumbers,
      positions,
      cell: loaded.cell,
      pbc,
      step: this.lastFrameAt.step,
      time: this.lastFrameAt.time,
    };
  }

  pause(): void {
    void this.api?.pause();
  }

  resume(): void {
    void this.api?.resume();
  }

  stop(): void {
    void this.api?.stop();
  }

  /** While paused: one step, then paused again (the engine ignores it while running). */
  step(): void {
    void this.api?.step();
  }

  /**
   * What live frames carry besides positions (forces for colour by force, velocities for the atom
   * inspector); when nothing is stepping the engine sends such a frame at once.
   */
  async setViewOptions(options: ViewOptions): Promise<void> {
    try {
      await this.api?.setViewOptions(options);
    } catch (e) {
      this.dispatch({ type: 'page/error', message: `the view could not get forces: ${messageOf(e)}` });
    }
  }

  /** After a device loss: rebuilds on a new device from the last snapshot, then runs on. */
  async restartFromLastSnapshot(): Promise<void> {
    const api = this.api;
    if (!api) return;
    try {
      const at = await api.restartFromLastSnapshot();
      this.dispatch({ type: 'page/restored', step: at.step, stage: at.stage });
      await api.run();
    } catch (e) {
      this.dispatch({ type: 'page/error', message: messageOf(e) });
    }
  }

  /** The frames the run's snapshot hooks hold in host memory (GPU rings drained), oldest first. */
  async recordedFrames(): Promise<TrajectoryFrame[]> {
    const api = this.api;
    if (!api) return [];
    try {
      return await api.snapshots();
    } catch (e) {
      this.dispatch({
        type: 'page/error',
        message: `the recorded frames could not be read: ${messageOf(e)}`,
      });
      return [];
    }
  }

  /** The log records of the loaded run so far, oldest first (for the CSV download). */
  logRecords(): readonly LogRecord[] {
    return this.records;
  }

  /**
   * The run's Zarr trajectory as a `.zarr.zip` Blob, or null when it has none; failures show in the
   * error banner (and give null).
   */
  async exportTrajectory(): Promise<{ blob: Blob; frames: number } | null> {
    const api = this.api;
    if (!api) return null;
    try {
      return await api.exportTrajectory();
    } catch (e) {
      this.dispatch({ type: 'page/error', message: `the trajectory could not be exported: ${messageOf(e)}` });
      return null;
    }
  }

  /** Testing aid (e2e): destroys the worker's GPU device. */
  loseDeviceForTesting(): void {
    void this.api?.loseDeviceForTesting();
  }

  /** Registers a view; it is given the loaded atoms and the latest positions at once. */
  addView(view: ViewSink): () => void {
    this.views.add(view);
    if (this.lastLoaded) view.onLoaded(this.lastLoaded);
    if (this.lastPositions) view.onPositions(this.lastPositions);
    if (this.lastFrame) view.onFrame?.(this.lastFrame);
    return () => {
      this.views.delete(view);
    };
  }

  private onEvent(e: EngineEvent): void {
    if (this.disposed) return;
    switch (e.type) {
      case 'trajectory':
        this.trajectory.setState({ frames: e.frames, samples: e.samples, atoms: e.atoms });
        return;
      case 'log':
        this.records.push(e.record);
        this.series.append(e.record);
        this.pendingLog = e.record;
        this.flushTimer ??= setTimeout(() => this.flushLog(), LOG_FLUSH_MS);
        return;
      case 'frame':
        this.lastPositions = e.frame.positions;
        this.lastFrame = e.frame;
        this.lastFrameAt = { step: e.frame.step, time: e.frame.time };
        for (const v of this.views) {
          v.onPositions(e.frame.positions);
          v.onFrame?.(e.frame);
        }
        this.pendingFrame = e.frame;
        this.flushTimer ??= setTimeout(() => this.flushLog(), LOG_FLUSH_MS);
        return;
      case 'loaded':
        this.lastLoaded = e;
        this.lastPositions = e.positions;
        this.lastFrame = null;
        this.lastFrameAt = { step: 0, time: 0 };
        this.series.clear();
        this.records = [];
        this.trajectory.setState(null);
        for (const v of this.views) v.onLoaded(e);
        break;
    }
    // Other events change what the page shows; apply any pending log first to keep the order.
    this.flushLog();
    this.dispatch(e);
  }

  private flushLog(): void {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const record = this.pendingLog;
    const frame = this.pendingFrame;
    this.pendingLog = null;
    this.pendingFrame = null;
    if (record) this.dispatch({ type: 'log', record });
    if (frame) this.dispatch({ type: 'frame', frame });
  }

  dispose(): void {
    this.disposed = true;
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.api?.[Comlink.releaseProxy]();
    this.worker?.terminate();
    this.views.clear();
  }
}
