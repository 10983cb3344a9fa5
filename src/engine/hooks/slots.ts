/** Slot helpers shared by the hooks and criteria: which slots a hook acts on, and change detection. */
import type { SlotView } from './hook.ts';

/**
 * Whether a hook acts on slot `s`: the slot holds a system (id ≥ 0) and, for a hook of a sub-stage
 * (`statusCode` not null), the system's status is that sub-stage's code.
 */
export function isLiveSlot(slots: SlotView, s: number, statusCode: number | null): boolean {
  return slots.systemIds[s]! >= 0 && (statusCode === null || slots.status[s] === statusCode);
}

/** Slots a hook acts on, in slot order. */
export function liveSlots(slots: SlotView, statusCode: number | null): number[] {
  const out: number[] = [];
  for (let s = 0; s < slots.systemIds.length; s++) if (isLiveSlot(slots, s, statusCode)) out.push(s);
  return out;
}

/** Atoms of the slots a hook acts on. */
export function liveAtomCount(slots: SlotView, statusCode: number | null): number {
  let n = 0;
  for (let s = 0; s < slots.systemIds.length; s++) if (isLiveSlot(slots, s, statusCode)) n += slots.atoms[s]!;
  return n;
}

/**
 * Remembers the layout of the batch (system ids and atom offsets per slot) between calls, so hooks
 * can tell when the content of the batch was replaced (an engine `reload`, which also lifts the
 * engine's constraints). O(slots) per call.
 */
export class SlotLayoutWatch {
  private systemIds = new Int32Array(0);
  private atomsPtr = new Int32Array(0);
  private seen = false;

  /** True on the first call and whenever system ids or atom offsets differ from the last call's. */
  changed(slots: SlotView): boolean {
    const changed =
      !this.seen || !sameInts(this.systemIds, slots.systemIds) || !sameInts(this.atomsPtr, slots.atomsPtr);
    if (changed) {
      this.systemIds = slots.systemIds.slice();
      this.atomsPtr = slots.atomsPtr.slice();
      this.seen = true;
    }
    return changed;
  }

  /** Forgets the layout: the next call reports a change. */
  clear(): void {
    this.seen = false;
  }
}

function sameInts(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Element-wise equality of two numeric arrays (NaN never equal; Infinity equal to itself). */
export function sameValues(a: ArrayLike<number> | null, b: ArrayLike<number>): boolean {
  if (a === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
