/**
 * The sinks of one run, made from its snapshot hook specs (`sink: 'host' | 'gpu-ring' | 'zarr'`,
 * `capacity`): a host ring per hook, a GPU ring per hook, and one Zarr trajectory per run shared
 * by every hook that writes to Zarr (each such hook sees it through a sink of its own) (DESIGN §7: the worker gives an OPFS store under a run-specific
 * directory; Node and tests a directory or memory store). Frames drained from a GPU ring go to the
 * Zarr trajectory when the run has a Zarr store (the ring then drains whenever it fills, so nothing
 * is lost), else to a host ring of the same capacity.
 */
import type { HookSpec, SegmentSpec } from '../../io/spec.ts';
import type { ZarrStore } from '../../io/zarr/store.ts';
import type { TrajectoryFrame } from '../../io/zarr/trajectoryFrame.ts';
import type { TrajectoryWriterOptions } from '../../io/zarr/trajectoryWriter.ts';
import type { EngineListener } from '../api.ts';
import { GpuRingSink, type RingSource } from '../gpu/ringSink.ts';
import { HostMemorySink } from './hostMemory.ts';
import type { FrameSink } from './sink.ts';
import { ZarrSink } from './zarr.ts';

/** A hook spec that writes frames to a sink. */
export type SnapshotHookSpec = Extract<HookSpec, { kind: 'snapshot' | 'converged-snapshot' }>;

/** Optional fields a snapshot frame carries (the Zarr trajectory stores these by default). */
export const SNAPSHOT_FIELDS = ['velocities', 'forces', 'energy', 'status'] as const;

export interface SinkSetOptions {
  /** Store of the run's Zarr trajectory; needed when a hook writes to `zarr`. */
  zarrStore?: ZarrStore;
  /**
   * Options of the trajectory writer (pipeline spec, chunk rows, flush cadence). `fields` defaults
   * to {@link SNAPSHOT_FIELDS}; add 'stress' only when every frame will carry it (the GPU ring's do not).
   */
  zarr?: TrajectoryWriterOptions;
  /**
   * The device and batch buffers GPU rings copy from. Without them (an engine without a GPU) a hook
   * that writes to `gpu-ring` gets a host ring of the same capacity.
   */
  gpu?: { device: GPUDevice; source: RingSource };
  /** Receives a `trajectory` event each time the Zarr trajectory grows. */
  emit?: EngineListener;
}

/** Every snapshot hook spec of a chain: those of stages, of fused stages and of their sub-stages. */
export function snapshotHookSpecs(segments: readonly SegmentSpec[]): SnapshotHookSpec[] {
  const out: SnapshotHookSpec[] = [];
  const take = (hooks: readonly HookSpec[]) => {
    for (const h of hooks) if (h.kind === 'snapshot' || h.kind === 'converged-snapshot') out.push(h);
  };
  for (const segment of segments) {
    take(segment.hooks);
    if (segment.kind === 'fused') for (const s of segment.stages) take(s.hooks);
  }
  return out;
}

/** A Zarr sink that reports its growth. */
class ReportingZarrSink implements FrameSink {
  readonly kind = 'zarr';
  constructor(
    readonly inner: ZarrSink,
    private readonly emit: EngineListener | undefined,
  ) {}

  async write(frame: TrajectoryFrame): Promise<void> {
    await this.inner.write(frame);
    this.emit?.({
      type: 'trajectory',
      frames: this.inner.length,
      samples: this.inner.samples,
      atoms: this.inner.atoms,
    });
  }

