/**
 * The log time series as CSV (one row per record and system), for the page's download button and
 * the CLI. Units are in the column names; numbers are written in full (shortest round-trip form),
 * non-finite values as `nan`, `inf`, `-inf` (read as such by pandas, numpy and Python's float).
 */
import type { LogRecord } from '../api.ts';

/** Column names of {@link logRecordsToCsv}, units included. */
export const LOG_CSV_COLUMNS = [
  'step',
  'time_fs',
  'stage',
  'system',
  'potential_energy_eV',
  'kinetic_energy_eV',
  'temperature_K',
  'max_force_eV_per_A',
] as const;

/**
 * CSV of log records: a header, then per record one row per system (in the record's order; an
 * entry whose system id is −1, an empty slot, is skipped). `step` counts over the whole run,
 * `time_fs` is simulated time, `stage` the stage index (from 0), `system` the system id.
 */
export function logRecordsToCsv(records: readonly LogRecord[]): string {
  const lines: string[] = [LOG_CSV_COLUMNS.join(',')];
  for (const r of records) {
    const p = r.perSystem;
    for (let i = 0; i < p.potentialEnergy.length; i++) {
      const system = p.systemIds[i] ?? i;
      if (system < 0) continue;
      lines.push(
        [
          r.step,
          r.time,
          r.stage,
          system,
          p.potentialEnergy[i],
          p.kineticEnergy[i],
          p.temperature[i],
          p.maxForce[i],
        ]
          .map(csvNumber)
          .join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function csvNumber(x: number | undefined): string {
  if (x === undefined) return '';
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  return String(x);
}
