import type { ZarrStore } from '../../io/zarr/store.ts';
import type { TrajectoryFrame } from '../../io/zarr/trajectoryFrame.ts';
import { TrajectoryWriter, type TrajectoryWriterOptions } from '../../io/zarr/trajectoryWriter.ts';
import type { FrameSink } from './sink.ts';

/**
 * A sink that streams frames into a Zarr v3 trajectory (DESIGN §7) in any {@link ZarrStore}:
 * memory, a directory (Node) or the Origin Private File System (browser). Memory stays bounded
 * (one chunk per array) however long the run; each frame may hold any subset of the systems.
 */
export class ZarrSink implements FrameSink {
  readonly kind = 'zarr';

  private constructor(
    private readonly writer: TrajectoryWriter,
    /** The store the trajectory is written to (for export). */
    readonly store: ZarrStore,
  ) {}

  /** Creates an empty trajectory group at the root of `store`. */
  static async create(store: ZarrStore, options: TrajectoryWriterOptions = {}): Promise<ZarrSink> {
    return new ZarrSink(await TrajectoryWriter.create(store, options), store);
  }

  /**
   * Appends a frame (all its systems become samples); frames without systems are skipped. The sink
   * reads the frame's arrays until the promise settles; awaiting keeps memory bounded.
   */
  write(frame: TrajectoryFrame): Promise<void> {
    if (frame.atomsPtr.length < 2) return Promise.resolve();
    return this.writer.append(frame);
  }

  /** Makes the store complete up to the last frame written; writing may continue. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Flushes and refuses further frames. */
  close(): Promise<void> {
    return this.writer.close();
  }

  /** Frames written. */
  get length(): number {
    return this.writer.frames;
  }

  /** Samples (systems × frames) written. */
  get samples(): number {
    return this.writer.samples;
  }

  /** Atom rows written. */
  get atoms(): number {
    return this.writer.atoms;
  }

  /** Fields stored (required and optional). */
  get fields(): readonly string[] {
    return this.writer.fields;
  }

  /** Bytes held in memory by the writer's chunk buffers (constant). */
  get bufferedBytes(): number {
    return this.writer.bufferedBytes;
  }
}
