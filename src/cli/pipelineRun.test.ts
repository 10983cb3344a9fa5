import { describe, expect, it } from 'vitest';
import type { Batch } from '../engine/batch.ts';
import { finalState } from './pipelineRun.ts';

/** Systems of `sizes` atoms with ids `ids`; coordinates encode (id, atom). */
function batchOf(ids: number[], sizes: number[], offset = 0): Batch {
  const atomsPtr = Int32Array.from([
    0,
    ...sizes.map((_, k) => sizes.slice(0, k + 1).reduce((a, b) => a + b, 0)),
  ]);
  const nAtoms = atomsPtr[sizes.length]!;
  const positions = new Float64Array(3 * nAtoms);
  ids.forEach((id, s) => {
    for (let i = atomsPtr[s]!; i < atomsPtr[s + 1]!; i++)
      positions.fill(offset + 100 * id + i - atomsPtr[s]!, 3 * i, 3 * i + 3);
  });
  return {
    nAtoms,
    nSystems: ids.length,
    atomsPtr,
    positions,
    velocities: positions.map((x) => -x),
    masses: new Float64Array(nAtoms).fill(1),
    types: new Int32Array(nAtoms),
    atomicNumbers: new Int32Array(nAtoms).fill(18),
    cells: new Float64Array(9 * ids.length),
    pbc: new Uint8Array(3 * ids.length),
    systemIds: Int32Array.from(ids),
  };
}

describe('finalState', () => {
  it('puts the systems that left the pipeline back in the starting order, by id', () => {
    const initial = batchOf([0, 1, 2], [2, 3, 1]);
    const finished = [batchOf([2, 0], [1, 2], 0.5), batchOf([1], [3], 0.5)];
    const out = finalState(initial, finished);
    expect(out.missing).toBe(0);
    expect(Array.from(out.positions.filter((_, k) => k % 3 === 0))).toEqual([
      0.5, 1.5, 100.5, 101.5, 102.5, 200.5,
    ]);
    expect(out.velocities[3]).toBe(-1.5);
    expect(out.forces).toHaveLength(0);
  });

  it('keeps the starting state of systems that did not arrive, and counts them', () => {
    const initial = batchOf([0, 1], [2, 2]);
    const out = finalState(initial, [batchOf([1], [2], 0.5)]);
    expect(out.missing).toBe(1);
    expect(Array.from(out.positions.filter((_, k) => k % 3 === 0))).toEqual([0, 1, 100.5, 101.5]);
  });

  it('refuses a system whose atom count changed', () => {
    expect(() => finalState(batchOf([0], [2]), [batchOf([0], [3])])).toThrow('different number of atoms');
  });
});
