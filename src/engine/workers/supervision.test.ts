import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseSpec } from '../../io/spec.ts';
import { makeFrame } from '../../io/zarr/frames.testing.ts';
import type { TrajectoryFrame } from '../../io/zarr/trajectoryFrame.ts';
import { snapshotHookSpecs } from '../sinks/sinkSet.ts';
import type { WorkerEndpoint } from './endpoint.ts';
import {
  describeWorkerFailure,
  HeartbeatWatch,
  StartGate,
  superviseEndpoint,
  type WorkerFailReason,
  writeForwardedFrame,
} from './supervision.ts';
import { type ForwardedFrame, forwardingSinks } from './workerSide.ts';

const stages = parseSpec({
  version: 1,
  system: { kind: 'fcc', element: 'Ar', mass: 39.948, latticeConstant: 5.26, repeat: [2, 2, 2] },
  potential: { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 6, shift: true },
  stages: [
    { kind: 'nve', steps: 10, dt: 5, hooks: [{ kind: 'snapshot', every: 5, sink: 'host', capacity: 2 }] },
    { kind: 'fire', steps: 10, dt: 5, hooks: [{ kind: 'converged-snapshot', sink: 'host', capacity: 2 }] },
  ],
}).stages;

afterEach(() => {
  vi.useRealTimers();
});

describe('worker supervision', () => {
  it('words each failure reason as the run end messages say it', () => {
    expect(describeWorkerFailure('unresponsive', 'no message for 1600 ms')).toBe(
      'stopped answering (no message for 1600 ms)',
    );
    expect(describeWorkerFailure('exited', 'its thread exited (code 1)')).toBe(
      'exited: its thread exited (code 1)',
    );
    expect(describeWorkerFailure('device-lost', 'gone')).toBe('lost its GPU device: gone');
    expect(describeWorkerFailure('error', 'boom')).toBe('failed: boom');
  });

  it('routes an endpoint’s messages, errors and exits', () => {
    const handlers: {
      message?: (m: string) => void;
      error?: (m: string) => void;
      exit?: (c: number) => void;
    } = {};
    const endpoint: WorkerEndpoint<never, string> = {
      post: () => {},
      onMessage: (h) => {
        handlers.message = h;
      },
      onError: (h) => {
        handlers.error = h;
      },
      onExit: (h) => {
        handlers.exit = h;
      },
      terminate: () => {},
    };
    const got: string[] = [];
    const failures: [WorkerFailReason, string][] = [];
    superviseEndpoint(
      endpoint,
      (m) => got.push(m),
      (reason, message) => failures.push([reason, message]),
    );
    handlers.message?.('ready');
    handlers.error?.('uncaught');
    handlers.exit?.(3);
    expect(got).toEqual(['ready']);
    expect(failures).toEqual([
      ['error', 'uncaught'],
      ['exited', 'its thread exited (code 3)'],
    ]);
  });

  it('fails only a ready, running worker that is silent too long, and stops watching', () => {
    vi.useFakeTimers();
    const t0 = performance.now();
    const workers = [
      { lastHeard: t0, ready: true, done: null },
      { lastHeard: t0, ready: false, done: null }, // still loading: bounded by the start timeout
      { lastHeard: t0, ready: true, done: { end: 'completed' } }, // done: no more heartbeats
    ];
    const silent: [number, string][] = [];
    const watch = new HeartbeatWatch(workers, 500, (i, message) => silent.push([i, message]));
    watch.start();
    vi.advanceTimersByTime(400);
    expect(silent).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(silent.map(([i]) => i)).toEqual([0]);
    expect(silent[0]![1]).toMatch(/^no message for \d+ ms$/);
    watch.stop();
    vi.advanceTimersByTime(1000);
    expect(silent).toHaveLength(1);
  });

  it('waits for every worker to load, with a timeout that names what is missing', async () => {
    vi.useFakeTimers();
    const ok = new StartGate();
    const started = ok.open();
    const waiting = ok.wait(started, 1000, () => 'never');
    ok.resolve();
    await expect(waiting).resolves.toBeUndefined();

    const slow = new StartGate();
    const never = slow.wait(slow.open(), 1000, () => 'the workers did not load within 1 s');
    vi.advanceTimersByTime(1000);
    await expect(never).rejects.toThrow('the workers did not load within 1 s');
    // After the wait a late failure is a no-op.
    slow.reject(new Error('late'));

    const failing = new StartGate();
    const failed = failing.wait(failing.open(), 1000, () => 'never');
    failing.reject(new Error('rank 1 failed: boom'));
    await expect(failed).rejects.toThrow('rank 1 failed: boom');
  });
});

describe('snapshot frames forwarded from workers', () => {
  it('go from a worker’s forwarding sinks to the coordinator’s sink of the same hook', async () => {
    const hooks = snapshotHookSpecs(stages);
    const posted: ForwardedFrame[] = [];
    const forwarding = forwardingSinks(stages, (m) => posted.push(m));
    const frame = makeFrame(7, [3]);
    forwarding.sinkFor(hooks[1]!).write(frame);
    forwarding.sinkFor(hooks[1]!).write(frame);
    expect(forwarding.sinkFor(hooks[1]!).length).toBe(2);
    expect(posted.map((m) => [m.type, m.hook])).toEqual([
      ['frame', 1],
      ['frame', 1],
    ]);
    expect(() => forwarding.sinkFor({ kind: 'snapshot', every: 1, sink: 'host', capacity: 1 })).toThrow(
      'a snapshot hook that is not in the spec',
    );

    const written: [string, TrajectoryFrame][] = [];
    const sinks = {
      sinkFor: (hook: (typeof hooks)[number]) => ({
        kind: 'host' as const,
        length: 0,
        write: (f: TrajectoryFrame) => {
          written.push([hook.kind, f]);
        },
      }),
    };
    const errors: string[] = [];
    writeForwardedFrame(hooks, sinks, posted[0]!.hook, posted[0]!.frame, (m) => errors.push(m));
    writeForwardedFrame(hooks, sinks, 5, frame, (m) => errors.push(m)); // no such hook: dropped
    writeForwardedFrame(hooks, undefined, 0, frame, (m) => errors.push(m)); // no sinks: dropped
    expect(written).toEqual([['converged-snapshot', frame]]);

    const failing = {
      sinkFor: () => ({
        kind: 'host' as const,
        length: 0,
        write: () => Promise.reject(new Error('disk full')),
      }),
    };
    writeForwardedFrame(hooks, failing, 0, frame, (m) => errors.push(m));
    await new Promise((r) => setTimeout(r, 0));
    expect(errors).toEqual(['writing a snapshot failed: disk full']);
  });
});
