import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../engine/api.ts';
import { LogSeries } from './logSeries.ts';

const rec = (i: number): LogRecord => ({
  stage: 0,
  stageStep: i,
  step: i,
  time: 10 * i,
  potentialEnergy: -i,
  kineticEnergy: 2 * i,
  temperature: i,
  maxForce: 1 / (i + 1),
  perSystem: { potentialEnergy: [], kineticEnergy: [], temperature: [], maxForce: [] },
});

describe('LogSeries', () => {
  it('grows past its capacity and keeps every value', () => {
    const s = new LogSeries(2);
    for (let i = 0; i < 5; i++) s.append(rec(i));
    expect(s.length).toBe(5);
    expect(s.capacity).toBe(8);
    expect(Array.from(s.view('timePs'))).toEqual([0, 0.01, 0.02, 0.03, 0.04]);
    expect(Array.from(s.view('totalEnergy'))).toEqual([0, 1, 2, 3, 4]);
    expect(s.version).toBe(5);
  });

  it('clear empties the views', () => {
    const s = new LogSeries(4);
    s.append(rec(1));
    s.clear();
    expect(s.view('temperature').length).toBe(0);
  });
});
