import type { TrajectoryFrame } from '../../io/zarr/trajectoryFrame.ts';
import type { FrameSink } from './sink.ts';

/**
 * A bounded ring of frames in host memory. When full, the oldest frame is dropped, so memory stays
 * bounded by `capacity` frames whatever the length of the run.
 */
export class HostMemorySink implements FrameSink {
  readonly kind = 'host';
  private readonly frames: (TrajectoryFrame | undefined)[];
  /** Index of the oldest frame held. */
  private head = 0;
  private held = 0;
  private dropped = 0;

  /** `capacity`: most frames held (≥ 1). */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be ≥ 1 frame, got ${capacity}`);
    this.frames = [];
  }

  /** Stores a frame as given (its arrays are kept, not copied): callers pass arrays they will not modify. */
  write(frame: TrajectoryFrame): void {
    if (this.held === this.capacity) {
      this.frames[this.head] = frame;
      this.head = (this.head + 1) % this.capacity;
      this.dropped++;
      return;
    }
    this.frames[(this.head + this.held) % this.capacity] = frame;
    this.held++;
  }

  /** Frames held, oldest first. */
  read(): TrajectoryFrame[] {
    return Array.from({ length: this.held }, (_, k) => this.frames[(this.head + k) % this.capacity]!);
  }

  /** The newest frame, if any (the host restarts from it after a device loss). */
  last(): TrajectoryFrame | undefined {
    return this.held === 0 ? undefined : this.frames[(this.head + this.held - 1) % this.capacity];
  }

  /** Frames held. */
  get length(): number {
    return this.held;
  }

  /** Frames dropped because the ring was full. */
  get droppedFrames(): number {
    return this.dropped;
  }

  /** Forgets every frame held. */
  clear(): void {
    this.frames.length = 0;
    this.head = 0;
    this.held = 0;
  }
}
