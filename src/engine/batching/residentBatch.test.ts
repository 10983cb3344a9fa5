import { describe, expect, it } from 'vitest';
import { singleSystemBatch } from '../batch.ts';
import { concatenateBatches } from '../structures/concatenate.ts';
import { ResidentBatch, splitSystems } from './residentBatch.ts';

function system(id: number, atoms: number, x: number) {
  return singleSystemBatch({
    positions: new Float64Array(3 * atoms).fill(x),
    masses: new Float64Array(atoms).fill(2),
    types: new Int32Array(atoms),
    cell: [20, 20, 20],
    systemId: id,
  });
}

describe('ResidentBatch', () => {
  it('composes a batch of fixed shape: systems in their slots, empty slots of one NULL atom, the reservoir last', () => {
    const r = new ResidentBatch(3, 10);
    expect(r.nSlots).toBe(4);
    expect(r.nAtoms).toBe(14);
    r.place(1, system(5, 4, 1.5));
    const b = r.compose();
    expect(b.nAtoms).toBe(14);
    expect(b.nSystems).toBe(4);
    expect(Array.from(b.atomsPtr)).toEqual([0, 1, 5, 6, 14]);
    expect(Array.from(b.systemIds)).toEqual([-1, 5, -1, -1]);
    expect(Array.from(b.types.subarray(1, 5))).toEqual([0, 0, 0, 0]);
    expect(b.types[0]).toBe(-1);
    expect(Array.from(b.types.subarray(5))).toEqual(new Array(9).fill(-1));
    expect(b.positions[3]).toBe(1.5);
    expect(b.masses.every((m) => m > 0)).toBe(true);
  });

  it('keeps slot indices when others leave and new systems arrive, and stores the state read back', () => {
    const r = new ResidentBatch(2, 10);
    r.place(0, system(1, 3, 1));
    r.place(1, system(2, 5, 2));
    const first = r.compose();
    const positions = first.positions.map((_, k) => k);
    r.update(positions, new Float64Array(positions.length), first.atomsPtr);
    const gone = r.remove(0);
    expect(gone.systemIds[0]).toBe(1);
    expect(Array.from(gone.positions)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    r.place(0, system(3, 2, 9));
    const second = r.compose();
    expect(Array.from(second.systemIds)).toEqual([3, 2, -1]);
    // System 2 stays in slot 1 with the positions stored from the first layout.
    expect(Array.from(second.positions.subarray(6, 9))).toEqual([9, 10, 11]);
    expect(second.nAtoms).toBe(first.nAtoms);
  });

  it('refuses to go over the atom budget', () => {
    const r = new ResidentBatch(2, 6);
    r.place(0, system(1, 4, 0));
    expect(() => r.place(1, system(2, 3, 0))).toThrow(/exceed the budget of 6/);
  });

  it('splits a batch into one-system batches that concatenate back to it', () => {
    const b = concatenateBatches([system(0, 2, 1), system(1, 3, 2)]);
    const parts = splitSystems(b);
    expect(parts.map((p) => p.nAtoms)).toEqual([2, 3]);
    expect(concatenateBatches(parts)).toEqual(b);
  });
});
