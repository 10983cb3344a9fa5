/**
 * The coordinator of a domain decomposition (issue 5, DESIGN §5): starts one worker per rank of a
 * Px×Py×Pz grid (Web Workers in browsers, worker_threads in Node; the same messages), wires a
 * MessageChannel between every pair of ranks (ports transferred in `init`: ranks then talk to each
 * other directly, like MPI point-to-point), loads each one and forwards run controls to rank 0 (its
 * runner broadcasts them, so that every rank takes them at the same step). The run looks like a
 * single run: rank 0's runner events are forwarded unchanged (frames carry the whole system and the
 * owner of each atom); every rank's status becomes a `rank` event; snapshot frames of rank 0 go to
 * the coordinator's sinks.
 *
 * Failure detection: a worker's error event, a failure it reports (its runner threw, its device was
 * lost), its exit, or silence longer than `unresponsiveMs` (heartbeats come every 250 ms) fails the
 * run within that time: `worker-failed` names the rank and its box, every worker is terminated and
 * the run ends with reason `error` (or `device-lost`) and a message saying what to do.
 */
import type { GnnModel } from '../../io/gnnWeights.ts';
import type { PipelineSpec } from '../../io/spec.ts';
import type { EngineListener, RunEnd, ViewOptions } from '../api.ts';
import type { Batch } from '../batch.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import { type SinkSet, snapshotHookSpecs } from '../sinks/sinkSet.ts';
import type { TransferablePort } from '../transport/port.ts';
import {
  describeWorkerFailure,
  HeartbeatWatch,
  loadedEvent,
  StartGate,
  superviseEndpoint,
  type WorkerFailReason,
  writeForwardedFrame,
} from '../workers/supervision.ts';
import type { GatheredAtoms } from './domainEngine.ts';
import type { DomainLaunch, FromRank, RankEndpoint, RankStatusReport, ToRank } from './launch.ts';

export type { DomainLaunch } from './launch.ts';

/** The rank grid of a spec with placement `domain`, [Px, Py, Pz]; null for other placements. */
export function domainDims(spec: PipelineSpec): [number, number, number] | null {
  // Read structurally: benchmarks also run the 1×1×1 grid, which the spec's schema refuses.
  const placement = spec.placement as { kind: string; grid?: readonly number[] };
  if (placement.kind !== 'domain' || !placement.grid || placement.grid.length !== 3) return null;
  const [px, py, pz] = placement.grid as [number, number, number];
  return [px, py, pz];
}

/** Grid coordinates of rank `rank` (LAMMPS order: x fastest), as grid.ts numbers them. */
export function rankCoords(dims: readonly [number, number, number], rank: number): [number, number, number] {
  return [rank % dims[0], Math.floor(rank / dims[0]) % dims[1], Math.floor(rank / (dims[0] * dims[1]))];
}

/** A person-readable name of a rank and its box, e.g. `rank 3 at (1, 1, 0), box a ½–1, b ½–1, c 0–1`. */
export function describeRank(dims: readonly [number, number, number], rank: number): string {
  const c = rankCoords(dims, rank);
  const frac = (i: number, p: number) => {
    const f = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(3).replace(/0+$/, ''));
    return `${f(i / p)}–${f((i + 1) / p)}`;
  };
  const box = ['a', 'b', 'c'].map((axis, k) => `${axis} ${frac(c[k]!, dims[k]!)}`).join(', ');
  return `rank ${rank} at (${c.join(', ')}), box ${box} of the cell`;
}

export interface DomainOptions {
  /** The parsed spec; placement `domain` (its grid: the ranks). */
  spec: PipelineSpec;
  /** The one system of the run (atom i has global id i). */
  system: Batch;
  /** EAM tables, for an EAM potential. */
  tables?: EamTabulation;
  /** The model of a GNN potential. */
  gnnModel?: GnnModel;
  listener: EngineListener;
  launch: DomainLaunch;
  /**
   * Where the frames of the snapshot hooks go (made from snapshotHookSpecs(spec.stages) of this same
   * spec object). Without it, snapshot hooks are refused at start.
   */
  sinks?: Pick<SinkSet, 'sinkFor'>;
  /** A worker silent this long is failed, ms (default 1500). */
  unresponsiveMs?: number;
  /** Status and heartbeats of each rank every this many ms (default 250). */
  heartbeatMs?: number;
  /** Least wall time between two live view frames, ms (default 100; 0: none). */
  viewFrameIntervalMs?: number;
  /** Longest wait for the workers to load (devices, force fields), ms (default 120 000). */
  startTimeoutMs?: number;
  /** Check at every re-neighbouring that every atom is owned exactly once (tests; costs a gather). */
  verifyIds?: boolean;
}

