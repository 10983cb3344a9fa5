import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../engine/api.ts';
import { initialRunState, type RunAction, type RunState, reduceRunState } from './runState.ts';

const record = (stage: number, step: number): LogRecord => ({
  stage,
  stageStep: step,
  step,
  time: step * 5,
  potentialEnergy: -300,
  kineticEnergy: 40,
  temperature: 85,
  maxForce: 0.02,
  perSystem: { potentialEnergy: [-300], kineticEnergy: [40], temperature: [85], maxForce: [0.02] },
});

const run = (actions: RunAction[]): RunState => actions.reduce(reduceRunState, initialRunState);

describe('reduceRunState', () => {
  const loaded: RunAction = {
    type: 'loaded',
    adapter: 'swiftshader',
    nAtoms: 4,
    nSystems: 1,
    stages: ['FIRE', 'NVT', 'NVE'],
    atomicNumbers: new Int32Array(4),
    cell: new Float64Array(9),
    pbc: Uint8Array.of(1, 1, 1),
    positions: new Float32Array(12),
  };

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
  });

  it('shows an error banner for NaN and errors, not for a normal end', () => {
    expect(run([loaded, { type: 'end', reason: 'completed', step: 9 }]).error).toBeNull();
    const nan = run([loaded, { type: 'end', reason: 'nan', message: 'NaN at step 3', step: 3 }]);
    expect(nan.phase).toBe('ended');
    expect(nan.error).toEqual({ reason: 'nan', message: 'NaN at step 3' });
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
