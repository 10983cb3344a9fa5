/**
 * Rebuilds the neighbor list every `every` steps whatever the displacements (LAMMPS
 * `neigh_modify every N check no`): at before-step, the step's force evaluation uses a fresh list.
 * The list is the whole batch's; a sub-stage hook asks for it only while some system is in its
 * sub-stage.
 */
import type { HookSpec } from '../../io/spec.ts';
import type { HookDeps } from './deps.ts';
import type { Hook } from './hook.ts';
import { liveSlots } from './slots.ts';

/** The rebuild-neighbors entry of a stage spec. */
export type RebuildNeighborsHookSpec = Extract<HookSpec, { kind: 'rebuild-neighbors' }>;

/** Creates a rebuild-neighbors hook (before-step, every `spec.every` steps). */
export function rebuildNeighborsHook(spec: RebuildNeighborsHookSpec, _deps: HookDeps): Hook {
  return {
    name: 'rebuild-neighbors',
    points: ['before-step'],
    every: spec.every,
    run(ctx) {
      if (liveSlots(ctx.slots, ctx.statusCode).length > 0) ctx.engine.requestRebuild();
    },
  };
}
