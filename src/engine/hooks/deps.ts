/** What the hook factories need from the run that creates them. */
import type { EngineListener } from '../api.ts';
import type { ConstraintBoard } from './constraints.ts';

/** Shared services handed to every hook factory (`xxxHook(spec, deps)`). */
export interface HookDeps {
  /** Sends an event to the host. */
  emit: EngineListener;
  /**
   * Where constraint hooks (force-clamp, freeze) post their per-slot constraints. Share one board
   * among all hooks of a stage (sub-stages of a fused stage included) so their constraints combine
   * (tightest clamp, union of frozen atoms) instead of overwriting each other; without it each hook
   * uses a board of its own.
   */
  constraints?: ConstraintBoard;
  /** Wall clock, ms (defaults to `performance.now`); tests pass a fake one. */
  now?: () => number;
}
