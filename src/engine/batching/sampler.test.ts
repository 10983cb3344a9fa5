import { describe, expect, it } from 'vitest';
import type { Batch } from '../batch.ts';
import { singleSystemBatch } from '../batch.ts';
import { SizeAwareSampler } from './sampler.ts';

function system(id: number, atoms: number): Batch {
  return singleSystemBatch({
    positions: new Float64Array(3 * atoms),
    masses: new Float64Array(atoms).fill(1),
    cell: [10, 10, 10],
    systemId: id,
  });
}

const ids = (batches: Batch[]) => batches.map((b) => b.systemIds[0]);

describe('SizeAwareSampler', () => {
  it('admits in arrival order under the slot and atom budgets', () => {
    const sampler = new SizeAwareSampler(100);
    sampler.push(system(0, 30), system(1, 30), system(2, 30), system(3, 30));
    expect(ids(sampler.take(2, 100))).toEqual([0, 1]);
    expect(ids(sampler.take(5, 65))).toEqual([2, 3]);
    expect(sampler.waiting).toBe(0);
  });

  it('lets a small system overtake one that does not fit (first fit)', () => {
    const sampler = new SizeAwareSampler(100);
    sampler.push(system(0, 80), system(1, 10), system(2, 50));
    expect(ids(sampler.take(3, 60))).toEqual([1, 2]);
    expect(sampler.waiting).toBe(1);
    expect(sampler.waitingAtoms).toBe(80);
  });

  it('stops overtaking a system once it has been overtaken maxOvertakes times', () => {
    const sampler = new SizeAwareSampler(100, 2);
    sampler.push(system(0, 90), ...Array.from({ length: 6 }, (_, k) => system(k + 1, 10)));
    expect(ids(sampler.take(1, 20))).toEqual([1]);
    expect(ids(sampler.take(1, 20))).toEqual([2]);
    // The 90-atom system has been overtaken twice: nothing passes it any more.
    expect(ids(sampler.take(3, 50))).toEqual([]);
    expect(ids(sampler.take(3, 100))).toEqual([0, 3]);
  });

  it('refuses a system larger than the atom budget, naming it', () => {
    const sampler = new SizeAwareSampler(50);
    expect(() => sampler.push(system(7, 51))).toThrow(/system 7 has 51 atoms.*50 atoms/);
  });

  it('runs dry: take returns nothing and drain empties the queue', () => {
    const sampler = new SizeAwareSampler(100);
    expect(sampler.take(4, 100)).toEqual([]);
    sampler.push(system(0, 10), system(1, 20));
    expect(ids(sampler.drain())).toEqual([0, 1]);
    expect(sampler.waiting).toBe(0);
    expect(sampler.take(4, 100)).toEqual([]);
  });
});