export interface DomainResult {
  end: RunEnd;
  /** Why it ended, when not completed (names a failed rank and its box). */
  message?: string;
  /** Steps run (rank 0's count). */
  step: number;
  /** Re-neighbourings over the run (rank 0's count; 0 if it did not finish). */
  rebuilds: number;
  /** The whole system at the end in f64, by atom id (absent after a failure). */
  atoms?: GatheredAtoms;
}

interface RankSlot {
  endpoint: RankEndpoint;
  lastHeard: number;
  ready: boolean;
  adapter: string;
  done: { end: RunEnd; message?: string; step: number; rebuilds: number; atoms?: GatheredAtoms } | null;
  status: RankStatusReport | null;
}

export class DomainCoordinator {
  private readonly spec: PipelineSpec;
  private readonly dims: [number, number, number];
  private readonly size: number;
  private readonly ranks: RankSlot[] = [];
  private readonly hooks;
  private readonly watchdog: HeartbeatWatch;
  private failure: { message: string; end: RunEnd } | null = null;
  private settle: ((r: DomainResult) => void) | null = null;
  private readonly startGate = new StartGate();
  private running: Promise<DomainResult> | null = null;
  private destroyed = false;
  private paused = false;
  /** Stage rank 0 is in (from its `stage` events), for `worker-failed`. */
  private stage = 0;
  private lastStep = 0;

  constructor(private readonly options: DomainOptions) {
    this.spec = options.spec;
    const dims = domainDims(options.spec);
    if (!dims) throw new Error("the spec's placement is not a domain decomposition");
    for (const p of dims)
      if (!(Number.isInteger(p) && p >= 1))
        throw new Error(`placement.grid ${dims.join('×')}: every count must be a whole number ≥ 1`);
    this.dims = dims;
    this.size = dims[0] * dims[1] * dims[2];
    this.hooks = snapshotHookSpecs(options.spec.stages);
    this.watchdog = new HeartbeatWatch(this.ranks, options.unresponsiveMs ?? 1500, (r, message) =>
      this.fail(r, 'unresponsive', message),
    );
  }

  /** Number of ranks (workers). */
  get rankCount(): number {
    return this.size;
  }

