import { describe, expect, it } from 'vitest';
import {
  CATEGORY_COLOURS,
  categoryColour,
  fillForceColours,
  fillStageColours,
  forceMagnitudes,
  LEFT_COLOUR,
  niceCeiling,
  viridis,
} from './colouring.ts';

const rgb = (c: number) => [(c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff].map((x) => Math.fround(x / 255));
const atom = (colors: Float32Array, i: number) => Array.from(colors.slice(3 * i, 3 * i + 3));

describe('fillStageColours', () => {
  it('colours each slot’s atoms by its status code, left / empty slots grey', () => {
    const colors = new Float32Array(3 * 7);
    fillStageColours(
      {
        systemIds: Int32Array.of(4, 9, -1, 2),
        atomsPtr: Int32Array.of(0, 2, 3, 5, 6),
        status: Int32Array.of(1, 0, 63, 62),
      },
      2,
      colors,
    );
    expect(atom(colors, 0)).toEqual(rgb(categoryColour(1)));
    expect(atom(colors, 1)).toEqual(rgb(categoryColour(1)));
    expect(atom(colors, 2)).toEqual(rgb(categoryColour(0)));
    expect(atom(colors, 3)).toEqual(rgb(LEFT_COLOUR)); // empty slot
    expect(atom(colors, 5)).toEqual(rgb(LEFT_COLOUR)); // parked (code ≥ sub-stages)
    expect(atom(colors, 6)).toEqual(rgb(LEFT_COLOUR)); // past the last slot
  });

  it('cycles category colours, negative codes included', () => {
    expect(categoryColour(CATEGORY_COLOURS.length)).toBe(CATEGORY_COLOURS[0]);
    expect(categoryColour(-1)).toBe(CATEGORY_COLOURS[CATEGORY_COLOURS.length - 1]);
  });
});

describe('force colours', () => {
  it('computes |F| per atom and the largest', () => {
    const out = new Float32Array(2);
    const max = forceMagnitudes(Float32Array.of(3, 4, 0, 0, 0, -1), out);
    expect(Array.from(out)).toEqual([5, 1]);
    expect(max).toBe(5);
  });

  it('rounds the scale up to 1, 2 or 5 × 10^k', () => {
    expect(niceCeiling(0.37)).toBeCloseTo(0.5, 12);
    expect(niceCeiling(1)).toBe(1);
    expect(niceCeiling(1.01)).toBe(2);
    expect(niceCeiling(7)).toBe(10);
    expect(niceCeiling(0)).toBe(1e-3);
    expect(niceCeiling(Number.NaN)).toBe(1e-3);
  });

  it('maps 0 to viridis’ dark end and the scale maximum (and above) to its yellow end', () => {
    const colors = new Float32Array(9);
    fillForceColours(Float32Array.of(0, 1, 7), 2, colors);
    const low: number[] = [];
    const high: number[] = [];
    viridis(0, low);
    viridis(1, high);
    expect(atom(colors, 0)).toEqual(low.map(Math.fround));
    expect(atom(colors, 2)).toEqual(high.map(Math.fround));
    // Mid-scale is between: greener than either end.
    expect(atom(colors, 1)[1]!).toBeGreaterThan(low[1]!);
    expect(atom(colors, 1)[1]!).toBeLessThan(high[1]!);
  });
});
