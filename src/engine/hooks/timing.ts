/**
 * Timing: after a step, every `every` steps, reports the wall time per step and the throughput in
 * atom-steps per second over the interval since its previous firing (a `timing` event). It waits for
 * the engine's queue (through the step's statistics) before reading the clock, so GPU work is
 * counted, not only its encoding. The first firing only starts the clock: the first interval would
 * include start-up (pipeline compilation, first uploads); a stage shorter than two intervals reports
 * nothing. Atoms are those of the slots the hook acts on at the time of the report.
 */
import type { HookSpec } from '../../io/spec.ts';
import type { HookDeps } from './deps.ts';
import type { Hook } from './hook.ts';
import { liveAtomCount } from './slots.ts';

/** The timing entry of a stage spec. */
export type TimingHookSpec = Extract<HookSpec, { kind: 'timing' }>;

/** Creates a timing hook (after-step, every `spec.every` steps). */
export function timingHook(spec: TimingHookSpec, deps: HookDeps): Hook {
  const now = deps.now ?? (() => performance.now());
  let mark: { time: number; stage: number; stageStep: number } | null = null;
  return {
    name: 'timing',
    points: ['after-step'],
    every: spec.every,
    async run(ctx) {
      await ctx.stats();
      const time = now();
      if (mark !== null && mark.stage === ctx.stage && ctx.stageStep > mark.stageStep) {
        const steps = ctx.stageStep - mark.stageStep;
        const ms = time - mark.time;
        deps.emit({
          type: 'timing',
          stage: ctx.stage,
          step: ctx.step,
          msPerStep: ms / steps,
          atomStepsPerSecond:
            ms > 0
              ? (liveAtomCount(ctx.slots, ctx.statusCode) * steps * 1000) / ms
              : Number.POSITIVE_INFINITY,
        });
      }
      mark = { time, stage: ctx.stage, stageStep: ctx.stageStep };
    },
    dispose() {
      mark = null;
    },
  };
}
