/**
 * The workers (ranks) of a domain run (spec `placement.kind === 'domain'`: one system split over a
 * Px×Py×Pz grid of workers), as the page knows them from the engine's `rank` and `worker-failed`
 * events. A pure reducer and derivations, tested without a worker or a GPU; runState.ts holds the
 * slice.
 */
import type { EngineEvent } from '../../engine/api.ts';

/** Three numbers, one per cell axis a, b, c. */
export type GridDims = [number, number, number];

/**
 * A rank's periodic report (about every 250 ms per rank; the `rank` event of src/engine/api.ts):
 * what it owns (atoms, ghosts, NULL atoms) and where its wall time goes (exchange, compute).
 */
export type RankReport = Extract<EngineEvent, { type: 'rank' }>;

/** A worker that threw, lost its device, stopped answering or exited. */
export type WorkerFailedReport = Extract<EngineEvent, { type: 'worker-failed' }>;
/** The events this slice follows. */
export type DomainEvent = RankReport | WorkerFailedReport;

/** One rank as the panel shows it: its latest report (zeros before the first) and its failure. */
export interface RankRow extends Omit<RankReport, 'type'> {
  /** True once the rank has reported. */
  reported: boolean;
  /** Set when the rank failed. */
  failure: { reason: WorkerFailedReport['reason']; message: string } | null;
}

/** The grid of a domain run and its ranks. */
export interface DomainState {
  grid: GridDims;
  /** By rank. */
  rows: RankRow[];
  /** The first rank that failed. */
  failure: Omit<WorkerFailedReport, 'type'> | null;
}

/** Grid coordinates of a rank (x fastest, as src/engine/decomposition/grid.ts numbers them). */
export function rankCoords(grid: GridDims, rank: number): GridDims {
  const [px, py] = grid;
  return [rank % px, Math.floor(rank / px) % py, Math.floor(rank / (px * py))];
}

function emptyRow(grid: GridDims, rank: number): RankRow {
  return {
    rank,
    coords: rankCoords(grid, rank),
    state: 'starting',
    owned: 0,
    ghosts: 0,
    nullOwned: 0,
    step: 0,
    exchangeMs: 0,
    computeMs: 0,
    stepsPerSecond: 0,
    reported: false,
    failure: null,
  };
}

/** One row per rank of `grid`, all starting, before any report. */
export function createDomain(grid: GridDims): DomainState {
  const size = grid[0] * grid[1] * grid[2];
  return { grid: [...grid], rows: Array.from({ length: size }, (_, r) => emptyRow(grid, r)), failure: null };
}

/** Applies a rank or worker-failed event. */
export function reduceDomain(state: DomainState, event: DomainEvent): DomainState {
  const rank = event.type === 'rank' ? event.rank : event.worker;
  // A report of a rank outside the grid is not one of this run's: ignored.
  if (!Number.isInteger(rank) || rank < 0 || rank >= state.rows.length) return state;
  switch (event.type) {
    case 'rank': {
      const rows = state.rows.slice();
      const before = rows[event.rank]!;
      const { type: _, ...report } = event;
      // Per-step figures of an interval without a step (the report at the end, or while paused) are
      // the cost of collectives alone: the row keeps those of the last interval that stepped.
      const stepped = !before.reported || event.step !== before.step;
      const timing = stepped
        ? {}
        : {
            exchangeMs: before.exchangeMs,
            computeMs: before.computeMs,
            stepsPerSecond: before.stepsPerSecond,
          };
      // A failed rank stays failed whatever late reports say.
      rows[event.rank] = {
        ...before,
        ...report,
        ...timing,
        coords: [...event.coords],
        state: before.state === 'failed' ? 'failed' : event.state,
        reported: true,
      };
      return { ...state, rows };
    }
    case 'worker-failed': {
      const rows = state.rows.slice();
      const { type: _, ...failure } = event;
      rows[event.worker] = {
        ...rows[event.worker]!,
        state: 'failed',
        failure: { reason: event.reason, message: event.message },
      };
      return { ...state, rows, failure: state.failure ?? failure };
    }
  }
}

