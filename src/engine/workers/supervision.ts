/**
 * Coordinator-side supervision shared by the worker runtimes (pipeline, domain decomposition;
 * DESIGN §5): wiring a worker's endpoint to the coordinator, the wait for every worker to load, the
 * heartbeat watch that fails a silent worker, the wording of a failure, and the writing of the
 * snapshot frames that workers forward.
 */
import { type SegmentSpec, stageName } from '../../io/spec.ts';
import type { TrajectoryFrame } from '../../io/zarr/trajectoryFrame.ts';
import type { EngineEvent } from '../api.ts';
import type { Batch } from '../batch.ts';
import type { SinkSet, SnapshotHookSpec } from '../sinks/sinkSet.ts';
import type { WorkerEndpoint } from './endpoint.ts';

/**
 * The `loaded` event of a run over workers: `systems` as loaded (positions Å; cell and pbc of
 * system 0), the names of `stages`, and `adapter` (what the workers run on).
 */
export function loadedEvent(
  adapter: string,
  systems: Batch,
  stages: readonly SegmentSpec[],
): Extract<EngineEvent, { type: 'loaded' }> {
  return {
    type: 'loaded',
    adapter,
    nAtoms: systems.nAtoms,
    nSystems: systems.nSystems,
    stages: stages.map((s, i) => stageName(s, i)),
    atomicNumbers: systems.atomicNumbers.slice(),
    cell: systems.cells.slice(0, 9),
    pbc: systems.pbc.slice(0, 3),
    positions: Float32Array.from(systems.positions),
  };
}

/** Why a coordinator failed a worker. */
export type WorkerFailReason = 'error' | 'device-lost' | 'unresponsive' | 'exited';

/** What a failed worker did, as its run's end message says it (e.g. `exited: its thread exited (code 1)`). */
export function describeWorkerFailure(reason: WorkerFailReason, message: string): string {
  return reason === 'unresponsive'
    ? `stopped answering (${message})`
    : reason === 'exited'
      ? `exited: ${message}`
      : reason === 'device-lost'
        ? `lost its GPU device: ${message}`
        : `failed: ${message}`;
}

/**
 * Passes `endpoint`'s messages to `receive`, and its uncaught errors (reason `error`) and thread
 * exits (reason `exited`) to `fail`.
 */
export function superviseEndpoint<To, From>(
  endpoint: WorkerEndpoint<To, From>,
  receive: (message: From) => void,
  fail: (reason: WorkerFailReason, message: string) => void,
): void {
  endpoint.onMessage(receive);
  endpoint.onError((message) => fail('error', message));
  endpoint.onExit((code) => fail('exited', `its thread exited (code ${code})`));
}

/** What the heartbeat watch reads of a worker. */
export interface WatchedWorker {
  /** performance.now() of its last message, ms. */
  lastHeard: number;
  /** It reported ready (loading is bounded by the start timeout, not by heartbeats). */
  ready: boolean;
  /** Its run ended (non-null): it is no longer watched. */
  done: unknown;
}

/** Fails a loaded, running worker that has been silent longer than `limitMs` (checked every 100 ms). */
export class HeartbeatWatch {
  private timer: ReturnType<typeof setInterval> | null = null;

  /**
   * @param workers the watched workers (read at each check)
   * @param limitMs longest silence, ms
   * @param onSilent called with the index of a silent worker and e.g. `no message for 1612 ms`
   */
  constructor(
    private readonly workers: readonly WatchedWorker[],
    private readonly limitMs: number,
    private readonly onSilent: (index: number, message: string) => void,
  ) {}

  start(): void {
    this.stop();
    this.timer = setInterval(() => this.check(), 100);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private check(): void {
    const now = performance.now();
    this.workers.forEach((w, i) => {
      // Loading (module transforms, device requests) is bounded by the start timeout, not by heartbeats.
      if (w.ready && !w.done && now - w.lastHeard > this.limitMs)
        this.onSilent(i, `no message for ${Math.round(now - w.lastHeard)} ms`);
    });
  }
}

/** The wait of a coordinator's start() for every worker to report ready. */
export class StartGate {
  private waiter: { resolve: () => void; reject: (e: Error) => void } | null = null;

  /** Begins a wait; the promise settles on {@link resolve} or {@link reject}. */
  open(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** Every worker is ready (no-op outside a wait). */
  resolve(): void {
    this.waiter?.resolve();
  }

  /** Loading failed (no-op outside a wait). */
  reject(error: Error): void {
    this.waiter?.reject(error);
  }

  /**
   * Waits for `started` (from {@link open}) at most `timeoutMs`, then rejects with
   * `timeoutMessage()`; the wait is over either way.
   */
  async wait(started: Promise<void>, timeoutMs: number, timeoutMessage: () => string): Promise<void> {
    const timer = setTimeout(() => this.reject(new Error(timeoutMessage())), timeoutMs);
    try {
      await started;
    } finally {
      clearTimeout(timer);
      this.waiter = null;
    }
  }
}

/**
 * Writes a frame a worker forwarded for snapshot hook number `hook` (index in
 * snapshotHookSpecs(spec.stages)) to its sink; `onError` gets the message if the write fails. A hook
 * that is not there, or no sinks, drop the frame.
 */
export function writeForwardedFrame(
  hooks: readonly SnapshotHookSpec[],
  sinks: Pick<SinkSet, 'sinkFor'> | undefined,
  hook: number,
  frame: TrajectoryFrame,
  onError: (message: string) => void,
): void {
  const spec = hooks[hook];
  if (!spec || !sinks) return;
  void Promise.resolve(sinks.sinkFor(spec).write(frame)).catch((e: unknown) =>
    onError(`writing a snapshot failed: ${e instanceof Error ? e.message : String(e)}`),
  );
}
