/**
 * Time series of the log records kept in growable typed arrays (no per-record allocation once
 * the capacity is reached), read by the plots as views at ≤ 10 Hz. Totals of every record, and
 * per-system series keyed by system id (LogRecord.perSystem.systemIds) for the first systems seen.
 */
import type { LogRecord } from '../../engine/api.ts';

/** Columns kept per record. */
export const seriesColumns = [
  'timePs',
  'step',
  'potentialEnergy',
  'kineticEnergy',
  'totalEnergy',
  'temperature',
  'maxForce',
] as const;
export type SeriesColumn = (typeof seriesColumns)[number];

/** Columns kept per system (time and step are the totals' `timePs` and `step`). */
export const systemColumns = [
  'potentialEnergy',
  'kineticEnergy',
  'totalEnergy',
  'temperature',
  'maxForce',
] as const;
export type SystemColumn = (typeof systemColumns)[number];

/** Most systems whose own series are kept by default (the first ones seen in the log). */
export const DEFAULT_TRACKED_SYSTEMS = 8;

/**
 * One system's values, aligned with the records: entry i belongs to record i, null where the system
 * was not live (not yet admitted, or already gone). eV, K, eV/Å as in LogRecord.
 */
export type SystemSeries = Record<SystemColumn, (number | null)[]>;

export class LogSeries {
  private columns: Record<SeriesColumn, Float64Array>;
  private n = 0;
  private readonly systems = new Map<number, SystemSeries>();
  /** First record of the latest step (records of the sub-stages of a fused stage share a step). */
  private group = { start: 0, stage: -1, step: -1 };
  /** Incremented on every change, so readers can tell whether to redraw. */
  version = 0;

  /**
   * @param initialCapacity Records the typed arrays hold before they first grow.
   * @param maxSystems Most systems given their own series (the first ones seen).
   */
  constructor(
    initialCapacity = 1024,
    readonly maxSystems = DEFAULT_TRACKED_SYSTEMS,
  ) {
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
    col.step[i] = r.step;
    col.potentialEnergy[i] = r.potentialEnergy;
    col.kineticEnergy[i] = r.kineticEnergy;
    col.totalEnergy[i] = r.potentialEnergy + r.kineticEnergy;
    col.temperature[i] = r.temperature;
    col.maxForce[i] = r.maxForce;
    this.appendSystems(r, i);
    this.version++;
  }

  /**
   * Adds record i's per-system values to the tracked systems (null for those not in it). Records of
   * one step (one per sub-stage of a fused stage, each with the systems of its sub-stage) share
   * their systems' values, so that each system's curve runs on through the step.
   */
  private appendSystems(r: LogRecord, i: number): void {
    const per = r.perSystem;
    const ids = per.systemIds;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k]!;
      if (this.systems.has(id) || this.systems.size >= this.maxSystems) continue;
      const empty = {} as SystemSeries;
      for (const c of systemColumns) empty[c] = new Array<number | null>(i).fill(null);
      this.systems.set(id, empty);
    }
    for (const [id, s] of this.systems) {
      const k = ids.indexOf(id);
      const pe = k < 0 ? null : (per.potentialEnergy[k] ?? null);
      const ke = k < 0 ? null : (per.kineticEnergy[k] ?? null);
      s.potentialEnergy.push(pe);
      s.kineticEnergy.push(ke);
      s.totalEnergy.push(pe === null || ke === null ? null : pe + ke);
      s.temperature.push(k < 0 ? null : (per.temperature[k] ?? null));
      s.maxForce.push(k < 0 ? null : (per.maxForce[k] ?? null));
    }
    if (r.step !== this.group.step || r.stage !== this.group.stage) {
      this.group = { start: i, stage: r.stage, step: r.step };
      return;
    }
    for (const s of this.systems.values()) {
      for (const c of systemColumns) {
        const column = s[c];
        let value: number | null = null;
        for (let j = i; j >= this.group.start && value === null; j--) value = column[j] ?? null;
        if (value === null) continue;
        for (let j = this.group.start; j <= i; j++) column[j] ??= value;
      }
    }
  }

  clear(): void {
    this.n = 0;
    this.systems.clear();
    this.group = { start: 0, stage: -1, step: -1 };
    this.version++;
  }

  /** Views of the first `length` values of the named column (valid until the next append). */
  view(column: SeriesColumn): Float64Array {
    return this.columns[column].subarray(0, this.n);
  }

  /** Ids of the systems with their own series, in the order they were first seen. */
  systemIds(): number[] {
    return [...this.systems.keys()];
  }

  /**
   * System `id`'s values of `column`, one per record (null where it was not live), or null when
   * the system has no series. The array is live: it grows with the next append.
   */
  systemView(id: number, column: SystemColumn): (number | null)[] | null {
    return this.systems.get(id)?.[column] ?? null;
  }
}
