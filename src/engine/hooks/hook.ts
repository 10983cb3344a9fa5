/**
 * Hooks: code that runs at one of the nine insertion points of a dynamics step (DESIGN §4, seed 001).
 * A hook fires on step n of its stage (n counted from 1) when n is a multiple of its `every`.
 */
import type { AtomState, EngineEvent, SystemStats } from '../api.ts';
import type { Engine } from '../gpu/types.ts';

/** The nine insertion points of a step, in the order they occur. */
export const HOOK_POINTS = [
  'before-step',
  'before-pre-update',
  'after-pre-update',
  'before-compute',
  'after-compute',
  'before-post-update',
  'after-post-update',
  'after-step',
  'on-converge',
] as const;
export type HookPoint = (typeof HOOK_POINTS)[number];

/** What a hook sees when it fires. Reads from the GPU are lazy and cached for the step. */
export interface HookContext {
  /** The engine, on whatever backend (its command type does not matter to hooks). */
  readonly engine: Engine<unknown>;
  /** Index of the stage in the chain. */
  readonly stage: number;
  /** Number of this step within the stage, from 1. */
  readonly stageStep: number;
  /** Number of this step over the whole run, from 1. */
  readonly step: number;
  /** Simulated time at this point of the step, fs (optimizer steps do not advance it). */
  readonly time: number;
  /** The point at which the hook is being called. */
  readonly point: HookPoint;
  /** Per slot: has it met the stage's convergence criteria? */
  readonly converged: readonly boolean[];
  /** Rank of this worker in a multi-worker run (0 on one worker). */
  readonly rank: number;
  /**
   * The batch as it stands: system id per slot (−1: empty slot), atom offsets of the slots (CSR in
   * the engine's batch order, length slots + 1) and status code per slot (host copy).
   */
  readonly slots: SlotView;
  /**
   * Status code of the sub-stage this hook belongs to (null for a hook of a plain stage or of the
   * fused stage itself). A sub-stage hook should act on the slots with this status only.
   */
  readonly statusCode: number | null;
  /** Slots that converged at this step (filled at on-converge, empty elsewhere). */
  readonly newlyConverged: readonly number[];
  /** Sends an event to the host (warnings, timings). */
  emit(event: EngineEvent): void;
  /** Per-system statistics of the current state (reductions run on first use). */
  stats(): Promise<SystemStats>;
  /** Per-atom state (read back on first use). */
  atoms(): Promise<AtomState>;
  /** Ends the run after this step with the given reason and message. */
  requestStop(reason: 'nan' | 'stopped' | 'error', message: string): void;
}

/** The slots of the resident batch, as hooks and criteria see them. */
export interface SlotView {
  /** System id per slot; −1 marks an empty slot (no system: one NULL atom, never updated). */
  readonly systemIds: Int32Array;
  /** Atom offsets per slot in the engine's batch order (length slots + 1). */
  readonly atomsPtr: Int32Array;
  /** Status code per slot. */
  readonly status: Int32Array;
  /** Atoms per slot (1 for an empty slot). */
  readonly atoms: Int32Array;
  /** Steps each slot's system has made in its current (sub-)stage. */
  readonly stageSteps: Int32Array;
  /**
   * Potential type per atom in the engine's batch order (−1: NULL atom), when the runner provides it
   * (the freeze hook needs it to hold atoms by type).
   */
  readonly types?: Int32Array;
  /** Atomic number per atom in batch order (length atomsPtr[slots]); snapshot hooks need it. */
  readonly atomicNumbers?: Int32Array;
  /** Cell per slot, Å, rows a, b, c (9 per slot); snapshot hooks need it. */
  readonly cells?: Float64Array;
  /** Periodicity per slot along a, b, c, 1 = periodic (3 per slot); snapshot hooks need it. */
  readonly pbc?: Uint8Array;
}

/** A hook. `run` may be async; the step waits for it. */
export interface Hook {
  readonly name: string;
  readonly points: readonly HookPoint[];
  /** Frequency in steps (≥ 1). */
  readonly every: number;
  run(ctx: HookContext): void | Promise<void>;
  /**
   * Undoes what the hook left on the engine (constraints it set); the runner calls it when the
   * hook's stage ends, however it ends.
   */
  dispose?(engine: Engine<unknown>): void;
}

/** Whether `hook` fires at `point` on step `stageStep` (from 1) of its stage. */
export function hookFires(hook: Hook, point: HookPoint, stageStep: number): boolean {
  return stageStep % hook.every === 0 && hook.points.includes(point);
}

/**
 * A convergence criterion, evaluated per slot at after-step. All criteria of a stage combine with
 * AND. A criterion may keep per-slot state (e.g. the energy at the previous check); `reset` clears
 * it for slots whose system changed or entered the stage.
 */
export interface ConvergenceCriterion {
  readonly name: string;
  /** How often it is checked, steps. */
  readonly every: number;
  /** Per slot: does the criterion hold? Empty slots' answers are ignored. */
  test(stats: SystemStats, slots: SlotView): boolean[];
  /** Forgets per-slot state of the given slots. */
  reset?(slots: readonly number[]): void;
}