  get length(): number {
    return this.inner.length;
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * What one hook sees of the shared Zarr trajectory. A periodic snapshot hook's sink also keeps its
 * newest frame in memory (one frame), the restart point after a device loss.
 */
class HookZarrSink implements FrameSink {
  readonly kind = 'zarr';
  /** The newest frame written (periodic hooks only). */
  last: TrajectoryFrame | undefined = undefined;

  constructor(
    private readonly shared: ReportingZarrSink,
    private readonly remember: boolean,
  ) {}

  write(frame: TrajectoryFrame): Promise<void> {
    if (this.remember) this.last = frame;
    return this.shared.write(frame);
  }

  get length(): number {
    return this.shared.length;
  }

  flush(): Promise<void> {
    return this.shared.flush();
  }
}

export class SinkSet {
  private readonly bySpec = new Map<SnapshotHookSpec, FrameSink>();
  /** Host rings of periodic snapshot hooks (whole batches: restart points). */
  private readonly periodicHost: HostMemorySink[] = [];
  /** Zarr sinks of periodic snapshot hooks, which remember their newest frame. */
  private readonly periodicZarr: HookZarrSink[] = [];
  private readonly host: HostMemorySink[] = [];
  private readonly rings: GpuRingSink[] = [];
  private closed = false;

  private constructor(
    private readonly options: SinkSetOptions,
    private readonly zarrSink: ReportingZarrSink | null,
  ) {}

  /**
   * Makes the sinks of `hooks` (see {@link snapshotHookSpecs}); the Zarr trajectory is created when a
   * hook writes to Zarr, or a hook writes to a GPU ring and a Zarr store is given.
   * @throws Error when a hook needs a Zarr store or a GPU that the options do not give.
   */
  static async create(hooks: readonly SnapshotHookSpec[], options: SinkSetOptions = {}): Promise<SinkSet> {
    const wantsZarr = hooks.some((h) => h.sink === 'zarr');
    const wantsRing = hooks.some((h) => h.sink === 'gpu-ring');
    if (wantsZarr && !options.zarrStore) {
      throw new Error('a snapshot hook writes to zarr, but this engine host has no Zarr store to write to');
    }
    let zarr: ReportingZarrSink | null = null;
    if (options.zarrStore && (wantsZarr || wantsRing)) {
      const inner = await ZarrSink.create(options.zarrStore, {
        ...options.zarr,
        fields: options.zarr?.fields ?? SNAPSHOT_FIELDS,
      });
      zarr = new ReportingZarrSink(inner, options.emit);
    }
    const set = new SinkSet(options, zarr);
    for (const h of hooks) set.sinkFor(h);
    return set;
  }

  /**
   * The sink a hook writes to: its own host or GPU ring (made on first request), or the run's Zarr
   * trajectory. Hooks are told apart by identity: pass the spec objects of the parsed chain.
   */
  sinkFor(hook: SnapshotHookSpec): FrameSink {
    const known = this.bySpec.get(hook);
    if (known) return known;
    if (this.closed) throw new Error('the sinks of this run are closed');
    let sink: FrameSink;
    switch (hook.sink) {
      case 'host': {
        const ring = new HostMemorySink(hook.capacity);
        this.host.push(ring);
        if (hook.kind === 'snapshot') this.periodicHost.push(ring);
        sink = ring;
        break;
      }
      case 'zarr': {
        if (!this.zarrSink) throw new Error('this run has no Zarr trajectory (no Zarr store was given)');
        const own = new HookZarrSink(this.zarrSink, hook.kind === 'snapshot');
        if (hook.kind === 'snapshot') this.periodicZarr.push(own);
        sink = own;
        break;
      }
      case 'gpu-ring': {
        const gpu = this.options.gpu;
        if (!gpu) {
          // An engine without a GPU (the f64 CPU engine): the frames are on the host anyway.
          const ring = new HostMemorySink(hook.capacity);
          this.host.push(ring);
          if (hook.kind === 'snapshot') this.periodicHost.push(ring);
          sink = ring;
          break;
        }
        let downstream: FrameSink | null = this.zarrSink;
        if (!downstream) {
          const ring = new HostMemorySink(hook.capacity);
          this.host.push(ring);
          if (hook.kind === 'snapshot') this.periodicHost.push(ring);
          downstream = ring;
        }
        const ring = new GpuRingSink(gpu.device, gpu.source, hook.capacity, {
          downstream,
          drainWhenFull: downstream.kind === 'zarr',
          label: `${hook.kind} ring`,
        });
        this.rings.push(ring);
        sink = ring;
        break;
      }
    }
    this.bySpec.set(hook, sink);
    return sink;
  }

  /** The run's Zarr trajectory, if it has one. */
  get zarr(): ZarrSink | null {
    return this.zarrSink?.inner ?? null;
  }

  /** The GPU rings of the run. */
  get gpuRings(): readonly GpuRingSink[] {
    return this.rings;
  }

  /** Frames held in host memory (every host ring), ordered by step (stable). */
  hostFrames(): TrajectoryFrame[] {
    return this.host.flatMap((h) => h.read()).sort((a, b) => a.step - b.step);
  }

  /**
   * The newest frame a periodic snapshot hook wrote to a host ring or to the Zarr trajectory (the
   * restart point after a device loss; whole batches unless the hook is a sub-stage's), or undefined.
   */
  lastFrame(): TrajectoryFrame | undefined {
    let last: TrajectoryFrame | undefined;
    const candidates = [...this.periodicHost.map((h) => h.last()), ...this.periodicZarr.map((z) => z.last)];
    for (const f of candidates) if (f && (!last || f.step >= last.step)) last = f;
    return last;
  }

  /** Drains every GPU ring into its downstream sink; returns the frames drained. */
  async drain(): Promise<number> {
    let n = 0;
    for (const r of this.rings) n += (await r.drain()).length;
    return n;
  }

  /** Drains the GPU rings and makes the Zarr trajectory complete up to now; writing may go on. */
  async flush(): Promise<void> {
    if (this.closed) return;
    try {
      await this.drain();
    } finally {
      // Even when a ring cannot be read (device lost), what the trajectory holds is made complete.
      await this.zarrSink?.flush();
    }
  }

  /** Flushes, closes the Zarr trajectory and frees the GPU rings (host frames stay readable). */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    await this.zarrSink?.close();
    this.destroyRings();
  }

  /**
   * Frees the GPU rings without draining them (device lost, run replaced) and completes the Zarr
   * trajectory with what was written, in the background (errors ignored: nothing waits for it).
   */
  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.destroyRings();
    this.zarrSink?.flush().catch(() => {});
  }

  private destroyRings(): void {
    for (const r of this.rings) r.destroy();
  }
}
