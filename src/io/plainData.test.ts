import { describe, expect, it } from 'vitest';
import { fromPlain, toPlain } from './plainData.ts';

describe('plain data', () => {
  it('round-trips nested typed arrays through JSON', () => {
    const value = {
      a: Float64Array.of(1.5, -2),
      b: [Int32Array.of(3), { c: Float32Array.of(0.25) }],
      d: 'x',
      e: null,
    };
    const back = fromPlain<typeof value>(JSON.parse(JSON.stringify(toPlain(value))));
    expect(back.a).toBeInstanceOf(Float64Array);
    expect(Array.from(back.a)).toEqual([1.5, -2]);
    expect(back.b[0]).toBeInstanceOf(Int32Array);
    expect(back).toEqual(value);
  });
});
