import { describe, expect, it } from 'vitest';
import type { EngineEvent, LogRecord } from '../../engine/api.ts';
import { argonVoidSpec } from '../../io/examples.ts';
import { type PipelineSpecInput, parseSpec } from '../../io/spec.ts';
import { describePipeline } from './pipelineInfo.ts';
import { initialRunState, MAX_WARNINGS, type RunAction, type RunState, reduceRunState } from './runState.ts';

const record = (stage: number, step: number): LogRecord => ({
  stage,
  stageStep: step,
  step,
  time: step * 5,
  potentialEnergy: -300,
  kineticEnergy: 40,
  temperature: 85,
  maxForce: 0.02,
  perSystem: {
    systemIds: [0],
    potentialEnergy: [-300],
    kineticEnergy: [40],
    temperature: [85],
    maxForce: [0.02],
  },
});

const run = (actions: RunAction[], from: RunState = initialRunState): RunState =>
  actions.reduce(reduceRunState, from);

const loadedEvent = (nSystems: number, stages: string[]): RunAction => ({
  type: 'loaded',
  adapter: 'swiftshader',
  nAtoms: 4 * nSystems,
  nSystems,
  stages,
  atomicNumbers: new Int32Array(4 * nSystems),
  cell: new Float64Array(9),
  pbc: Uint8Array.of(1, 1, 1),
  positions: new Float32Array(12 * nSystems),
});

/** Loads `spec` as the page does: the pipeline's shape first, then the engine's `loaded`. */
function load(spec: PipelineSpecInput, nSystems: number): RunState {
  const parsed = parseSpec(spec);
  const pipeline = describePipeline(parsed);
  return run([
    { type: 'page/pipeline', pipeline },
    loadedEvent(
      nSystems,
      pipeline.segments.map((s) => s.name),
    ),
  ]);
}

/** Counts of segment k: [waiting, active per sub-stage, done, converged per sub-stage]. */
const counts = (s: RunState, k: number) => {
  const c = s.systems!.counts[k]!;
  return [c.waiting, c.active, c.done, c.converged];
};

const fusedSpec: PipelineSpecInput = {
  ...argonVoidSpec,
  stages: [
    {
      kind: 'fused',
      steps: 500,
      stages: [
        { kind: 'fire', steps: 100, dt: 1 },
        { kind: 'nve', steps: 50, dt: 1 },
      ],
    },
    { kind: 'nve', name: 'production', steps: 100, dt: 1 },
  ],
};

