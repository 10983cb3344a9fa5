/**
 * The coordinator of a worker pipeline (issue 8, DESIGN §5): starts one worker per segment (Web
 * Workers in browsers, worker_threads in Node; the same messages), wires a MessageChannel between
 * each pair of consecutive workers, loads each one's segment and forwards run controls. Systems go
 * from worker to worker directly; the last worker hands finished systems (with their history) to the
 * coordinator, which keeps them whatever happens to the workers later. Snapshot frames of every worker
 * go to the coordinator's sinks (one trajectory per run).
 *
 * Failure detection: a worker's error event, a failure it reports (its runner threw, its device was
 * lost), its exit, or silence longer than `unresponsiveMs` (heartbeats come every 250 ms) fails the
 * run within that time: every worker is terminated and `end.message` names the worker and its stage.
 */

import type { GnnModel } from '../../io/gnnWeights.ts';
import type { PipelineSpec } from '../../io/spec.ts';
import { stageName } from '../../io/spec.ts';
import type { EngineListener, RunEnd, StageVisit } from '../api.ts';
import type { Batch } from '../batch.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import { type SinkSet, snapshotHookSpecs } from '../sinks/sinkSet.ts';
import type { TransferablePort } from '../transport/port.ts';
import type { WorkerEndpoint } from '../workers/endpoint.ts';
import {
  describeWorkerFailure,
  HeartbeatWatch,
  loadedEvent,
  StartGate,
  superviseEndpoint,
  type WorkerFailReason,
  writeForwardedFrame,
} from '../workers/supervision.ts';
import type { SystemPacket } from './packet.ts';
import type { FromWorker, PipelineBackend, ToWorker } from './protocol.ts';

export type { StageVisit } from '../api.ts';
export type { TransferablePort } from '../transport/port.ts';

/** The coordinator's handle on one started worker. */
export type PipelineEndpoint = WorkerEndpoint<ToWorker, FromWorker>;

export interface PipelineLaunch {
  /** The engine the workers run. */
  readonly backend: PipelineBackend;
  /** Starts worker `index` (running workers/pipeline.worker.ts or its Node twin) and returns its endpoint. */
  spawn(index: number): PipelineEndpoint;
  /** A connected pair of ports for a worker-to-worker link (MessageChannel). */
  channel(): [TransferablePort, TransferablePort];
}

export interface PipelineOptions {
  /** The parsed spec; `placement.kind === 'pipeline'`. */
  spec: PipelineSpec;
  /** Every system of the run; worker 0 admits them from its size-aware sampler. */
  systems: Batch;
  /** EAM tables, for an EAM potential. */
  tables?: EamTabulation;
  /** The model of a GNN potential. */
  gnnModel?: GnnModel;
  listener: EngineListener;
  launch: PipelineLaunch;
  /**
   * Where the frames of every worker's snapshot hooks go (made from snapshotHookSpecs(spec.stages) of
   * this same spec object). Without it, snapshot hooks are refused at start.
   */
  sinks?: Pick<SinkSet, 'sinkFor'>;
  /** A worker silent this long is failed, ms (default 1500). */
  unresponsiveMs?: number;
  /** Status events and heartbeats of each worker every this many ms (default 250). */
  heartbeatMs?: number;
  /** Least wall time between two live view frames of one worker, ms (default 100; 0: none). */
  viewFrameIntervalMs?: number;
  /** Longest wait for the workers to load, ms (default 60 000). */
  startTimeoutMs?: number;
}

/** A system that went through the whole pipeline. */
export interface FinishedSystem {
  /** A one-system batch as it left the last segment (Å, Å/fs). */
  system: Batch;
  /** Forces when it left, eV/Å. */
  forces?: Float64Array;
  /** The segments it went through, in order. */
  history: StageVisit[];
}

export interface PipelineResult {
  end: RunEnd;
  /** Why it ended, when not completed (names the failed worker and its stage). */
  message?: string;
  /** The systems that reached the end of the pipeline, in the order they arrived. */
  finished: FinishedSystem[];
}

interface WorkerSlot {
  endpoint: PipelineEndpoint;
  name: string;
  lastHeard: number;
  ready: boolean;
  done: { end: RunEnd; message?: string; step: number } | null;
  step: number;
}

export class PipelineCoordinator {
  private readonly spec: PipelineSpec;
  private readonly workers: WorkerSlot[] = [];
  private readonly finished: FinishedSystem[] = [];
  private readonly delivered = new Set<number>();
  private readonly hooks;
  private readonly watchdog: HeartbeatWatch;
  private failure: { message: string; end: RunEnd } | null = null;
  private settle: ((r: PipelineResult) => void) | null = null;
  private readonly startGate = new StartGate();
  private running: Promise<PipelineResult> | null = null;
  private stopped = false;
  private destroyed = false;
  private paused = false;