/** Share of a rank's wall time per step spent in exchanges, 0 … 1 (NaN before it reports timings). */
export function exchangeShare(row: Pick<RankRow, 'exchangeMs' | 'computeMs'>): number {
  const total = row.exchangeMs + row.computeMs;
  return total > 0 ? row.exchangeMs / total : Number.NaN;
}

/** Sums over the ranks: owned atoms (every atom once), ghosts, NULL atoms; the slowest rank's rate. */
export interface DomainTotals {
  owned: number;
  ghosts: number;
  nullOwned: number;
  /** Ranks that have reported. */
  reported: number;
  /** Steps per second of the slowest rank that reported (the run goes at its pace); 0 before. */
  stepsPerSecond: number;
  /** Exchange share over all ranks: Σ exchange ms / Σ (exchange + compute) ms; NaN before timings. */
  exchangeShare: number;
}

export function domainTotals(state: DomainState): DomainTotals {
  let owned = 0;
  let ghosts = 0;
  let nullOwned = 0;
  let reported = 0;
  let slowest = Number.POSITIVE_INFINITY;
  let exchange = 0;
  let compute = 0;
  for (const row of state.rows) {
    owned += row.owned;
    ghosts += row.ghosts;
    nullOwned += row.nullOwned;
    if (!row.reported) continue;
    reported++;
    if (row.stepsPerSecond > 0) slowest = Math.min(slowest, row.stepsPerSecond);
    exchange += row.exchangeMs;
    compute += row.computeMs;
  }
  return {
    owned,
    ghosts,
    nullOwned,
    reported,
    stepsPerSecond: Number.isFinite(slowest) ? slowest : 0,
    exchangeShare: exchangeShare({ exchangeMs: exchange, computeMs: compute }),
  };
}

/** State words for people (the panel shows them as text, never by colour alone). */
export const rankStateLabel: Record<RankRow['state'], string> = {
  starting: 'starting',
  running: 'running',
  done: 'done',
  failed: 'FAILED',
};

const failureCause: Record<WorkerFailedReport['reason'], string> = {
  error: 'threw an error',
  'device-lost': 'lost its GPU device',
  unresponsive: 'stopped answering',
  exited: 'exited unexpectedly',
};

/** How a rank is named to people: `rank 2 at (0, 1, 0) of the 2×2×1 grid`. */
export function rankName(grid: GridDims, rank: number): string {
  return `rank ${rank} at (${rankCoords(grid, rank).join(', ')}) of the ${grid.join('×')} grid`;
}

/** What the error banner says about a failed rank: which one, where in the grid, and what happened. */
export function domainFailureText(failure: Omit<WorkerFailedReport, 'type'>, grid: GridDims): string {
  const detail = failure.message ? `: ${failure.message}` : '';
  return `The worker of ${rankName(grid, failure.worker)} ${failureCause[failure.reason]}${detail}. Every worker of the grid was stopped (one system needs all of them).`;
}

/** What a person should do about a failed rank, by cause. */
export function domainFailureAdvice(reason: WorkerFailedReport['reason']): string {
  switch (reason) {
    case 'error':
      return 'Check the spec, then press Run to start again. To rule out the split, set Workers to one in the System panel.';
    case 'device-lost':
      return 'Each worker of the grid has its own GPU device; together they may have run out of GPU memory. Use a smaller grid (fewer workers) or one worker, then press Run.';
    case 'unresponsive':
      return 'The worker was silent for too long (a hang or a very long GPU submit), and the others wait for it at every exchange. Press Run to start again; if it repeats, use a smaller grid or one worker.';
    case 'exited':
      return 'The worker was closed or crashed (often out of memory). Press Run to start again with a smaller grid, or set Workers to one.';
  }
}
