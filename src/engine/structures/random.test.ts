import { describe, expect, it } from 'vitest';
import { singleSystemBatch } from '../batch.ts';
import { concatenateBatches } from './concatenate.ts';
import { mulberry32, normal, randomPositions } from './random.ts';

describe('mulberry32', () => {
  it('is deterministic, in [0, 1), with mean 1/2', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    expect(Math.abs(sum / 10_000 - 0.5)).toBeLessThan(0.015);
    expect(mulberry32(43)()).not.toBe(mulberry32(42)());
  });

  it('gives standard normals', () => {
    const r = mulberry32(1);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < 20_000; i++) {
      const g = normal(r);
      s1 += g;
      s2 += g * g;
    }
    expect(Math.abs(s1 / 20_000)).toBeLessThan(0.035);
    expect(Math.abs(s2 / 20_000 - 1)).toBeLessThan(0.05);
  });
});

describe('randomPositions', () => {
  it('keeps every minimum-image distance above minDistance, inside the box, deterministically', () => {
    const box: [number, number, number] = [12, 14, 16];
    const p = randomPositions(60, box, 2.5, 3);
    expect(Array.from(randomPositions(60, box, 2.5, 3))).toEqual(Array.from(p));
    let closest = Infinity;
    for (let i = 0; i < 60; i++) {
      for (let a = 0; a < 3; a++) {
        expect(p[3 * i + a]).toBeGreaterThanOrEqual(0);
        expect(p[3 * i + a]).toBeLessThan(box[a]!);
      }
      for (let j = 0; j < i; j++) {
        let r2 = 0;
        for (let a = 0; a < 3; a++) {
          let d = Math.abs(p[3 * i + a]! - p[3 * j + a]!);
          d = Math.min(d, box[a]! - d);
          r2 += d * d;
        }
        closest = Math.min(closest, Math.sqrt(r2));
      }
    }
    expect(closest).toBeGreaterThanOrEqual(2.5);
    expect(closest).toBeLessThan(3.2);
  });

  it('throws when the box is too crowded', () => {
    expect(() => randomPositions(100, [5, 5, 5], 3, 1)).toThrow(/could not place atom/);
  });
});

describe('concatenateBatches', () => {
  it('joins systems and offsets atomsPtr', () => {
    const a = singleSystemBatch({ positions: [1, 2, 3], masses: [4], cell: [10, 11, 12], systemId: 7 });
    const b = singleSystemBatch({
      positions: [0, 0, 0, 1, 1, 1],
      masses: [1, 2],
      types: [0, -1],
      cell: [5, 6, 7],
      pbc: [true, false, true],
      systemId: 9,
    });
    const c = concatenateBatches([a, b]);
    expect(c.nAtoms).toBe(3);
    expect(c.nSystems).toBe(2);
    expect(Array.from(c.atomsPtr)).toEqual([0, 1, 3]);
    expect(Array.from(c.positions)).toEqual([1, 2, 3, 0, 0, 0, 1, 1, 1]);
    expect(Array.from(c.masses)).toEqual([4, 1, 2]);
    expect(Array.from(c.types)).toEqual([0, 0, -1]);
    expect(Array.from(c.cells)).toEqual([10, 0, 0, 0, 11, 0, 0, 0, 12, 5, 0, 0, 0, 6, 0, 0, 0, 7]);
    expect(Array.from(c.pbc)).toEqual([1, 1, 1, 1, 0, 1]);
    expect(Array.from(c.systemIds)).toEqual([7, 9]);
  });
});
