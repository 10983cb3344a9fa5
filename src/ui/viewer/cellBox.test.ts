import { describe, expect, it } from 'vitest';
import { cellEdges } from './cellBox.ts';

describe('cellEdges', () => {
  it('gives the 12 edges of an orthorhombic box, each of the length of its axis', () => {
    const e = cellEdges([2, 0, 0, 0, 3, 0, 0, 0, 5]);
    expect(e.length).toBe(12 * 2 * 3);
    const lengths: number[] = [];
    for (let s = 0; s < 12; s++) {
      const d = [0, 1, 2].map((c) => (e[6 * s + 3 + c] ?? 0) - (e[6 * s + c] ?? 0));
      lengths.push(Math.hypot(...d));
    }
    expect(lengths.sort()).toEqual([2, 2, 2, 2, 3, 3, 3, 3, 5, 5, 5, 5]);
    expect(Math.max(...e)).toBe(5);
    expect(Math.min(...e)).toBe(0);
  });
});