describe('reduceRunState', () => {
  const loaded = loadedEvent(1, ['FIRE', 'NVT', 'NVE']);

  it('follows a run through its stages and logs', () => {
    const s = run([
      { type: 'page/loading' },
      loaded,
      { type: 'state', state: 'running' },
      { type: 'stage', stage: 0, name: 'FIRE', step: 0 },
      { type: 'log', record: record(0, 10) },
      { type: 'stage', stage: 1, name: 'NVT', step: 50 },
      { type: 'snapshot', stage: 1, step: 200, framesInSink: 1 },
    ]);
    expect(s.phase).toBe('running');
    expect(s.stageIndex).toBe(1);
    expect(s.step).toBe(50);
    expect(s.temperature).toBe(85);
    expect(s.lastSnapshotStep).toBe(200);
    expect(s.nAtoms).toBe(4);
    // Without the page's description, each segment is a plain stage known by its name.
    expect(s.pipeline.segments.map((g) => [g.name, g.fused, g.subStages.length])).toEqual([
      ['FIRE', false, 1],
      ['NVT', false, 1],
      ['NVE', false, 1],
    ]);
  });

  it('shows an error banner for NaN and errors, not for a normal end', () => {
    expect(run([loaded, { type: 'end', reason: 'completed', step: 9 }]).error).toBeNull();
    const nan = run([loaded, { type: 'end', reason: 'nan', message: 'NaN at step 3', step: 3 }]);
    expect(nan.phase).toBe('ended');
    expect(nan.error).toEqual({ reason: 'nan', message: 'NaN at step 3' });
  });

  it('keeps the NaN detector’s message (system, atom, step) when the run ends', () => {
    const message = 'non-finite force of atom 7 of system 2 at step 40';
    const s = run([
      loaded,
      { type: 'nan-detected', stage: 1, step: 40, system: 2, atom: 7, message, lastGood: null },
      { type: 'end', reason: 'nan', message: 'stopped: nan', step: 40 },
    ]);
    expect(s.error).toEqual({ reason: 'nan', message });
    expect(s.nan).toEqual({ stage: 1, step: 40, system: 2, atom: 7, message });
    // A new load forgets it.
    expect(run([loaded], s).nan).toBeNull();
  });

  it('keeps the newest warnings and counts them all', () => {
    const warning = (step: number): RunAction => ({
      type: 'warning',
      stage: 2,
      step,
      source: 'energy-drift',
      message: `drift at ${step}`,
    });
    const s = run([loaded, ...Array.from({ length: MAX_WARNINGS + 5 }, (_, k) => warning(k))]);
    expect(s.warningCount).toBe(MAX_WARNINGS + 5);
    expect(s.warnings).toHaveLength(MAX_WARNINGS);
    expect(s.warnings[0]).toEqual({
      stage: 2,
      step: MAX_WARNINGS + 4,
      source: 'energy-drift',
      message: `drift at ${MAX_WARNINGS + 4}`,
    });
    const dismissed = reduceRunState(s, { type: 'page/dismiss-warnings' });
    expect(dismissed.warnings).toEqual([]);
    expect(dismissed.warningCount).toBe(MAX_WARNINGS + 5);
  });

  it('shows the throughput of the running stage only', () => {
    const timing: RunAction = {
      type: 'timing',
      stage: 0,
      step: 200,
      msPerStep: 0.5,
      atomStepsPerSecond: 8e6,
    };
    const s = run([loaded, { type: 'stage', stage: 0, name: 'FIRE', step: 0 }, timing]);
    expect(s.timing).toEqual({ stage: 0, step: 200, msPerStep: 0.5, atomStepsPerSecond: 8e6 });
    expect(reduceRunState(s, { type: 'stage', stage: 1, name: 'NVT', step: 300 }).timing).toBeNull();
  });

  it('keeps the device-lost banner until a restart, then resumes from the snapshot step', () => {
    const lost = run([loaded, { type: 'device-lost', message: 'destroyed', canRestart: true }]);
    expect(lost.deviceLost).toEqual({ message: 'destroyed', canRestart: true });
    const back = reduceRunState(lost, { type: 'page/restored', step: 400, stage: 1 });
    expect(back.deviceLost).toBeNull();
    expect(back.step).toBe(400);
    expect(back.restoredFrom).toEqual({ step: 400, stage: 1 });
  });

  it('a new load resets the counters', () => {
    const s = run([loaded, { type: 'log', record: record(2, 999) }, loaded]);
    expect(s.step).toBe(0);
    expect(s.potentialEnergy).toBeNull();
    expect(s.stageIndex).toBe(-1);
  });
});