  constructor(private readonly options: PipelineOptions) {
    const spec = options.spec;
    this.spec = spec;
    this.hooks = snapshotHookSpecs(spec.stages);
    this.watchdog = new HeartbeatWatch(this.workers, options.unresponsiveMs ?? 1500, (i, message) =>
      this.fail(i, 'unresponsive', message),
    );
  }

  /** Checks the spec, spawns the workers, wires the links and loads each worker's segment. */
  async start(): Promise<void> {
    const spec = this.spec;
    const o = this.options;
    if (spec.placement.kind !== 'pipeline') throw new Error('the spec’s placement is not a pipeline');
    if (!spec.batching) throw new Error('placement.pipeline needs batching (each worker’s resident batch)');
    const links = spec.placement.links;
    if (links.length !== spec.stages.length - 1)
      throw new Error(
        `placement.links: needs ${spec.stages.length - 1} link(s) for ${spec.stages.length} stage(s), got ${links.length}`,
      );
    if (this.hooks.length > 0 && !o.sinks)
      throw new Error('the spec has snapshot hooks but the pipeline was given no sinks for their frames');
    const ids = new Set<number>();
    for (let s = 0; s < o.systems.nSystems; s++) {
      const id = o.systems.systemIds[s]!;
      if (ids.has(id)) throw new Error(`system id ${id} appears twice: every system needs its own id`);
      ids.add(id);
      const atoms = o.systems.atomsPtr[s + 1]! - o.systems.atomsPtr[s]!;
      if (atoms > spec.batching.maxAtoms)
        throw new Error(
          `system ${id} has ${atoms} atoms, more than batching.maxAtoms (${spec.batching.maxAtoms}): raise maxAtoms`,
        );
      links.forEach((link, i) => {
        if (atoms > link.maxAtoms)
          throw new Error(
            `system ${id} has ${atoms} atoms, more than placement.links[${i}].maxAtoms (${link.maxAtoms}): it could never reach stage ${i + 2}`,
          );
      });
    }

    const n = spec.stages.length;
    const channels = Array.from({ length: n - 1 }, () => o.launch.channel());
    const now = performance.now();
    for (let i = 0; i < n; i++) {
      const endpoint = o.launch.spawn(i);
      const slot: WorkerSlot = {
        endpoint,
        name: stageName(spec.stages[i]!, i),
        lastHeard: now,
        ready: false,
        done: null,
        step: 0,
      };
      this.workers.push(slot);
      superviseEndpoint(
        endpoint,
        (m) => this.receive(i, m),
        (reason, message) => this.fail(i, reason, message),
      );
    }
    const started = this.startGate.open();
    for (let i = 0; i < n; i++) {
      const upstream = i > 0 ? channels[i - 1]![1] : undefined;
      const downstream = i < n - 1 ? channels[i]![0] : undefined;
      const init: ToWorker = {
        type: 'init',
        index: i,
        spec,
        backend: o.launch.backend,
        ...(i === 0 ? { systems: o.systems } : {}),
        ...(o.tables ? { tables: o.tables } : {}),
        ...(o.gnnModel ? { gnnModel: o.gnnModel } : {}),
        ...(upstream ? { upstream } : {}),
        ...(downstream ? { downstream } : {}),
        heartbeatMs: o.heartbeatMs ?? 250,
        viewFrameIntervalMs: o.viewFrameIntervalMs ?? 100,
      };
      this.workers[i]!.endpoint.post(
        init,
        [upstream, downstream].filter((p) => p !== undefined),
      );
    }
    this.watchdog.start();
    const timeout = o.startTimeoutMs ?? 60_000;
    try {
      await this.startGate.wait(
        started,
        timeout,
        () => `the pipeline's workers did not load within ${timeout / 1000} s`,
      );
    } catch (e) {
      this.destroy();
      throw e;
    }
    const adapter = `${this.workers.length} ${o.launch.backend === 'cpu' ? 'f64 CPU' : 'WebGPU'} workers`;
    this.options.listener(loadedEvent(adapter, o.systems, spec.stages));
  }

  /** Runs until every worker is done, one fails, or the run is stopped. */
  run(): Promise<PipelineResult> {
    if (this.running) return this.running;
    if (this.workers.length === 0 || this.workers.some((w) => !w.ready))
      return Promise.reject(new Error('the pipeline is not started: call start() first'));
    this.running = new Promise<PipelineResult>((resolve) => {
      this.settle = resolve;
    });
    if (this.failure) this.finish();
    else {
      this.options.listener({ type: 'state', state: this.paused ? 'paused' : 'running' });
      for (const w of this.workers) w.endpoint.post({ type: 'run' });
    }
    return this.running;
  }

  pause(): void {
    this.paused = true;
    this.broadcast({ type: 'pause' });
    if (this.running) this.options.listener({ type: 'state', state: 'paused' });
  }

  resume(): void {
    this.paused = false;
    this.broadcast({ type: 'resume' });
    if (this.running) this.options.listener({ type: 'state', state: 'running' });
  }

