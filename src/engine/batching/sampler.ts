/**
 * The size-aware sampler of inflight batching (DESIGN §4): systems wait in arrival order and are
 * admitted into free slots under an atom budget. Admission is first-fit in arrival order (a small
 * system may overtake a large one that does not fit), but a system that has been overtaken
 * `maxOvertakes` times blocks the queue until it fits, so large systems are never starved.
 */
import type { Batch } from '../batch.ts';

/** One waiting system: a one-system batch (its state as it will be loaded). */
export interface WaitingSystem {
  readonly system: Batch;
  /** Times a later system was admitted before this one. */
  overtaken: number;
}

export class SizeAwareSampler {
  private readonly queue: WaitingSystem[] = [];

  /**
   * @param maxAtoms Atom budget of the resident batch: a system with more atoms can never be admitted.
   * @param maxOvertakes Overtakes after which the head of the queue blocks admission until it fits.
   */
  constructor(
    readonly maxAtoms: number,
    readonly maxOvertakes = 8,
  ) {}

  /** Adds systems (one-system batches) at the end of the queue; throws for one that can never fit. */
  push(...systems: Batch[]): void {
    for (const system of systems) {
      if (system.nSystems !== 1)
        throw new Error(`the sampler takes one system at a time, got ${system.nSystems}`);
      if (system.nAtoms > this.maxAtoms) {
        throw new Error(
          `system ${system.systemIds[0]} has ${system.nAtoms} atoms, more than the batch's budget of ` +
            `${this.maxAtoms} atoms (batching.maxAtoms): raise maxAtoms`,
        );
      }
      this.queue.push({ system, overtaken: 0 });
    }
  }

  /** Systems waiting. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Atoms of the systems waiting. */
  get waitingAtoms(): number {
    return this.queue.reduce((n, w) => n + w.system.nAtoms, 0);
  }

  /**
   * Takes systems to fill at most `freeSlots` slots holding at most `freeAtoms` atoms in all, in
   * queue order, skipping those that do not fit (first fit) unless the head has been overtaken too
   * often. Returns them in admission order.
   */
  take(freeSlots: number, freeAtoms: number): Batch[] {
    const taken: Batch[] = [];
    let atoms = freeAtoms;
    let k = 0;
    while (k < this.queue.length && taken.length < freeSlots) {
      const w = this.queue[k]!;
      if (w.system.nAtoms <= atoms) {
        this.queue.splice(k, 1);
        taken.push(w.system);
        atoms -= w.system.nAtoms;
        // Everyone still ahead of it in the queue was overtaken.
        for (let j = 0; j < k; j++) this.queue[j]!.overtaken++;
        continue;
      }
      if (w.overtaken >= this.maxOvertakes) break;
      k++;
    }
    return taken;
  }

  /** Removes and returns every waiting system (e.g. at a step limit). */
  drain(): Batch[] {
    return this.queue.splice(0).map((w) => w.system);
  }
}
