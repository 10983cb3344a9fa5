/**
 * Progress of a run per stage (segment), derived from the run state: steps done against the step
 * budget of the stage, and systems waiting / running / converged / done against the run's systems.
 */
import type { RunState } from './runState.ts';

export interface StageProgress {
  name: string;
  /** Done (a later stage is running, or the run completed), running now, or not reached yet. */
  state: 'done' | 'current' | 'pending';
  /** Steps made in the stage (the budget when done). */
  steps: number;
  /**
   * Step budget of a system in the stage: the stage's `steps`, or for a fused stage the sum of its
   * sub-stages' (a system spends at most that long in it).
   */
  budget: number;
  waiting: number;
  running: number;
  converged: number;
  done: number;
  /** Systems of the run. */
  total: number;
}

export function runProgress(s: RunState): StageProgress[] {
  const completed = s.phase === 'ended' && s.endReason === 'completed';
  return s.pipeline.segments.map((segment, k) => {
    const budget = segment.subStages.reduce((sum, sub) => sum + Math.max(0, sub.steps), 0);
    const state = completed || k < s.stageIndex ? 'done' : k === s.stageIndex ? 'current' : 'pending';
    const counts = s.systems?.counts[k];
    const running = counts?.active.reduce((a, b) => a + b, 0) ?? 0;
    const converged = counts?.converged.reduce((a, b) => a + b, 0) ?? 0;
    return {
      name: segment.name,
      state,
      steps: state === 'done' ? budget : state === 'current' ? Math.min(s.stageStep, budget) : 0,
      budget,
      waiting: counts?.waiting ?? 0,
      running,
      converged,
      done: counts?.done ?? (state === 'done' ? s.nSystems : 0),
      total: s.nSystems,
    };
  });
}
