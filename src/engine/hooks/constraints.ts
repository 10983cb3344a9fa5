/**
 * Combines the constraints that several hooks put on one engine (DESIGN §4): each hook posts its
 * own per-slot `maxForce` vector or per-atom `frozen` mask, and the board hands the engine their
 * combination (element-wise minimum of the clamps, union of the frozen atoms) in one
 * `setConstraints` call, only for the kinds that changed.
 *
 * Contributions belong to a batch layout (system ids and atom offsets per slot). When a post comes
 * with another layout, the content of the batch was replaced (an engine `reload`, which lifts all
 * constraints): the board drops every contribution of the old layout, so a stale frozen mask is never
 * sent (engines stop frozen atoms at once: a stale mask would zero the velocities of the wrong atoms).
 * The constraint hooks see the layout change too and post again at their next run.
 */
import type { Engine } from '../gpu/types.ts';
import type { SlotView } from './hook.ts';
import { SlotLayoutWatch } from './slots.ts';

type Kind = 'maxForce' | 'frozen';

/** Per-owner constraint contributions on one engine, combined on {@link ConstraintBoard.flush}. */
export class ConstraintBoard {
  private readonly maxForce = new Map<object, Float64Array>();
  private readonly frozen = new Map<object, Uint8Array>();
  private readonly dirty = new Set<Kind>();
  private readonly layout = new SlotLayoutWatch();

  /**
   * Sets `owner`'s clamp for the batch laid out as `slots`: largest |F| of an atom per slot, eV/Å
   * (Infinity: no clamp); `null` withdraws it. The board keeps the array: post a new one rather
   * than mutating it.
   */
  postMaxForce(owner: object, perSlot: Float64Array | null, slots?: SlotView): void {
    if (perSlot && slots) this.checkLayout(slots);
    if (perSlot) this.maxForce.set(owner, perSlot);
    else if (!this.maxForce.delete(owner)) return;
    this.dirty.add('maxForce');
  }

  /**
   * Sets `owner`'s frozen atoms for the batch laid out as `slots`: 1 per held atom, engine batch
   * order; `null` withdraws them. The board keeps the array: post a new one rather than mutating it.
   */
  postFrozen(owner: object, mask: Uint8Array | null, slots?: SlotView): void {
    if (mask && slots) this.checkLayout(slots);
    if (mask) this.frozen.set(owner, mask);
    else if (!this.frozen.delete(owner)) return;
    this.dirty.add('frozen');
  }

  /** Sends the combined constraints of the kinds posted since the last flush to the engine. */
  flush(engine: Pick<Engine<unknown>, 'setConstraints'>): void {
    if (this.dirty.size === 0) return;
    const update: { maxForce?: Float64Array | null; frozen?: Uint8Array | null } = {};
    if (this.dirty.has('maxForce')) update.maxForce = combine(this.maxForce, Float64Array, Math.min);
    if (this.dirty.has('frozen')) update.frozen = combine(this.frozen, Uint8Array, (a, b) => a | b);
    this.dirty.clear();
    engine.setConstraints(update);
  }

  /**
   * Marks every kind in use as changed, so the next flush resends it: for an engine that lost its
   * constraints with the layout unchanged. (A `reload` needs nothing: see the class comment.)
   */
  invalidate(): void {
    if (this.maxForce.size > 0) this.dirty.add('maxForce');
    if (this.frozen.size > 0) this.dirty.add('frozen');
  }

  /** Drops the contributions of an older layout (their engine constraints were lifted by the reload). */
  private checkLayout(slots: SlotView): void {
    if (!this.layout.changed(slots)) return;
    this.maxForce.clear();
    this.frozen.clear();
    this.dirty.clear();
  }
}

function combine<A extends Float64Array | Uint8Array>(
  parts: Map<object, A>,
  Ctor: { new (length: number): A },
  op: (a: number, b: number) => number,
): A | null {
  let out: A | null = null;
  for (const part of parts.values()) {
    if (out === null) {
      out = new Ctor(part.length);
      out.set(part);
    } else {
      if (part.length !== out.length)
        throw new Error(`constraint vectors of lengths ${out.length} and ${part.length}`);
      for (let i = 0; i < out.length; i++) out[i] = op(out[i]!, part[i]!);
    }
  }
  return out;
}
