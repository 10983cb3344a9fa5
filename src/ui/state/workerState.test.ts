import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../engine/api.ts';
import { initialRunState, type RunAction, type RunState, reduceRunState } from './runState.ts';
import {
  createWorkers,
  fill,
  reduceWorkers,
  type WorkerReport,
  workerFailureAdvice,
  workerFailureText,
} from './workerState.ts';

const names = ['1. FIRE', '2. LANGEVIN', '3. NVE'];

const report = (worker: number, over: Partial<WorkerReport> = {}): WorkerReport => ({
  type: 'worker',
  worker,
  stage: worker,
  name: names[worker]!,
  state: 'running',
  resident: 2,
  residentAtoms: 40,
  maxSystems: 4,
  maxAtoms: 100,
  inbox: 1,
  outbox: 0,
  heldBack: 0,
  received: 3,
  sent: 1,
  systemsPerSecond: 12.5,
  atomStepsPerSecond: 3.2e5,
  step: 100,
  ...over,
});

const loaded = (nSystems: number): RunAction => ({
  type: 'loaded',
  adapter: 'swiftshader',
  nAtoms: 10 * nSystems,
  nSystems,
  stages: names,
  atomicNumbers: new Int32Array(10 * nSystems),
  cell: new Float64Array(9),
  pbc: Uint8Array.of(0, 0, 0),
  positions: new Float32Array(30 * nSystems),
});

const run = (actions: RunAction[], from: RunState = initialRunState): RunState =>
  actions.reduce(reduceRunState, from);

describe('reduceWorkers', () => {
  it('starts with one starting row per segment', () => {
    const w = createWorkers(names);
    expect(w.rows.map((r) => [r.worker, r.stage, r.name, r.state])).toEqual([
      [0, 0, '1. FIRE', 'starting'],
      [1, 1, '2. LANGEVIN', 'starting'],
      [2, 2, '3. NVE', 'starting'],
    ]);
    expect(w.delivered).toBe(0);
  });

  it('takes each report into its row and keeps the range of the batch fill', () => {
    let w = createWorkers(names);
    w = reduceWorkers(w, report(1, { resident: 3 }));
    w = reduceWorkers(w, report(1, { resident: 1, state: 'waiting', inbox: 0, outbox: 2 }));
    w = reduceWorkers(w, report(1, { resident: 4 }));
    const row = w.rows[1]!;
    expect(row.resident).toBe(4);
    expect(row.residentRange).toEqual([1, 4]);
    expect(row.maxSystems).toBe(4);
    expect(row.state).toBe('running');
    expect(w.rows[0]!.state).toBe('starting');
    expect(w.rows[2]!.residentRange).toBeNull();
  });

  it('adds rows for workers it did not know (a report before the load said how many)', () => {
    const w = reduceWorkers(createWorkers([]), report(2));
    expect(w.rows).toHaveLength(3);
    expect(w.rows[2]!.name).toBe('3. NVE');
    expect(w.rows[0]!.state).toBe('starting');
  });

  it('counts delivered ids once and reports any id delivered twice', () => {
    let w = createWorkers(names);
    w = reduceWorkers(w, { type: 'delivered', systems: [0, 3, 5], step: 10 });
    w = reduceWorkers(w, { type: 'delivered', systems: [1], step: 12 });
    expect(w.delivered).toBe(4);
    expect(w.duplicates).toBe(0);
    w = reduceWorkers(w, { type: 'delivered', systems: [3, 7], step: 14 });
    expect(w.delivered).toBe(5);
    expect(w.duplicates).toBe(1);
  });

  it('marks a failed worker, which late reports do not revive; the first failure is kept', () => {
    let w = createWorkers(names);
    w = reduceWorkers(w, {
      type: 'worker-failed',
      worker: 1,
      stage: 1,
      name: '2. LANGEVIN',
      reason: 'unresponsive',
      message: 'no heartbeat for 1500 ms',
    });
    w = reduceWorkers(w, report(1, { state: 'running' }));
    w = reduceWorkers(w, {
      type: 'worker-failed',
      worker: 2,
      stage: 2,
      name: '3. NVE',
      reason: 'exited',
      message: 'terminated',
    });
    expect(w.rows[1]!.state).toBe('failed');
    expect(w.rows[1]!.failure).toEqual({ reason: 'unresponsive', message: 'no heartbeat for 1500 ms' });
    expect(w.rows[2]!.state).toBe('failed');
    expect(w.failure?.worker).toBe(1);
  });
});

