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
  perSystem: { systemIds: [], potentialEnergy: [], kineticEnergy: [], temperature: [], maxForce: [] },
});

/** A record of the systems `ids`, system id k having energy −k eV, temperature 10k K. */
const withSystems = (i: number, ids: number[]): LogRecord => ({
  ...rec(i),
  perSystem: {
    systemIds: ids,
    potentialEnergy: ids.map((k) => -k),
    kineticEnergy: ids.map(() => 1),
    temperature: ids.map((k) => 10 * k),
    maxForce: ids.map((k) => k / 10),
  },
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

  it('keeps per-system series by system id, aligned with the records, null where a system was not live', () => {
    const s = new LogSeries(2, 3);
    s.append(withSystems(0, [4, 2]));
    s.append(withSystems(1, [2, 7])); // system 4 left its slot to system 7
    s.append(withSystems(2, [9, 7, 2])); // a fourth system is not tracked (3 at most)
    expect(s.systemIds()).toEqual([4, 2, 7]);
    expect(s.systemView(4, 'potentialEnergy')).toEqual([-4, null, null]);
    expect(s.systemView(2, 'temperature')).toEqual([20, 20, 20]);
    expect(s.systemView(7, 'totalEnergy')).toEqual([null, -6, -6]);
    expect(s.systemView(7, 'maxForce')).toEqual([null, 0.7, 0.7]);
    expect(s.systemView(9, 'maxForce')).toBeNull();
    for (const id of s.systemIds()) expect(s.systemView(id, 'kineticEnergy')).toHaveLength(s.length);
    // Records of one step (one per sub-stage of a fused stage) share their systems' values.
    s.append({ ...withSystems(3, [2]), step: 2 });
    expect(s.systemView(7, 'temperature')).toEqual([null, 70, 70, 70]);
    expect(s.systemView(2, 'temperature')).toEqual([20, 20, 20, 20]);
    s.append(withSystems(3, [9]));
    expect(s.systemView(7, 'temperature')).toEqual([null, 70, 70, 70, null]);
    s.clear();
    expect(s.systemIds()).toEqual([]);
  });
});

describe('LogSeries decimation', () => {
  it('keeps at most maxPoints records, every stride-th step, first and evenly spaced', () => {
    const s = new LogSeries(4, 8, 16);
    for (let i = 0; i < 1000; i++) s.append(rec(i));
    expect(s.length).toBeLessThanOrEqual(16);
    expect(s.length).toBeGreaterThanOrEqual(8);
    const steps = Array.from(s.view('step'));
    expect(steps[0]).toBe(0);
    const stride = s.stride;
    expect(stride).toBeGreaterThan(1);
    expect(steps).toEqual(steps.map((_, k) => k * stride));
    // Values stay with their step.
    expect(Array.from(s.view('potentialEnergy'))).toEqual(steps.map((x) => -x));
    // Capacity never grew past the cap's power of two: appending costs O(1) amortized.
    expect(s.capacity).toBeLessThanOrEqual(32);
  });

  it('keeps or drops the records of one step together, and per-system series with them', () => {
    const s = new LogSeries(4, 8, 8);
    for (let i = 0; i < 40; i++) {
      // Two records per step (two sub-stages of a fused stage), each with its system.
      s.append({ ...withSystems(i, [1]), step: i });
      s.append({ ...withSystems(i, [2]), step: i });
    }
    const steps = Array.from(s.view('step'));
    for (let k = 0; k < steps.length; k += 2) expect(steps[k + 1]).toBe(steps[k]);
    expect(s.systemView(1, 'potentialEnergy')).toHaveLength(s.length);
    expect(s.systemView(2, 'temperature')?.every((t) => t === 20)).toBe(true);
    expect(s.systemView(1, 'temperature')?.every((t) => t === 10)).toBe(true);
  });

  it('appending a long run takes amortized constant time', () => {
    const s = new LogSeries(1024, 8, 4096);
    const r = rec(1);
    const t0 = performance.now();
    for (let i = 0; i < 200_000; i++) s.append({ ...r, step: i });
    const perRecord = (performance.now() - t0) / 200_000;
    expect(s.length).toBeLessThanOrEqual(4096);
    expect(perRecord).toBeLessThan(0.05); // ms
  });

  it('clear starts again without decimation', () => {
    const s = new LogSeries(4, 8, 8);
    for (let i = 0; i < 100; i++) s.append(rec(i));
    s.clear();
    for (let i = 0; i < 5; i++) s.append(rec(i));
    expect(Array.from(s.view('step'))).toEqual([0, 1, 2, 3, 4]);
    expect(s.stride).toBe(1);
  });
});
