/**
 * Hooks: code that runs at one of the nine insertion points of a dynamics step (DESIGN §4, seed 001).
 * A hook fires on step n of its stage (n counted from 1) when n is a multiple of its `every`.
 */
import type { AtomState, SystemStats } from '../api.ts';
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
  /** Per system: has it met the stage's convergence criteria? */
  readonly converged: readonly boolean[];
  /** Rank of this worker in a multi-worker run (0 on one worker). */
  readonly rank: number;
  /** Per-system statistics of the current state (reductions run on first use). */
  stats(): Promise<SystemStats>;
  /** Per-atom state (read back on first use). */
  atoms(): Promise<AtomState>;
  /** Ends the run after this step with the given reason and message. */
  requestStop(reason: 'nan' | 'stopped' | 'error', message: string): void;
}

/** A hook. `run` may be async; the step waits for it. */
export interface Hook {
  readonly name: string;
  readonly points: readonly HookPoint[];
  /** Frequency in steps (≥ 1). */
  readonly every: number;
  run(ctx: HookContext): void | Promise<void>;
}

/** Whether `hook` fires at `point` on step `stageStep` (from 1) of its stage. */
export function hookFires(hook: Hook, point: HookPoint, stageStep: number): boolean {
  return stageStep % hook.every === 0 && hook.points.includes(point);
}

/** A convergence criterion, evaluated per system at after-step. All criteria of a stage combine with AND. */
export interface ConvergenceCriterion {
  readonly name: string;
  /** How often it is checked, steps. */
  readonly every: number;
  /** Per system: does the criterion hold? */
  test(stats: SystemStats): boolean[];
}
