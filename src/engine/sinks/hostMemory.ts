import type { Frame } from '../api.ts';

/**
 * A bounded ring of frames in host memory. When full, the oldest frame is dropped, so memory stays
 * bounded by `capacity` frames whatever the length of the run.
 */
export class HostMemorySink {
  private readonly frames: Frame[] = [];
  private dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be ≥ 1 frame, got ${capacity}`);
  }

  /** Stores a frame (the sink keeps the arrays as given; callers pass copies). */
  write(frame: Frame): void {
    if (this.frames.length === this.capacity) {
      this.frames.shift();
      this.dropped++;
    }
    this.frames.push(frame);
  }

  /** Frames held, oldest first. */
  read(): Frame[] {
    return this.frames.slice();
  }

  /** The newest frame, if any. */
  last(): Frame | undefined {
    return this.frames.at(-1);
  }

  get length(): number {
    return this.frames.length;
  }

  /** Frames dropped because the ring was full. */
  get droppedFrames(): number {
    return this.dropped;
  }
}
