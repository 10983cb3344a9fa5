/**
 * The workers of a pipeline run (spec `placement.kind === 'pipeline'`: segment i on worker i), as the
 * page knows them from the engine's `worker`, `delivered` and `worker-failed` events. A pure reducer
 * and derivations, tested without a worker or a GPU; runState.ts holds the slice.
 */
import type { EngineEvent } from '../../engine/api.ts';

/** A worker's periodic report (at least every 250 ms per worker). */
export type WorkerReport = Extract<EngineEvent, { type: 'worker' }>;
/** Systems (ids) that reached the end of the pipeline. */
export type DeliveredReport = Extract<EngineEvent, { type: 'delivered' }>;
/** A worker that threw, lost its device, stopped answering or exited. */
export type WorkerFailedReport = Extract<EngineEvent, { type: 'worker-failed' }>;
/** The events this slice follows. */
export type WorkerEvent = WorkerReport | DeliveredReport | WorkerFailedReport;

/** What a worker is doing. */
export type WorkerLifeState = WorkerReport['state'];

/**
 * One worker as the panel shows it: its latest report (the fields of the `worker` event, documented
 * in src/engine/api.ts; capacities 0 until it reports), the range of its fill, and its failure.
 */
export interface WorkerRow extends Omit<WorkerReport, 'type'> {
  /** Fewest and most resident systems seen since the run started (the fill's range). */
  residentRange: [number, number] | null;
  /** Set when the worker failed. */
  failure: { reason: WorkerFailedReport['reason']; message: string } | null;
}

/** The pipeline's workers and what reached its end. */
export interface WorkersState {
  /** By worker index. */
  rows: WorkerRow[];
  /** Systems delivered by the last worker (distinct ids). */
  delivered: number;
  /** Ids delivered more than once (the engine promises none; shown if it ever happens). */
  duplicates: number;
  /** Delivered ids, for the duplicate check. */
  deliveredIds: ReadonlySet<number>;
  /** The first worker that failed. */
  failure: Omit<WorkerFailedReport, 'type'> | null;
}

function emptyRow(worker: number, name: string): WorkerRow {
  return {
    worker,
    stage: worker,
    name,
    state: 'starting',
    resident: 0,
    residentAtoms: 0,
    maxSystems: 0,
    maxAtoms: 0,
    inbox: 0,
    outbox: 0,
    heldBack: 0,
    received: 0,
    sent: 0,
    systemsPerSecond: 0,
    atomStepsPerSecond: 0,
    step: 0,
    residentRange: null,
    failure: null,
  };
}

/** One row per segment (worker i hosts segment i), all starting, before any report. */
export function createWorkers(stageNames: readonly string[]): WorkersState {
  return {
    rows: stageNames.map((name, i) => emptyRow(i, name)),
    delivered: 0,
    duplicates: 0,
    deliveredIds: new Set(),
    failure: null,
  };
}

/** The row of `worker`, created (and any before it) if it is not there yet. */
function withRow(rows: readonly WorkerRow[], worker: number, name: string): WorkerRow[] {
  const out = rows.slice();
  for (let i = out.length; i <= worker; i++) out.push(emptyRow(i, i === worker ? name : ''));
  return out;
}

/** Applies a worker event; other states are returned unchanged. */
export function reduceWorkers(state: WorkersState, event: WorkerEvent): WorkersState {
  switch (event.type) {
    case 'worker': {
      const rows = withRow(state.rows, event.worker, event.name);
      const before = rows[event.worker]!;
      const { type: _, ...report } = event;
      const range: [number, number] = before.residentRange
        ? [
            Math.min(before.residentRange[0], event.resident),
            Math.max(before.residentRange[1], event.resident),
          ]
        : [event.resident, event.resident];
      // A failed worker stays failed whatever late reports say.
      const failed = before.state === 'failed';
      rows[event.worker] = {
        ...before,
        ...report,
        state: failed ? 'failed' : event.state,
        residentRange: range,
      };
      return { ...state, rows };
    }
    case 'delivered': {
      const ids = new Set(state.deliveredIds);
      let duplicates = state.duplicates;
      for (const id of event.systems) {
        if (ids.has(id)) duplicates++;
        else ids.add(id);
      }
      return { ...state, deliveredIds: ids, delivered: ids.size, duplicates };
    }
    case 'worker-failed': {
      const rows = withRow(state.rows, event.worker, event.name);
      const { type: _, ...failure } = event;
      rows[event.worker] = {
        ...rows[event.worker]!,
        stage: event.stage,
        name: event.name || rows[event.worker]!.name,
        state: 'failed',
        failure: { reason: event.reason, message: event.message },
      };
      return { ...state, rows, failure: state.failure ?? failure };
    }
  }
}

/** Fraction of a capacity in use, 0…1 (0 when the capacity is not known yet). */
export function fill(used: number, capacity: number): number {
  return capacity > 0 ? Math.min(1, Math.max(0, used / capacity)) : 0;
}

/** State words for people (the panel shows them as text, never by colour alone). */
export const workerStateLabel: Record<WorkerLifeState, string> = {
  starting: 'starting',
  running: 'running',
  waiting: 'waiting for systems',
  done: 'done',
  failed: 'FAILED',
};

const failureCause: Record<WorkerFailedReport['reason'], string> = {
  error: 'threw an error',
  'device-lost': 'lost its GPU device',
  unresponsive: 'stopped answering',
  exited: 'exited unexpectedly',
};

/**
 * What the error banner says about a failed worker: which worker and stage, what happened, and what
 * to do, by cause.
 */
export function workerFailureText(failure: Omit<WorkerFailedReport, 'type'>, delivered: number): string {
  const who = `Worker ${failure.worker + 1} (stage ${failure.stage + 1}${failure.name ? `, ${failure.name}` : ''})`;
  const detail = failure.message ? `: ${failure.message}` : '';
  const kept = `The ${delivered} system${delivered === 1 ? '' : 's'} delivered before it failed ${delivered === 1 ? 'is' : 'are'} kept.`;
  return `${who} ${failureCause[failure.reason]}${detail}. ${kept}`;
}

/** What a person should do about a failed worker, by cause. */
export function workerFailureAdvice(reason: WorkerFailedReport['reason']): string {
  switch (reason) {
    case 'error':
      return "Check that stage's parameters, then press Run to start again. To rule out the pipeline, set Workers to one.";
    case 'device-lost':
      return 'Each worker has its own GPU device; the driver may have run out of memory. Lower batching max atoms or the link capacities, or set Workers to one, then press Run.';
    case 'unresponsive':
      return 'The worker was silent for too long (a hang or a very long GPU submit). Press Run to start again; if it repeats, lower batching max atoms or set Workers to one.';
    case 'exited':
      return 'The worker was closed or crashed (often out of memory). Press Run to start again with smaller batches, or set Workers to one.';
  }
}