  /** Checks the inputs, spawns the workers, wires every pair of ranks and loads them. */
  async start(): Promise<void> {
    const o = this.options;
    if (o.system.nSystems !== 1)
      throw new Error(`a domain decomposition runs one system, the batch has ${o.system.nSystems}`);
    if (this.hooks.length > 0 && !o.sinks)
      throw new Error('the spec has snapshot hooks but the domain run was given no sinks for their frames');
    if (this.ranks.length > 0) throw new Error('the domain run is already started');

    const n = this.size;
    // peers[i][j]: rank i's end of the channel to rank j.
    const peers: (TransferablePort | null)[][] = Array.from({ length: n }, () => new Array(n).fill(null));
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const [a, b] = o.launch.channel();
        peers[i]![j] = a;
        peers[j]![i] = b;
      }
    }
    const now = performance.now();
    for (let r = 0; r < n; r++) {
      const endpoint = o.launch.spawn(r);
      this.ranks.push({ endpoint, lastHeard: now, ready: false, adapter: '', done: null, status: null });
      superviseEndpoint(
        endpoint,
        (m) => this.receive(r, m),
        (reason, message) => this.fail(r, reason, message),
      );
    }
    const started = this.startGate.open();
    for (let r = 0; r < n; r++) {
      const init: ToRank = {
        type: 'init',
        rank: r,
        dims: this.dims,
        spec: this.spec,
        backend: o.launch.backend,
        system: o.system,
        ...(o.tables ? { tables: o.tables } : {}),
        ...(o.gnnModel ? { gnnModel: o.gnnModel } : {}),
        peers: peers[r]!,
        heartbeatMs: o.heartbeatMs ?? 250,
        viewFrameIntervalMs: o.viewFrameIntervalMs ?? 100,
        forwardSnapshots: r === 0 && this.hooks.length > 0,
        verifyIds: o.verifyIds ?? false,
      };
      this.ranks[r]!.endpoint.post(
        init,
        peers[r]!.filter((p): p is TransferablePort => p !== null),
      );
    }
    this.watchdog.start();
    const timeout = o.startTimeoutMs ?? 120_000;
    try {
      await this.startGate.wait(
        started,
        timeout,
        () =>
          `the domain run's ${n} workers did not load within ${timeout / 1000} s (ready: ${this.ranks.filter((w) => w.ready).length})`,
      );
    } catch (e) {
      this.destroy();
      throw e;
    }
    const kind = o.launch.backend === 'cpu' ? 'f64 reference' : 'WebGPU';
    const adapter = `${n} ${kind} workers (grid ${this.dims.join('×')}): ${this.ranks[0]!.adapter}`;
    // nSystems is 1: start() refuses any other batch.
    this.options.listener(loadedEvent(adapter, o.system, this.spec.stages));
  }

  /** Runs until every rank is done, one fails, or the run is stopped. */
  run(): Promise<DomainResult> {
    if (this.running) return this.running;
    if (this.ranks.length === 0 || this.ranks.some((w) => !w.ready))
      return Promise.reject(new Error('the domain run is not started: call start() first'));
    this.running = new Promise<DomainResult>((resolve) => {
      this.settle = resolve;
    });
    if (this.failure) this.finish();
    else {
      this.options.listener({ type: 'state', state: this.paused ? 'paused' : 'running' });
      for (const w of this.ranks) w.endpoint.post({ type: 'run' });
    }
    return this.running;
  }

  pause(): void {
    this.paused = true;
    this.toRank0({ type: 'pause' });
    if (this.running) this.options.listener({ type: 'state', state: 'paused' });
  }

  resume(): void {
    this.paused = false;
    this.toRank0({ type: 'resume' });
    if (this.running) this.options.listener({ type: 'state', state: 'running' });
  }

  /** Every rank runs one step, then stays paused. */
  step(): void {
    if (!this.paused) return;
    this.toRank0({ type: 'step' });
  }

  /** Ends the run at the next step every rank takes together. */
  stop(): void {
    this.toRank0({ type: 'stop' });
    // A run that never started (or is not running) ends at once.
    if (this.settle && this.ranks.every((w) => w.done)) this.finish();
  }

  /** What rank 0's live view frames carry from now on (forces, velocities). */
  setViewOptions(options: ViewOptions): void {
    this.toRank0({ type: 'view-options', options });
  }

  /** Terminates the worker of rank `rank` abruptly (testing: a worker killed mid-run). */
  kill(rank: number): void {
    this.ranks[rank]?.endpoint.terminate();
  }

  /** Testing aid: rank `rank`'s worker throws an uncaught error, or stops answering. */
  failForTesting(rank: number, how: 'throw' | 'hang'): void {
    this.ranks[rank]?.endpoint.post({ type: 'fail-for-testing', how });
  }

  /** The latest status of each rank (null before its first). */
  statuses(): (RankStatusReport | null)[] {
    return this.ranks.map((w) => w.status);
  }

  /** Terminates every worker and stops watching them. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.watchdog.stop();
    for (const w of this.ranks) w.endpoint.terminate();
    this.startGate.reject(new Error('the domain run was destroyed while loading'));
  }

  private toRank0(m: ToRank): void {
    const w = this.ranks[0];
    if (w && !w.done) w.endpoint.post(m);
  }

  private receive(r: number, m: FromRank): void {
    const w = this.ranks[r]!;
    if (this.destroyed) return;
    w.lastHeard = performance.now();
    switch (m.type) {
      case 'ready':
        w.ready = true;
        w.adapter = m.adapter;
        if (this.ranks.every((x) => x.ready)) this.startGate.resolve();
        return;
      case 'heartbeat':
        return;
      case 'status':
        w.status = m.status;
        this.options.listener({ type: 'rank', rank: r, coords: rankCoords(this.dims, r), ...m.status });
        return;
      case 'event':
        if (r !== 0) return;
        if (m.event.type === 'stage') this.stage = m.event.stage;
        if ('step' in m.event && typeof m.event.step === 'number')
          this.lastStep = Math.max(this.lastStep, m.event.step);
        this.options.listener(m.event);
        return;
      case 'frame':
        writeForwardedFrame(this.hooks, this.options.sinks, m.hook, m.frame, (message) =>
          this.fail(r, 'error', message),
        );
        return;
      case 'failed':
        this.fail(r, m.reason, m.message);
        return;
      case 'done':
        w.done = {
          end: m.end,
          step: m.step,
          rebuilds: m.rebuilds,
          ...(m.message ? { message: m.message } : {}),
          ...(m.atoms ? { atoms: m.atoms } : {}),
        };
        if (r === 0) this.lastStep = m.step;
        if ((m.end === 'error' || m.end === 'device-lost') && !this.failure) {
          // The others wait for this rank in their next exchange: the run cannot go on.
          this.fail(
            r,
            m.end === 'device-lost' ? 'device-lost' : 'error',
            m.message ?? `its run ended: ${m.end}`,
          );
          return;
        }
        if (this.ranks.every((x) => x.done)) this.finish();
        return;
    }
  }

  /** Fails the run because of rank `r` (the first failure wins). */
  private fail(r: number, reason: WorkerFailReason, message: string): void {
    if (this.failure || this.destroyed) return;
    const w = this.ranks[r]!;
    if (w.done && reason === 'exited') return;
    const who = describeRank(this.dims, r);
    const atoms = w.status ? ` (${w.status.owned} atoms owned)` : '';
    this.options.listener({
      type: 'worker-failed',
      worker: r,
      stage: this.stage,
      name: `rank ${r} (${rankCoords(this.dims, r).join(', ')})`,
      reason,
      message,
    });
    if (w.status)
      this.options.listener({
        type: 'rank',
        rank: r,
        coords: rankCoords(this.dims, r),
        ...w.status,
        state: 'failed',
      });
    const what = describeWorkerFailure(reason, message);
    const advice =
      reason === 'device-lost'
        ? 'reload the spec to run again (the GPU may need fewer workers, or a smaller system)'
        : reason === 'error'
          ? 'fix the cause above and load the spec again'
          : 'load the spec again to rerun; if it happens again, use a smaller grid or placement single';
    this.failure = {
      end: reason === 'device-lost' ? 'device-lost' : 'error',
      message: `${who}${atoms} ${what}; the run stopped, since every rank holds a part of the system: ${advice}`,
    };
    this.startGate.reject(new Error(this.failure.message));
    this.stopAll();
    this.finish();
  }

  /** Ends every worker: the run cannot go on without one of them. */
  private stopAll(): void {
    for (const w of this.ranks) w.endpoint.terminate();
    this.watchdog.stop();
  }

  private finish(): void {
    const settle = this.settle;
    if (!settle) return;
    this.settle = null;
    this.watchdog.stop();
    const failure = this.failure;
    const rank0 = this.ranks[0]?.done;
    const end: RunEnd = failure ? failure.end : (rank0?.end ?? 'stopped');
    const message = failure?.message ?? rank0?.message;
    const step = rank0?.step ?? this.lastStep;
    this.options.listener({ type: 'end', reason: end, step, ...(message ? { message } : {}) });
    this.options.listener({ type: 'state', state: 'idle' });
    // The run is over: no worker has anything left to do (snapshots went to the sinks already).
    this.destroy();
    const atoms = failure ? undefined : rank0?.atoms;
    settle({
      end,
      step,
      rebuilds: rank0?.rebuilds ?? 0,
      ...(message ? { message } : {}),
      ...(atoms ? { atoms } : {}),
    });
  }
}