describe('systems per segment and sub-stage', () => {
  it('a fused stage without batching: systems migrate between sub-stages and graduate', () => {
    const start = load(fusedSpec, 4);
    expect(
      start.pipeline.segments.map((g) => [g.name, g.fused, g.subStages.map((x) => x.name), g.entry, g.exit]),
    ).toEqual([
      ['1. FIRE + NVE', true, ['FIRE', 'NVE'], 0, 2],
      ['production', false, ['production'], 0, 1],
    ]);
    expect(counts(start, 0)).toEqual([4, [0, 0], 0, [0, 0]]);

    const events: EngineEvent[] = [
      { type: 'stage', stage: 0, name: '1. FIRE + NVE', step: 0 },
      { type: 'converged', stage: 0, subStage: 0, step: 30, systems: [1, 2] },
      { type: 'migrated', stage: 0, step: 30, from: 0, to: 1, systems: [1, 2] },
    ];
    const mid = run(events, start);
    expect(counts(mid, 0)).toEqual([0, [2, 2], 0, [2, 0]]);
    expect(Array.from(mid.systems!.code)).toEqual([0, 1, 1, 0]);

    const later = run(
      [
        { type: 'migrated', stage: 0, step: 80, from: 1, to: 'exit', systems: [1] },
        { type: 'graduated', stage: 0, step: 80, systems: [1] },
      ],
      mid,
    );
    expect(counts(later, 0)).toEqual([0, [2, 1], 1, [2, 0]]);

    // The segment ends at its step limit: every system goes on to the next one.
    const next = reduceRunState(later, { type: 'stage', stage: 1, name: 'production', step: 500 });
    expect(counts(next, 0)).toEqual([0, [0, 0], 1, [2, 0]]);
    expect(counts(next, 1)).toEqual([0, [4], 0, [0]]);
  });

  it('inflight batching: systems wait, are admitted into slots, and queue for the next segment', () => {
    const spec: PipelineSpecInput = {
      ...argonVoidSpec,
      batching: { maxSystems: 3, maxAtoms: 100 },
      stages: [
        { kind: 'fire', steps: 100, dt: 1 },
        { kind: 'nve', steps: 100, dt: 1 },
      ],
    };
    const start = load(spec, 6);
    expect(start.pipeline.batching).toBe(true);
    const s = run(
      [
        { type: 'stage', stage: 0, name: '1. FIRE', step: 0 },
        { type: 'batch', stage: 0, step: 0, admitted: [0, 1, 2], resident: 3, residentAtoms: 12, waiting: 3 },
        { type: 'converged', stage: 0, subStage: 0, step: 20, systems: [1] },
        { type: 'migrated', stage: 0, step: 20, from: 0, to: 'exit', systems: [1] },
        { type: 'graduated', stage: 0, step: 20, systems: [1] },
        { type: 'batch', stage: 0, step: 20, admitted: [3], resident: 3, residentAtoms: 12, waiting: 2 },
      ],
      start,
    );
    expect(counts(s, 0)).toEqual([2, [3], 1, [1]]);
    expect(counts(s, 1)).toEqual([1, [0], 0, [0]]);
    expect(s.batch).toEqual({ stage: 0, resident: 3, residentAtoms: 12, waiting: 2 });

    // Step limit: the resident and waiting systems join the next queue when it starts.
    const next = run(
      [
        { type: 'stage', stage: 1, name: '2. NVE', step: 100 },
        {
          type: 'batch',
          stage: 1,
          step: 100,
          admitted: [1, 0, 2],
          resident: 3,
          residentAtoms: 12,
          waiting: 3,
        },
      ],
      s,
    );
    expect(counts(next, 0)).toEqual([0, [0], 1, [1]]);
    expect(counts(next, 1)).toEqual([3, [3], 0, [0]]);
    // Graduating from the last segment: done with the pipeline.
    const done = reduceRunState(next, { type: 'graduated', stage: 1, step: 150, systems: [0, 1, 2] });
    expect(counts(done, 1)).toEqual([3, [0], 3, [0]]);
    expect(Array.from(done.systems!.segment.subarray(0, 3))).toEqual([2, 2, 2]);
  });

  it('systems pass through sub-stages with a budget of 0 steps at once', () => {
    const spec: PipelineSpecInput = {
      ...argonVoidSpec,
      stages: [
        {
          kind: 'fused',
          steps: 100,
          stages: [
            { kind: 'nve', steps: 0, dt: 1 },
            { kind: 'fire', steps: 50, dt: 1 },
            { kind: 'nve', steps: 0, dt: 1 },
          ],
        },
      ],
    };
    const s = run(
      [
        { type: 'stage', stage: 0, name: 'x', step: 0 },
        { type: 'migrated', stage: 0, step: 50, from: 1, to: 2, systems: [0] },
      ],
      load(spec, 2),
    );
    // System 0 went on through the last (0-step) sub-stage: it has left; system 1 is still in FIRE.
    expect(counts(s, 0)).toEqual([0, [0, 1, 0], 0, [0, 0, 0]]);
  });

  it('ignores system ids outside the run', () => {
    const s = run(
      [
        { type: 'stage', stage: 0, name: 'x', step: 0 },
        { type: 'migrated', stage: 0, step: 1, from: 0, to: 1, systems: [7, -1] },
      ],
      load(fusedSpec, 2),
    );
    expect(counts(s, 0)).toEqual([0, [2, 0], 0, [0, 0]]);
  });
});