describe('worker failure texts', () => {
  it('name the worker and its stage, the cause, and what was kept', () => {
    const text = workerFailureText(
      { worker: 1, stage: 1, name: '2. LANGEVIN', reason: 'device-lost', message: 'GPU reset' },
      7,
    );
    expect(text).toBe(
      'Worker 2 (stage 2, 2. LANGEVIN) lost its GPU device: GPU reset. The 7 systems delivered before it failed are kept.',
    );
    expect(workerFailureAdvice('device-lost')).toContain('Workers to one');
    expect(workerFailureAdvice('unresponsive')).toContain('Press Run');
  });

  it('fill is a clamped fraction, 0 while the capacity is unknown', () => {
    expect(fill(2, 4)).toBe(0.5);
    expect(fill(5, 4)).toBe(1);
    expect(fill(3, 0)).toBe(0);
  });
});

describe('the run state of a pipeline run', () => {
  it('has workers only when the loaded spec is a pipeline', () => {
    const single = run([{ type: 'page/placement', placement: 'single' }, loaded(6)]);
    expect(single.workers).toBeNull();
    expect(single.placement).toBe('single');
    const piped = run([{ type: 'page/placement', placement: 'pipeline' }, loaded(6)]);
    expect(piped.placement).toBe('pipeline');
    expect(piped.workers?.rows.map((r) => r.name)).toEqual(names);
    // A later load of a single-worker spec drops the workers.
    expect(run([{ type: 'page/placement', placement: 'single' }, loaded(6)], piped).workers).toBeNull();
  });

  it('follows reports and deliveries, and a worker failure fills the banner until the next load', () => {
    const events: EngineEvent[] = [
      { type: 'state', state: 'running' },
      report(0),
      report(2, { resident: 1 }),
      { type: 'delivered', systems: [4, 2], step: 50 },
      {
        type: 'worker-failed',
        worker: 1,
        stage: 1,
        name: '2. LANGEVIN',
        reason: 'error',
        message: 'Langevin: temperature must be > 0',
      },
      { type: 'end', reason: 'error', message: 'worker 2 (stage 2) failed', step: 60 },
    ];
    const s = run([{ type: 'page/placement', placement: 'pipeline' }, loaded(6), ...events]);
    expect(s.workers?.delivered).toBe(2);
    expect(s.workers?.rows[0]?.received).toBe(3);
    expect(s.phase).toBe('ended');
    expect(s.endReason).toBe('error');
    expect(s.error?.reason).toBe('worker');
    expect(s.error?.message).toBe(
      'Worker 2 (stage 2, 2. LANGEVIN) threw an error: Langevin: temperature must be > 0. The 2 systems delivered before it failed are kept.',
    );
    expect(s.error?.advice).toContain("Check that stage's parameters");
    const reloaded = run([loaded(6)], s);
    expect(reloaded.error).toBeNull();
    expect(reloaded.workers?.delivered).toBe(0);
  });

  it('an error end without a worker failure keeps the plain engine error', () => {
    const s = run([
      { type: 'page/placement', placement: 'pipeline' },
      loaded(2),
      { type: 'end', reason: 'error', message: 'boom', step: 3 },
    ]);
    expect(s.error).toEqual({ reason: 'error', message: 'boom' });
  });
});
