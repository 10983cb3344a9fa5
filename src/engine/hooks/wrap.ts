/**
 * Wraps positions into the periodic cell every `every` steps. A neighbor-list rebuild wraps every
 * position into its cell along periodic axes (non-periodic axes are left alone), so the hook asks
 * the engine for a rebuild at after-step: positions are wrapped at the next force evaluation (the
 * following step's compute) and read back wrapped from then on. Wrapping moves atoms by lattice
 * vectors only, so energies and forces do not change. The rebuild is the whole batch's; a sub-stage
 * hook asks for it only while some system is in its sub-stage.
 */
import type { HookSpec } from '../../io/spec.ts';
import type { HookDeps } from './deps.ts';
import type { Hook } from './hook.ts';
import { liveSlots } from './slots.ts';

/** The wrap entry of a stage spec. */
export type WrapHookSpec = Extract<HookSpec, { kind: 'wrap' }>;

/** Creates a wrap hook (after-step, every `spec.every` steps). */
export function wrapHook(spec: WrapHookSpec, _deps: HookDeps): Hook {
  return {
    name: 'wrap',
    points: ['after-step'],
    every: spec.every,
    run(ctx) {
      if (liveSlots(ctx.slots, ctx.statusCode).length > 0) ctx.engine.requestRebuild();
    },
  };
}
