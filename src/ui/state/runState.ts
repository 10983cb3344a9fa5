/**
 * What the page knows about the engine and the run, derived from engine events (src/engine/api.ts)
 * by a pure reducer, so it can be tested without a worker or a GPU.
 */
import type { EngineEvent, LogRecord, RunEnd } from '../../engine/api.ts';
import type { PlacementSpec } from '../../io/spec.ts';
import {
  createDomain,
  type DomainState,
  domainFailureAdvice,
  domainFailureText,
  type GridDims,
  reduceDomain,
} from './domainState.ts';
import { type PipelineInfo, pipelineFromNames } from './pipelineInfo.ts';
import { createTracker, type SystemTracker, trackSystems } from './systemCounts.ts';
import {
  createWorkers,
  reduceWorkers,
  type WorkersState,
  workerFailureAdvice,
  workerFailureText,
} from './workerState.ts';

/** Where the page stands. */
export type RunPhase =
  | 'detecting' // checking for WebGPU in the page
  | 'unsupported' // no WebGPU: the explanation page is shown
  | 'loading' // worker started, spec being loaded
  | 'ready' // system loaded, not yet run
  | 'running'
  | 'paused'
  | 'ended';

export interface RunState {
  phase: RunPhase;
  /** Why WebGPU is unusable, when phase is 'unsupported'. */
  unsupportedReason: string | null;
  adapter: string;
  nAtoms: number;
  /** Cell of the loaded run's system 0, Å, rows a, b, c; null before a load. */
  cell: Float64Array | null;
  /** Systems of the loaded run. */
  nSystems: number;
  /** Display names of the stages of the loaded chain. */
  stages: string[];
  /** Segments and sub-stages of the loaded pipeline. */
  pipeline: PipelineInfo;
  /** The shape of the pipeline being loaded (from the page), applied by the next `loaded` event. */
  pendingPipeline: PipelineInfo | null;
  /** Where each system is, and how many are in each segment and sub-stage; null before a load. */
  systems: SystemTracker | null;
  /**
   * How the loaded run places its segments: one worker, one worker per segment (a pipeline), or one
   * system split over a grid of workers (domain).
   */
  placement: PlacementKind;
  /** The placement of the spec being loaded (from the page), applied by the next `loaded` event. */
  pendingPlacement: PlacementKind;
  /** The worker grid of the spec being loaded (domain placement), applied by the next `loaded` event. */
  pendingGrid: GridDims | null;
  /** Pipeline runs: the workers (one per segment) and what reached the end; null for one worker. */
  workers: WorkersState | null;
  /** Domain runs: the grid and its ranks (what each owns, its exchange time); null otherwise. */
  domain: DomainState | null;
  /** Inflight batching: how full the batch was after the last refill. */
  batch: { stage: number; resident: number; residentAtoms: number; waiting: number } | null;
  /** Newest warnings first (at most {@link MAX_WARNINGS}). */
  warnings: RunWarning[];
  /** Warnings received since the load, including those no longer kept. */
  warningCount: number;
  /** Last throughput report of a timing hook. */
  timing: { stage: number; step: number; msPerStep: number; atomStepsPerSecond: number } | null;
  /** Where a NaN detector found a non-finite value. */
  nan: { stage: number; step: number; system: number; atom: number; message: string } | null;
  /** Index of the current stage, −1 before the first `stage` event. */
  stageIndex: number;
  /** Step counted over the whole run. */
  step: number;
  /** Steps done in the current stage (segment). */
  stageStep: number;
  /** Simulated time since the start of the run, fs. */
  time: number;
  /** eV, null until the first log record. */
  potentialEnergy: number | null;
  /** eV. */
  kineticEnergy: number | null;
  /** K. */
  temperature: number | null;
  /** eV/Å. */
  maxForce: number | null;
  /** Step of the last snapshot written, null if none yet. */
  lastSnapshotStep: number | null;
  endReason: RunEnd | null;
  /**
   * Engine or page error to show in a banner (end with 'error' or 'nan', rejected calls, a failed
   * pipeline worker); `advice` says what to do when it depends on more than the reason.
   */
  error: { reason: RunErrorReason; message: string; advice?: string } | null;
  deviceLost: { message: string; canRestart: boolean } | null;
  /** Set after a restart from a snapshot: the step and stage it resumed from. */
  restoredFrom: { step: number; stage: number } | null;
}

/** Where the segments of a run go (spec `placement.kind`). */
export type PlacementKind = PlacementSpec['kind'];

