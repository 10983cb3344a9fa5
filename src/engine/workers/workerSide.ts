/**
 * Worker-side pieces shared by the worker runtimes (pipeline, domain decomposition; DESIGN §5):
 * sinks that forward snapshot frames to the coordinator, and the testing aid that makes a worker
 * fail on purpose.
 */
import type { SegmentSpec } from '../../io/spec.ts';
import type { TrajectoryFrame } from '../../io/zarr/trajectoryFrame.ts';
import type { FrameSink } from '../sinks/sink.ts';
import { type SnapshotHookSpec, snapshotHookSpecs } from '../sinks/sinkSet.ts';

/** The message a worker sends the coordinator with a frame of snapshot hook number `hook`. */
export interface ForwardedFrame {
  type: 'frame';
  /** Index in snapshotHookSpecs(spec.stages). */
  hook: number;
  frame: TrajectoryFrame;
}

/** A sink that sends the frames of one snapshot hook to the coordinator. */
class ForwardingSink implements FrameSink {
  readonly kind = 'host';
  length = 0;
  constructor(
    private readonly hook: number,
    private readonly post: (m: ForwardedFrame) => void,
  ) {}

  write(frame: TrajectoryFrame): void {
    this.length++;
    this.post({ type: 'frame', hook: this.hook, frame });
  }
}

/**
 * Sinks for the snapshot hooks of `stages` that forward each frame through `post` (the coordinator
 * writes it to its own sinks). Throws for a hook that is not in `stages`.
 */
export function forwardingSinks(
  stages: readonly SegmentSpec[],
  post: (m: ForwardedFrame) => void,
): { sinkFor(hook: SnapshotHookSpec): FrameSink } {
  const hooks = snapshotHookSpecs(stages);
  const sinks = new Map<SnapshotHookSpec, FrameSink>();
  return {
    sinkFor: (hook) => {
      let sink = sinks.get(hook);
      if (!sink) {
        const k = hooks.indexOf(hook);
        if (k < 0) throw new Error('a snapshot hook that is not in the spec');
        sink = new ForwardingSink(k, post);
        sinks.set(hook, sink);
      }
      return sink;
    },
  };
}

/**
 * Testing aid: the worker throws an uncaught error with `message` (`throw`: the coordinator sees the
 * worker's error event), or stops answering for 60 s (`hang`: no heartbeats, no messages).
 */
export function failForTesting(how: 'throw' | 'hang', message: string): void {
  if (how === 'throw') {
    // Uncaught, as a bug in the worker would be: the coordinator sees the worker's error event.
    setTimeout(() => {
      throw new Error(message);
    });
  } else {
    const until = Date.now() + 60_000;
    while (Date.now() < until) {
      // Stops answering: no heartbeats, no messages.
    }
  }
}
