import { describe, expect, it } from 'vitest';
import { fillAtomStyles, unknownElementStyle } from './atomStyle.ts';

describe('fillAtomStyles', () => {
  it('colours by element and falls back for unknown elements', () => {
    const colors = new Float32Array(9);
    const radii = new Float32Array(3);
    const lookup = (z: number) => (z === 18 ? { color: 0x80d1e3, radius: 1.88 } : undefined);
    fillAtomStyles(Int32Array.of(18, 0, 99), lookup, colors, radii);
    expect(Array.from(colors.slice(0, 3))).toEqual([0x80 / 255, 0xd1 / 255, 0xe3 / 255].map(Math.fround));
    expect(radii[0]).toBeCloseTo(1.88, 6);
    expect(radii[1]).toBe(unknownElementStyle.radius);
    expect(radii[2]).toBe(unknownElementStyle.radius);
  });

  it('treats a throwing lookup as unknown', () => {
    const radii = new Float32Array(1);
    fillAtomStyles(
      [7],
      () => {
        throw new Error('no such element');
      },
      new Float32Array(3),
      radii,
    );
    expect(radii[0]).toBe(unknownElementStyle.radius);
  });
});

describe('elementStyle', () => {
  it('gives argon its Jmol colour and van der Waals radius', async () => {
    const { elementStyle } = await import('./elementStyle.ts');
    const ar = elementStyle(18);
    expect(ar.color).toBe(0x80d1e3);
    expect(ar.radius).toBeGreaterThan(1.5);
    expect(ar.radius).toBeLessThan(2.2);
  });
});
