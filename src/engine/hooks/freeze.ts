/**
 * Freeze: holds atoms in place for the stage (force and velocity zero, LAMMPS `fix setforce 0 0 0`
 * on atoms at rest): in each system it acts on, the atoms whose index within the system is listed
 * (indices past a system's last atom are skipped: batched systems differ in size) and the atoms of
 * the listed potential types. Like {@link forceClampHook} it posts a `frozen` mask to the stage's
 * constraint board at before-step when the slots it acts on or the batch layout changed, and lifts
 * it at stage end (`dispose`). Freezing by type needs the per-atom types in `ctx.slots.types`.
 */
import type { HookSpec } from '../../io/spec.ts';
import { ConstraintBoard } from './constraints.ts';
import type { HookDeps } from './deps.ts';
import type { Hook, SlotView } from './hook.ts';
import { isLiveSlot, SlotLayoutWatch, sameValues } from './slots.ts';

/** The freeze entry of a stage spec. */
export type FreezeHookSpec = Extract<HookSpec, { kind: 'freeze' }>;

/** Creates a freeze hook (before-step, every step). */
export function freezeHook(spec: FreezeHookSpec, deps: HookDeps): Hook {
  const board = deps.constraints ?? new ConstraintBoard();
  const owner = {};
  const layout = new SlotLayoutWatch();
  // Which slots were acted on at the last post: the mask is O(atoms), so it is rebuilt only when this
  // O(slots) vector or the layout changed.
  let posted: Uint8Array | null = null;
  let postedLive: Uint8Array | null = null;
  let live = new Uint8Array(0);
  // Types are −1 (NULL) to 63: frozenType[t + 1] = 1 for listed types.
  const frozenType = new Uint8Array(65);
  for (const t of spec.types) frozenType[t + 1] = 1;
  return {
    name: 'freeze',
    points: ['before-step'],
    every: 1,
    run(ctx) {
      const slots = ctx.slots;
      if (spec.types.length > 0 && !slots.types) {
        ctx.requestStop(
          'error',
          'the freeze hook holds atoms by type, but the runner gave it no per-atom types',
        );
        return;
      }
      const reloaded = layout.changed(slots);
      if (live.length !== slots.systemIds.length) live = new Uint8Array(slots.systemIds.length);
      for (let s = 0; s < live.length; s++) live[s] = isLiveSlot(slots, s, ctx.statusCode) ? 1 : 0;
      if (!reloaded && sameValues(postedLive, live)) return;
      postedLive = live.slice();
      const mask = frozenMask(spec.atoms, frozenType, slots, live, ctx.engine.nAtoms);
      if (!reloaded && sameValues(posted, mask)) return;
      posted = mask;
      board.postFrozen(owner, mask, slots);
      board.flush(ctx.engine);
    },
    dispose(engine) {
      board.postFrozen(owner, null);
      board.flush(engine);
      posted = null;
      postedLive = null;
      layout.clear();
    },
  };
}

/** 1 for each atom held (engine batch order), in the slots where `live` is 1. */
export function frozenMask(
  atoms: readonly number[],
  frozenType: Uint8Array,
  slots: SlotView,
  live: Uint8Array,
  nAtoms: number,
): Uint8Array {
  const mask = new Uint8Array(nAtoms);
  const types = slots.types;
  for (let s = 0; s < live.length; s++) {
    if (!live[s]) continue;
    const first = slots.atomsPtr[s]!;
    const n = slots.atomsPtr[s + 1]! - first;
    for (const i of atoms) if (i < n) mask[first + i] = 1;
    if (types) for (let i = first; i < first + n; i++) if (frozenType[types[i]! + 1]) mask[i] = 1;
  }
  return mask;
}
