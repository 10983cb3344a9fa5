/**
 * Force clamp: while its stage runs, every atomic force longer than `maxForce` is scaled down to
 * that length, direction kept (a safety net for the first steps from a bad start). It works through
 * the engine's constraints, which apply after every force evaluation: at before-step the hook posts a
 * per-slot clamp (maxForce for the slots it acts on, Infinity elsewhere) to the stage's
 * {@link ConstraintBoard}, and only when that vector or the batch layout changed (slots changing
 * status, systems replaced by inflight batching, whose `reload` lifts constraints). `dispose`, called
 * by the runner at stage end, lifts the clamp.
 *
 * The clamp is set at before-step of the stage's first step, after the forces the stage starts from
 * were computed; the engines (WebGPU and f64) clamp those current forces at once, so the first half
 * kick (or FIRE's first update) already sees clamped forces. Lifting the clamp leaves the current
 * forces as they are until the next evaluation.
 */
import type { HookSpec } from '../../io/spec.ts';
import { ConstraintBoard } from './constraints.ts';
import type { HookDeps } from './deps.ts';
import type { Hook } from './hook.ts';
import { isLiveSlot, SlotLayoutWatch, sameValues } from './slots.ts';

/** The force-clamp entry of a stage spec. */
export type ForceClampHookSpec = Extract<HookSpec, { kind: 'force-clamp' }>;

/** Creates a force-clamp hook (before-step, every step). */
export function forceClampHook(spec: ForceClampHookSpec, deps: HookDeps): Hook {
  const board = deps.constraints ?? new ConstraintBoard();
  const owner = {};
  const layout = new SlotLayoutWatch();
  let posted: Float64Array | null = null;
  let scratch = new Float64Array(0);
  return {
    name: 'force-clamp',
    points: ['before-step'],
    every: 1,
    run(ctx) {
      const slots = ctx.slots;
      const reloaded = layout.changed(slots);
      if (scratch.length !== slots.systemIds.length) scratch = new Float64Array(slots.systemIds.length);
      for (let s = 0; s < scratch.length; s++)
        scratch[s] = isLiveSlot(slots, s, ctx.statusCode) ? spec.maxForce : Number.POSITIVE_INFINITY;
      if (!reloaded && sameValues(posted, scratch)) return;
      posted = scratch.slice();
      board.postMaxForce(owner, posted, slots);
      board.flush(ctx.engine);
    },
    dispose(engine) {
      board.postMaxForce(owner, null);
      board.flush(engine);
      posted = null;
      layout.clear();
    },
  };
}
