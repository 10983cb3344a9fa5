import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../engine/api.ts';
import { argonVoidSpec } from '../../io/examples.ts';
import { parseSpec } from '../../io/spec.ts';
import { describePipeline } from './pipelineInfo.ts';
import { runProgress } from './runProgress.ts';
import { initialRunState, type RunAction, type RunState, reduceRunState } from './runState.ts';

const record = (stage: number, stageStep: number, step: number): LogRecord => ({
  stage,
  stageStep,
  step,
  time: 0,
  potentialEnergy: 0,
  kineticEnergy: 0,
  temperature: 0,
  maxForce: 0,
  perSystem: { systemIds: [], potentialEnergy: [], kineticEnergy: [], temperature: [], maxForce: [] },
});

function loaded(nSystems: number): RunState {
  const pipeline = describePipeline(parseSpec(argonVoidSpec));
  const actions: RunAction[] = [
    { type: 'page/pipeline', pipeline },
    {
      type: 'loaded',
      adapter: 'test',
      nAtoms: 4 * nSystems,
      nSystems,
      stages: pipeline.segments.map((s) => s.name),
      atomicNumbers: new Int32Array(4 * nSystems),
      cell: new Float64Array(9),
      pbc: Uint8Array.of(1, 1, 1),
      positions: new Float32Array(12 * nSystems),
    },
  ];
  return actions.reduce(reduceRunState, initialRunState);
}

describe('runProgress', () => {
  it('counts the steps of the running stage against its budget; earlier stages done, later pending', () => {
    const budgets = describePipeline(parseSpec(argonVoidSpec)).segments.map((s) => s.subStages[0]!.steps);
    let s = loaded(1);
    expect(runProgress(s).map((p) => [p.state, p.steps])).toEqual([
      ['pending', 0],
      ['pending', 0],
      ['pending', 0],
    ]);
    s = [
      { type: 'stage', stage: 0, name: 'a', step: 0 },
      { type: 'stage', stage: 1, name: 'b', step: 40 },
      { type: 'log', record: record(1, 7, 47) },
    ].reduce((st, a) => reduceRunState(st, a as RunAction), s);
    const p = runProgress(s);
    expect(p.map((x) => x.state)).toEqual(['done', 'current', 'pending']);
    expect(p[0]!.steps).toBe(budgets[0]);
    expect(p[1]!.steps).toBe(7);
    expect(p[1]!.budget).toBe(budgets[1]);
    // A frame after a single step moves the counter too.
    s = reduceRunState(s, {
      type: 'frame',
      frame: { stage: 1, stageStep: 8, step: 48, time: 0, positions: new Float32Array(0) },
    });
    expect(runProgress(s)[1]!.steps).toBe(8);
    expect(s.step).toBe(48);
    s = reduceRunState(s, { type: 'end', reason: 'completed', step: 48 });
    expect(runProgress(s).every((x) => x.state === 'done')).toBe(true);
  });

  it('counts systems waiting, running and done per stage', () => {
    let s = loaded(3);
    s = [
      { type: 'stage', stage: 0, name: 'a', step: 0 },
      { type: 'graduated', stage: 0, step: 5, systems: [1] },
    ].reduce((st, a) => reduceRunState(st, a as RunAction), s);
    const first = runProgress(s)[0]!;
    expect(first.total).toBe(3);
    expect(first.done).toBe(1);
    expect(first.running).toBe(2);
  });
});