/** What an error banner is about: how the run ended, the engine not starting, a refused call, a failed worker. */
export type RunErrorReason = RunEnd | 'init' | 'call' | 'worker';

/** A warning of the engine (energy drift, step limit reached with systems unfinished, ...). */
export type RunWarning = Omit<Extract<EngineEvent, { type: 'warning' }>, 'type'>;

/** Warnings kept for display. */
export const MAX_WARNINGS = 20;

export const initialRunState: RunState = {
  phase: 'detecting',
  unsupportedReason: null,
  adapter: '',
  nAtoms: 0,
  cell: null,
  nSystems: 0,
  stages: [],
  pipeline: { segments: [], batching: false },
  pendingPipeline: null,
  placement: 'single',
  pendingPlacement: 'single',
  pendingGrid: null,
  workers: null,
  domain: null,
  systems: null,
  batch: null,
  warnings: [],
  warningCount: 0,
  timing: null,
  nan: null,
  stageIndex: -1,
  step: 0,
  stageStep: 0,
  time: 0,
  potentialEnergy: null,
  kineticEnergy: null,
  temperature: null,
  maxForce: null,
  lastSnapshotStep: null,
  endReason: null,
  error: null,
  deviceLost: null,
  restoredFrom: null,
};

/** Actions that come from the page rather than from the engine. */
export type PageAction =
  | { type: 'page/unsupported'; reason: string }
  | { type: 'page/loading' }
  | { type: 'page/error'; message: string }
  | { type: 'page/restored'; step: number; stage: number }
  | { type: 'page/dismiss-error' }
  | { type: 'page/dismiss-warnings' }
  /** The shape of the pipeline about to be loaded (sent before `load`). */
  | { type: 'page/pipeline'; pipeline: PipelineInfo }
  /** The placement of the spec about to be loaded (sent before `load`); `grid` for a domain split. */
  | { type: 'page/placement'; placement: PlacementKind; grid?: GridDims };

export type RunAction = EngineEvent | PageAction;

function withLog(state: RunState, r: LogRecord): RunState {
  return {
    ...state,
    stageIndex: r.stage,
    step: r.step,
    stageStep: r.stageStep,
    time: r.time,
    potentialEnergy: r.potentialEnergy,
    kineticEnergy: r.kineticEnergy,
    temperature: r.temperature,
    maxForce: r.maxForce,
  };
}

