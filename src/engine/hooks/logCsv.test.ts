import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../api.ts';
import { LOG_CSV_COLUMNS, logRecordsToCsv } from './logCsv.ts';

function record(step: number, systemIds: number[], pe: number[]): LogRecord {
  return {
    stage: 1,
    stageStep: step - 100,
    step,
    time: step * 0.5,
    potentialEnergy: pe.reduce((a, b) => a + b, 0),
    kineticEnergy: 0,
    temperature: 0,
    maxForce: 0,
    perSystem: {
      systemIds,
      potentialEnergy: pe,
      kineticEnergy: systemIds.map((id) => id * 0.25),
      temperature: systemIds.map((id) => 300 + id),
      maxForce: systemIds.map((id) => id / 3),
    },
  };
}

describe('logRecordsToCsv', () => {
  it('writes a header with units and one row per record and system', () => {
    const csv = logRecordsToCsv([record(110, [4, 7], [-1.5, -2.25]), record(120, [7], [-2.125])]);
    const lines = csv.split('\n');
    expect(lines[0]).toBe(
      'step,time_fs,stage,system,potential_energy_eV,kinetic_energy_eV,temperature_K,max_force_eV_per_A',
    );
    expect(lines[0]).toBe(LOG_CSV_COLUMNS.join(','));
    expect(lines.slice(1)).toEqual([
      `110,55,1,4,-1.5,1,304,${4 / 3}`,
      `110,55,1,7,-2.25,1.75,307,${7 / 3}`,
      `120,60,1,7,-2.125,1.75,307,${7 / 3}`,
      '',
    ]);
    // Full precision: values parse back exactly.
    expect(Number(lines[1]!.split(',')[7])).toBe(4 / 3);
  });

  it('skips empty slots and writes non-finite values as nan, inf, -inf', () => {
    const r = record(5, [0, -1, 2], [Number.NaN, 1, Number.NEGATIVE_INFINITY]);
    r.perSystem.temperature[2] = Number.POSITIVE_INFINITY;
    const rows = logRecordsToCsv([r]).trim().split('\n').slice(1);
    expect(rows).toEqual(['5,2.5,1,0,nan,0,300,0', '5,2.5,1,2,-inf,0.5,inf,0.6666666666666666']);
  });

  it('writes only the header for no records', () => {
    expect(logRecordsToCsv([])).toBe(`${LOG_CSV_COLUMNS.join(',')}\n`);
  });
});