  /** Every worker runs one step (those with systems to step), then stays paused. */
  step(): void {
    if (!this.paused) return;
    this.broadcast({ type: 'step' });
  }

  /** Ends the run after each worker's current chunk. */
  stop(): void {
    this.stopped = true;
    this.broadcast({ type: 'stop' });
  }

  /** Terminates worker `index` abruptly (testing: a worker killed mid-run). Detection is the usual one. */
  kill(index: number): void {
    this.workers[index]?.endpoint.terminate();
  }

  /** Testing aid: worker `index` throws an uncaught error, or stops answering. */
  failForTesting(index: number, how: 'throw' | 'hang'): void {
    this.workers[index]?.endpoint.post({ type: 'fail-for-testing', how });
  }

  /** Terminates every worker and stops watching them. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.watchdog.stop();
    for (const w of this.workers) w.endpoint.terminate();
  }

  /** The systems delivered so far (they stay whatever happens to the workers). */
  finishedSystems(): readonly FinishedSystem[] {
    return this.finished;
  }

  private broadcast(m: ToWorker): void {
    for (const w of this.workers) if (!w.done) w.endpoint.post(m);
  }

  private receive(i: number, m: FromWorker): void {
    const w = this.workers[i]!;
    if (this.destroyed) return;
    w.lastHeard = performance.now();
    switch (m.type) {
      case 'ready':
        w.ready = true;
        if (this.workers.every((x) => x.ready)) this.startGate.resolve();
        return;
      case 'heartbeat':
        return;
      case 'event':
        if (m.event.type === 'worker') w.step = m.event.step;
        this.options.listener(m.event);
        return;
      case 'frame':
        writeForwardedFrame(this.hooks, this.options.sinks, m.hook, m.frame, (message) =>
          this.fail(i, 'error', message),
        );
        return;
      case 'finished':
        this.deliver(i, m.packets);
        return;
      case 'failed':
        this.fail(i, m.reason, m.message);
        return;
      case 'done':
        w.done = { end: m.end, step: m.step, ...(m.message ? { message: m.message } : {}) };
        w.step = m.step;
        if (m.end !== 'completed' && m.end !== 'stopped' && !this.failure) {
          // A worker's own run ended otherwise (a NaN, a hook's stop): the whole run ends so.
          this.failure = { end: m.end, message: `worker ${i} (${w.name}) ended: ${m.end}` };
          this.stopAll();
        } else if (m.end === 'stopped' && !this.stopped && !this.failure) {
          // A hook stopped one worker: stop the rest.
          this.stopped = true;
          this.broadcast({ type: 'stop' });
        }
        if (this.workers.every((x) => x.done)) this.finish();
        return;
    }
  }

  private deliver(i: number, packets: readonly SystemPacket[]): void {
    const ids: number[] = [];
    for (const p of packets) {
      const id = p.system.systemIds[0]!;
      if (this.delivered.has(id)) {
        this.fail(i, 'error', `system ${id} was delivered twice`);
        return;
      }
      this.delivered.add(id);
      ids.push(id);
      this.finished.push({ system: p.system, history: p.history, ...(p.forces ? { forces: p.forces } : {}) });
    }
    const step = Math.max(0, ...this.workers.map((w) => w.step));
    this.options.listener({ type: 'delivered', systems: ids, step });
  }

  /** Fails the run because of worker `i` (the first failure wins). */
  private fail(i: number, reason: WorkerFailReason, message: string): void {
    if (this.failure || this.destroyed) return;
    const w = this.workers[i]!;
    if (w.done && reason === 'exited') return;
    const stage = i;
    this.options.listener({ type: 'worker-failed', worker: i, stage, name: w.name, reason, message });
    const what = describeWorkerFailure(reason, message);
    this.failure = {
      end: reason === 'device-lost' ? 'device-lost' : 'error',
      message: `worker ${i} (stage ${w.name}) ${what}; the run stopped, ${this.finished.length} system(s) already delivered are kept`,
    };
    this.startGate.reject(new Error(this.failure.message));
    this.stopAll();
    this.finish();
  }

  /** Ends every worker: the run cannot go on without one of them. */
  private stopAll(): void {
    for (const w of this.workers) w.endpoint.terminate();
    this.watchdog.stop();
  }

  private finish(): void {
    const settle = this.settle;
    if (!settle) return;
    this.settle = null;
    this.watchdog.stop();
    const step = Math.max(0, ...this.workers.map((w) => w.step));
    const failure = this.failure;
    const end: RunEnd = failure ? failure.end : this.stopped ? 'stopped' : 'completed';
    const message = failure?.message;
    this.options.listener({ type: 'end', reason: end, step, ...(message ? { message } : {}) });
    this.options.listener({ type: 'state', state: 'idle' });
    // The run is over: no worker has anything left to do (snapshots went to the sinks already).
    this.destroy();
    settle({ end, ...(message ? { message } : {}), finished: this.finished });
  }
}
