/**
 * Time series of the log records kept in growable typed arrays (no per-record allocation once
 * the capacity is reached), read by the plots as views at ≤ 10 Hz.
 */
import type { LogRecord } from '../../engine/api.ts';

/** Columns kept per record. */
export const seriesColumns = [
  'timePs',
  'potentialEnergy',
  'kineticEnergy',
  'totalEnergy',
  'temperature',
  'maxForce',
] as const;
export type SeriesColumn = (typeof seriesColumns)[number];

export class LogSeries {
  private columns: Record<SeriesColumn, Float64Array>;
  private n = 0;
  /** Incremented on every change, so readers can tell whether to redraw. */
  version = 0;

  constructor(initialCapacity = 1024) {
    this.columns = LogSeries.allocate(Math.max(1, initialCapacity));
  }

  private static allocate(capacity: number): Record<SeriesColumn, Float64Array> {
    const out = {} as Record<SeriesColumn, Float64Array>;
    for (const c of seriesColumns) out[c] = new Float64Array(capacity);
    return out;
  }

  get length(): number {
    return this.n;
  }

  get capacity(): number {
    return this.columns.timePs.length;
  }

  /** Appends one record; time is converted from fs to ps. */
  append(r: LogRecord): void {
    if (this.n === this.capacity) {
      const grown = LogSeries.allocate(this.capacity * 2);
      for (const c of seriesColumns) grown[c].set(this.columns[c]);
      this.columns = grown;
    }
    const i = this.n++;
    const col = this.columns;
    col.timePs[i] = r.time / 1000;
    col.potentialEnergy[i] = r.potentialEnergy;
    col.kineticEnergy[i] = r.kineticEnergy;
    col.totalEnergy[i] = r.potentialEnergy + r.kineticEnergy;
    col.temperature[i] = r.temperature;
    col.maxForce[i] = r.maxForce;
    this.version++;
  }

  clear(): void {
    this.n = 0;
    this.version++;
  }

  /** Views of the first `length` values of the named column (valid until the next append). */
  view(column: SeriesColumn): Float64Array {
    return this.columns[column].subarray(0, this.n);
  }
}
