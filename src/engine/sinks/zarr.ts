import type { ZarrStore } from '../../io/zarr/store.ts';
import { selectSystems, type TrajectoryFrame } from '../../io/zarr/trajectoryFrame.ts';
import { TrajectoryWriter, type TrajectoryWriterOptions } from '../../io/zarr/trajectoryWriter.ts';
import type { Frame } from '../api.ts';
import type { Batch } from '../batch.ts';

/** What the sink needs to know of the batch besides the frames: its systems and their atoms and cells. */
export type ZarrSinkLayout = Pick<Batch, 'atomsPtr' | 'atomicNumbers' | 'cells' | 'pbc' | 'systemIds'>;

/** Per-system data a snapshot may add to a frame, and the systems to write. */
export interface ZarrSinkExtras {
  /** Potential energy per system, eV. */
  energy?: Float64Array;
  /** Stress per system, eV/Å³, 3×3 row-major, ASE sign convention. */
  stress?: Float64Array;
  /** Status code per system. */
  status?: Int32Array;
  /** Systems to write (nonzero = write); all when absent. For converged snapshots. */
  systems?: ArrayLike<number | boolean>;
}

/**
 * A sink that streams frames into a Zarr v3 trajectory (DESIGN §7) in any {@link ZarrStore}:
 * memory, a directory (Node) or the Origin Private File System (browser). Memory stays bounded
 * (one chunk per array) however long the run.
 */
export class ZarrSink {
  private constructor(
    private readonly writer: TrajectoryWriter,
    private layout: ZarrSinkLayout,
  ) {}

  /** Creates an empty trajectory in `store` for frames of a batch laid out as `layout`. */
  static async create(
    store: ZarrStore,
    layout: ZarrSinkLayout,
    options: TrajectoryWriterOptions = {},
  ): Promise<ZarrSink> {
    return new ZarrSink(await TrajectoryWriter.create(store, options), layout);
  }

  /** Replaces the batch layout, for frames written after a refill or a cell change. */
  setLayout(layout: ZarrSinkLayout): void {
    this.layout = layout;
  }

  /**
   * Appends a frame (positions, and velocities/forces when the sink stores them) of the systems
   * selected by `extras.systems`. The sink reads the frame's arrays until the promise settles.
   */
  write(frame: Frame, extras: ZarrSinkExtras = {}): Promise<void> {
    const { layout } = this;
    const nSystems = layout.atomsPtr.length - 1;
    const full: TrajectoryFrame = {
      step: frame.step,
      time: frame.time,
      stage: frame.stage,
      stageStep: frame.stageStep,
      atomsPtr: layout.atomsPtr,
      systemIds: layout.systemIds,
      atomicNumbers: layout.atomicNumbers,
      cells: layout.cells,
      pbc: layout.pbc,
      positions: frame.positions,
      ...(frame.velocities ? { velocities: frame.velocities } : {}),
      ...(frame.forces ? { forces: frame.forces } : {}),
      ...(extras.energy ? { energy: extras.energy } : {}),
      ...(extras.stress ? { stress: extras.stress } : {}),
      ...(extras.status ? { status: extras.status } : {}),
    };
    const selected: number[] = [];
    for (let s = 0; s < nSystems; s++) if (!extras.systems || extras.systems[s]) selected.push(s);
    if (selected.length === 0) return Promise.resolve();
    return this.writer.append(selected.length === nSystems ? full : selectSystems(full, selected));
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

  /** Bytes held in memory by the writer's chunk buffers (constant). */
  get bufferedBytes(): number {
    return this.writer.bufferedBytes;
  }
}