export function reduceRunState(state: RunState, action: RunAction): RunState {
  switch (action.type) {
    case 'loaded': {
      const pending = state.pendingPipeline;
      const pipeline =
        pending && pending.segments.length === action.stages.length
          ? pending
          : pipelineFromNames(action.stages);
      return {
        ...initialRunState,
        phase: 'ready',
        adapter: action.adapter,
        nAtoms: action.nAtoms,
        cell: action.cell,
        nSystems: action.nSystems,
        stages: action.stages,
        pipeline,
        pendingPipeline: pending,
        placement: state.pendingPlacement,
        pendingPlacement: state.pendingPlacement,
        pendingGrid: state.pendingGrid,
        workers: state.pendingPlacement === 'pipeline' ? createWorkers(action.stages) : null,
        domain:
          state.pendingPlacement === 'domain' && state.pendingGrid ? createDomain(state.pendingGrid) : null,
        systems: createTracker(action.nSystems, pipeline),
      };
    }
    case 'stage':
      return {
        ...state,
        stageIndex: action.stage,
        step: action.step,
        stageStep: 0,
        timing: state.timing?.stage === action.stage ? state.timing : null,
        systems: state.systems && trackSystems(state.systems, state.pipeline, action),
      };
    case 'log':
      return withLog(state, action.record);
    case 'frame':
      // Frames say where the run stands too (a single step while paused may log nothing).
      return action.frame.step > state.step
        ? { ...state, step: action.frame.step, stageStep: action.frame.stageStep, time: action.frame.time }
        : state;
    case 'snapshot':
      return { ...state, lastSnapshotStep: action.step };
    case 'trajectory':
      // The engine client keeps the trajectory's size (EngineClient.trajectory).
      return state;
    case 'batch':
      return {
        ...state,
        batch: {
          stage: action.stage,
          resident: action.resident,
          residentAtoms: action.residentAtoms,
          waiting: action.waiting,
        },
        systems: state.systems && trackSystems(state.systems, state.pipeline, action),
      };
    case 'converged':
    case 'migrated':
    case 'graduated':
      return { ...state, systems: state.systems && trackSystems(state.systems, state.pipeline, action) };
    case 'worker':
    case 'delivered':
      return { ...state, workers: reduceWorkers(state.workers ?? createWorkers(state.stages), action) };
    case 'rank':
      return state.domain ? { ...state, domain: reduceDomain(state.domain, action) } : state;
    case 'worker-failed': {
      if (state.domain) {
        const domain = reduceDomain(state.domain, action);
        // The first failure is the cause; the others follow from the run being stopped.
        if (state.error?.reason === 'worker' || !domain.failure) return { ...state, domain };
        return {
          ...state,
          domain,
          error: {
            reason: 'worker',
            message: domainFailureText(domain.failure, domain.grid),
            advice: domainFailureAdvice(domain.failure.reason),
          },
        };
      }
      const workers = reduceWorkers(state.workers ?? createWorkers(state.stages), action);
      // The first failure is the cause; the others follow from the run being stopped.
      if (state.error?.reason === 'worker') return { ...state, workers };
      const failure = workers.failure!;
      return {
        ...state,
        workers,
        error: {
          reason: 'worker',
          message: workerFailureText(failure, workers.delivered),
          advice: workerFailureAdvice(failure.reason),
        },
      };
    }
    case 'warning': {
      const { type: _, ...warning } = action;
      return {
        ...state,
        warnings: [warning, ...state.warnings].slice(0, MAX_WARNINGS),
        warningCount: state.warningCount + 1,
      };
    }
    case 'timing':
      return {
        ...state,
        timing: {
          stage: action.stage,
          step: action.step,
          msPerStep: action.msPerStep,
          atomStepsPerSecond: action.atomStepsPerSecond,
        },
      };
    case 'nan-detected': {
      const nan = {
        stage: action.stage,
        step: action.step,
        system: action.system,
        atom: action.atom,
        message: action.message,
      };
      return { ...state, nan, error: { reason: 'nan', message: action.message } };
    }
    case 'state':
      if (action.state === 'idle') return state.phase === 'ended' ? state : { ...state, phase: 'ready' };
      return { ...state, phase: action.state, endReason: null };
    case 'end': {
      const failed = action.reason === 'error' || action.reason === 'nan';
      return {
        ...state,
        phase: 'ended',
        endReason: action.reason,
        step: Math.max(state.step, action.step),
        // The NaN detector's message names the system, the atom and the step, a worker failure the
        // worker and its stage: keep them.
        error: failed
          ? state.error?.reason === 'worker'
            ? state.error
            : action.reason === 'nan' && state.nan
              ? { reason: 'nan', message: state.nan.message }
              : { reason: action.reason, message: action.message ?? '' }
          : state.error,
      };
    }
    case 'device-lost':
      return { ...state, deviceLost: { message: action.message, canRestart: action.canRestart } };
    case 'page/unsupported':
      return { ...state, phase: 'unsupported', unsupportedReason: action.reason };
    case 'page/loading':
      return { ...state, phase: 'loading' };
    case 'page/error':
      return { ...state, error: { reason: 'call', message: action.message } };
    case 'page/restored':
      return {
        ...state,
        phase: 'ready',
        deviceLost: null,
        endReason: null,
        error: null,
        step: action.step,
        stageIndex: action.stage,
        restoredFrom: { step: action.step, stage: action.stage },
      };
    case 'page/dismiss-error':
      return { ...state, error: null };
    case 'page/dismiss-warnings':
      return { ...state, warnings: [] };
    case 'page/pipeline':
      return { ...state, pendingPipeline: action.pipeline };
    case 'page/placement':
      return {
        ...state,
        pendingPlacement: action.placement,
        pendingGrid: action.placement === 'domain' && action.grid ? [...action.grid] : null,
      };
  }
}

/** The page action announcing the placement of the spec about to be loaded. */
export function placementAction(placement: PlacementSpec): PageAction {
  return placement.kind === 'domain'
    ? { type: 'page/placement', placement: 'domain', grid: [...placement.grid] }
    : { type: 'page/placement', placement: placement.kind };
}

/** What a person should do about an error, by its cause. */
export function errorAdvice(reason: RunErrorReason): string {
  switch (reason) {
    case 'nan':
      return 'The simulation produced NaN (atoms too close or a time step too large). Lower dt, relax with FIRE first, then press Run to start again.';
    case 'worker':
      return 'Press Run to start again; if a worker keeps failing, set Workers to one in the System panel.';
    case 'init':
      return 'The engine could not start. Reload the page; if it persists, check that WebGPU is enabled.';
    default:
      return 'Press Run to start again from the spec; if it keeps failing, reload the page and check the browser console.';
  }
}
