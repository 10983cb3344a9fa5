/**
 * Sinks: where snapshot hooks put frames (DESIGN §4, seed 002). Every sink takes the one frame type
 * of the project, {@link TrajectoryFrame} (a CSR batch of systems), whatever it keeps them in: host
 * memory, a GPU ring buffer or a Zarr store.
 */
import type { TrajectoryFrame } from '../../io/zarr/trajectoryFrame.ts';

/** The kinds of sink a snapshot hook spec can name (`sink` in the spec). */
export type SinkKind = 'host' | 'gpu-ring' | 'zarr';

/** Receives frames. */
export interface FrameSink {
  readonly kind: SinkKind;
  /**
   * Stores a frame. The sink may keep the frame's arrays until the returned promise settles (a ring
   * in host memory keeps them for good): callers pass arrays they will not modify.
   */
  write(frame: TrajectoryFrame): void | Promise<void>;
  /** Frames held (a ring) or written (a store). */
  readonly length: number;
  /** Makes everything written so far durable or readable; writing may go on. */
  flush?(): Promise<void>;
  /** Flushes and refuses further frames. */
  close?(): Promise<void>;
}

/** Step, time and stage of a frame: what a snapshot records besides the atoms. */
export type FrameClock = Pick<TrajectoryFrame, 'step' | 'time' | 'stage' | 'stageStep'>;
