/**
 * Time series of the log records kept in growable typed arrays (no per-record allocation once
 * the capacity is reached), read by the plots as views at ≤ 10 Hz. Totals of every record, and
 * per-system series keyed by system id (LogRecord.perSystem.systemIds) for the first systems seen.
 *
 * Long runs are decimated so that plotting stays cheap and appending O(1) amortized: once `maxPoints`
 * records are held, every other step is dropped and from then on only every `stride`-th step is kept
 * (stride doubling each time the series fills up again). Records of one step (the sub-stages of a
 * fused stage) are kept or dropped together. The full log stays with the engine client (CSV download).
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

/** Most records held before the series is decimated. */
export const DEFAULT_MAX_POINTS = 4096;

/**
 * One system's values, aligned with the records: entry i belongs to record i, null where the system
 * was not live (not yet admitted, or already gone). eV, K, eV/Å as in LogRecord.
 */
export type SystemSeries = Record<SystemColumn, (number | null)[]>;

export class LogSeries {
  private columns: Record<SeriesColumn, Float64Array>;
  /** Ordinal of the step (group of records) of each record held. */
  private groups: Float64Array;
  private n = 0;
  /** Steps seen so far (the ordinal of the latest), and the latest step's stage and step. */
  private seen = { groups: -1, stage: -1, step: -1 };
  /** Only steps whose ordinal is a multiple of this are kept. */
  private keepEvery = 1;
  /** The latest step is dropped (its ordinal is not a multiple of `keepEvery`). */
  private dropping = false;
  private readonly systems = new Map<number, SystemSeries>();
  /** First record of the latest step (records of the sub-stages of a fused stage share a step). */
  private group = { start: 0, stage: -1, step: -1 };
  /** Incremented on every change, so readers can tell whether to redraw. */
  version = 0;

  /**
   * @param initialCapacity Records the typed arrays hold before they first grow.
   * @param maxSystems Most systems given their own series (the first ones seen).
   * @param maxPoints Most records held; beyond, the series is decimated (at least 4).
   */
  constructor(
    initialCapacity = 1024,
    readonly maxSystems = DEFAULT_TRACKED_SYSTEMS,
    readonly maxPoints = DEFAULT_MAX_POINTS,
  ) {
    this.columns = LogSeries.allocate(Math.max(1, initialCapacity));
    this.groups = new Float64Array(Math.max(1, initialCapacity));
    this.maxPoints = Math.max(4, maxPoints);
  }

  /** Only every `stride`-th step is kept now (1 until the series first filled up). */
  get stride(): number {
    return this.keepEvery;
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

  /** Appends one record (unless decimation drops its step); time is converted from fs to ps. */
  append(r: LogRecord): void {
    if (r.step !== this.seen.step || r.stage !== this.seen.stage) {
      this.seen = { groups: this.seen.groups + 1, stage: r.stage, step: r.step };
      if (this.n >= this.maxPoints) this.decimate();
      this.dropping = this.seen.groups % this.keepEvery !== 0;
    }
    if (this.dropping) return;
    if (this.n === this.capacity) {
      const grown = LogSeries.allocate(this.capacity * 2);
      for (const c of seriesColumns) grown[c].set(this.columns[c]);
      this.columns = grown;
      const groups = new Float64Array(this.capacity);
      groups.set(this.groups);
      this.groups = groups;
    }
    const i = this.n++;
    this.groups[i] = this.seen.groups;
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

  /** Doubles the stride: keeps the records of the steps whose ordinal is a multiple of it. O(n). */
  private decimate(): void {
    this.keepEvery *= 2;
    const every = this.keepEvery;
    let j = 0;
    for (let i = 0; i < this.n; i++) {
      if (this.groups[i]! % every !== 0) continue;
      if (j !== i) {
        for (const c of seriesColumns) this.columns[c][j] = this.columns[c][i]!;
        this.groups[j] = this.groups[i]!;
        for (const series of this.systems.values()) {
          for (const c of systemColumns) series[c][j] = series[c][i] ?? null;
        }
      }
      j++;
    }
    this.n = j;
    for (const series of this.systems.values()) for (const c of systemColumns) series[c].length = j;
    this.version++;
  }

  clear(): void {
    this.n = 0;
    this.seen = { groups: -1, stage: -1, step: -1 };
    this.keepEvery = 1;
    this.dropping = false;
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
