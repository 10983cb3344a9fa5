/**
 * The resident batch of inflight batching: a fixed number of slots over a fixed number of atom rows,
 * so that the engine's buffers never change shape. A slot holds one system or is empty (one NULL atom
 * in a small open box, never updated); the last slot is a reservoir of NULL atoms holding the rows no
 * system uses. Slots keep their index while occupied, so per-system GPU state (FIRE's dt and α, a
 * thermostat's variables, the status code) stays with the system; only atom rows move when the
 * batch is recomposed.
 */
import type { Batch } from '../batch.ts';

/** Side of the open box of an empty slot and of the reservoir, Å. */
const EMPTY_BOX = 1;

export class ResidentBatch {
  /** Slots, the reservoir last. */
  readonly nSlots: number;
  /** Atom rows of the engine's batch. */
  readonly nAtoms: number;
  private readonly occupants: (Batch | null)[];

  /**
   * @param maxSystems Systems resident at once.
   * @param maxAtoms Atoms of the resident systems at once.
   */
  constructor(
    readonly maxSystems: number,
    readonly maxAtoms: number,
  ) {
    if (!(Number.isInteger(maxSystems) && maxSystems >= 1))
      throw new Error(`maxSystems ${maxSystems} must be ≥ 1`);
    if (!(Number.isInteger(maxAtoms) && maxAtoms >= 1)) throw new Error(`maxAtoms ${maxAtoms} must be ≥ 1`);
    this.nSlots = maxSystems + 1;
    // Worst cases: every slot empty (one row each) with the reservoir holding the unused atom budget.
    this.nAtoms = maxAtoms + maxSystems + 1;
    this.occupants = new Array<Batch | null>(maxSystems).fill(null);
  }

  /** The system in a slot (a one-system batch as last stored), or null. */
  occupant(slot: number): Batch | null {
    return this.occupants[slot] ?? null;
  }

  /** Slots holding a system. */
  occupiedSlots(): number[] {
    return this.occupants.flatMap((o, s) => (o ? [s] : []));
  }

  /** Empty slots (not the reservoir), lowest first. */
  freeSlots(): number[] {
    return this.occupants.flatMap((o, s) => (o ? [] : [s]));
  }

  /** Atoms of the resident systems. */
  get usedAtoms(): number {
    return this.occupants.reduce((n, o) => n + (o ? o.nAtoms : 0), 0);
  }

  /** Puts a one-system batch into an empty slot. */
  place(slot: number, system: Batch): void {
    if (system.nSystems !== 1) throw new Error('a slot holds one system');
    if (this.occupants[slot] !== null) throw new Error(`slot ${slot} is occupied`);
    if (this.usedAtoms + system.nAtoms > this.maxAtoms)
      throw new Error(`slot ${slot}: ${system.nAtoms} more atoms exceed the budget of ${this.maxAtoms}`);
    this.occupants[slot] = system;
  }

  /** Empties a slot and returns its system. */
  remove(slot: number): Batch {
    const system = this.occupants[slot];
    if (!system) throw new Error(`slot ${slot} is empty`);
    this.occupants[slot] = null;
    return system;
  }

  /**
   * Stores the current state of every occupant from the engine's arrays (batch order of the last
   * {@link compose}): positions and velocities, Å and Å/fs.
   */
  update(positions: ArrayLike<number>, velocities: ArrayLike<number>, atomsPtr: Int32Array): void {
    this.occupants.forEach((o, s) => {
      if (!o) return;
      const begin = 3 * atomsPtr[s]!;
      for (let k = 0; k < 3 * o.nAtoms; k++) {
        o.positions[k] = positions[begin + k]!;
        o.velocities[k] = velocities[begin + k]!;
      }
    });
  }

  /** The engine's batch: slots in order (empty ones as one NULL atom), the reservoir last. */
  compose(): Batch {
    const n = this.nAtoms;
    const slots = this.nSlots;
    const out: Batch = {
      nAtoms: n,
      nSystems: slots,
      atomsPtr: new Int32Array(slots + 1),
      positions: new Float64Array(3 * n),
      velocities: new Float64Array(3 * n),
      masses: new Float64Array(n).fill(1),
      types: new Int32Array(n).fill(-1),
      atomicNumbers: new Int32Array(n),
      cells: new Float64Array(9 * slots),
      pbc: new Uint8Array(3 * slots),
      systemIds: new Int32Array(slots).fill(-1),
    };
    const emptyCell = [EMPTY_BOX, 0, 0, 0, EMPTY_BOX, 0, 0, 0, EMPTY_BOX];
    let atom = 0;
    for (let s = 0; s < slots; s++) {
      out.atomsPtr[s] = atom;
      const o = s < this.maxSystems ? this.occupants[s] : null;
      if (!o) {
        out.cells.set(emptyCell, 9 * s);
        // Empty slot: one NULL atom at the box centre; the reservoir takes every row left.
        const rows = s === slots - 1 ? n - atom : 1;
        for (let k = 0; k < rows; k++) out.positions.fill(EMPTY_BOX / 2, 3 * (atom + k), 3 * (atom + k) + 3);
        atom += rows;
        continue;
      }
      out.positions.set(o.positions, 3 * atom);
      out.velocities.set(o.velocities, 3 * atom);
      out.masses.set(o.masses, atom);
      out.types.set(o.types, atom);
      out.atomicNumbers.set(o.atomicNumbers, atom);
      out.cells.set(o.cells, 9 * s);
      out.pbc.set(o.pbc, 3 * s);
      out.systemIds[s] = o.systemIds[0]!;
      atom += o.nAtoms;
    }
    out.atomsPtr[slots] = atom;
    return out;
  }
}

/** The systems of a batch as one-system batches (copies), in order. */
export function splitSystems(batch: Batch): Batch[] {
  const out: Batch[] = [];
  for (let s = 0; s < batch.nSystems; s++) {
    const a = batch.atomsPtr[s]!;
    const b = batch.atomsPtr[s + 1]!;
    out.push({
      nAtoms: b - a,
      nSystems: 1,
      atomsPtr: Int32Array.of(0, b - a),
      positions: batch.positions.slice(3 * a, 3 * b),
      velocities: batch.velocities.slice(3 * a, 3 * b),
      masses: batch.masses.slice(a, b),
      types: batch.types.slice(a, b),
      atomicNumbers: batch.atomicNumbers.slice(a, b),
      cells: batch.cells.slice(9 * s, 9 * s + 9),
      pbc: batch.pbc.slice(3 * s, 3 * s + 3),
      systemIds: batch.systemIds.slice(s, s + 1),
    });
  }
  return out;
}
