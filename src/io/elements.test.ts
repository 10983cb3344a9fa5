import { describe, expect, it } from 'vitest';
import { ELEMENTS, elementByNumber, elementBySymbol, findElement } from './elements.ts';

describe('elements', () => {
  it('covers H..Kr plus Ag, Sn, Xe, Pt, Au, Pb with consistent lookups', () => {
    const zs = ELEMENTS.map((e) => e.atomicNumber);
    expect(zs).toEqual([...Array.from({ length: 36 }, (_, k) => k + 1), 47, 50, 54, 78, 79, 82]);
    for (const e of ELEMENTS) {
      expect(elementBySymbol(e.symbol)).toBe(e);
      expect(elementByNumber(e.atomicNumber)).toBe(e);
      expect(e.mass).toBeGreaterThan(0);
      expect(e.color).toBeGreaterThanOrEqual(0);
      expect(e.color).toBeLessThanOrEqual(0xffffff);
      expect(e.covalentRadius).toBeGreaterThan(0.2);
      expect(e.vdwRadius).toBeGreaterThan(e.covalentRadius);
    }
    // Masses increase with Z except for the known inversions Ar/K, Co/Ni.
    for (let k = 1; k < ELEMENTS.length; k++) {
      const [a, b] = [ELEMENTS[k - 1]!, ELEMENTS[k]!];
      if (['K', 'Ni'].includes(b.symbol)) expect(b.mass).toBeLessThan(a.mass);
      else expect(b.mass).toBeGreaterThan(a.mass);
    }
  });

  it('knows a few values by heart', () => {
    expect(elementBySymbol('Ar')).toMatchObject({ atomicNumber: 18, mass: 39.948 });
    expect(elementBySymbol('Cu').mass).toBeCloseTo(63.546, 3);
    expect(elementBySymbol('C').color).toBe(0x909090);
    expect(elementByNumber(79).symbol).toBe('Au');
  });

  it('rejects unknown or miscased symbols with a clear message', () => {
    expect(() => elementBySymbol('AR')).toThrow(/did you mean "Ar"/);
    expect(() => elementBySymbol('Xx')).toThrow(/unknown element symbol "Xx"/);
    expect(() => elementByNumber(0)).toThrow(/atomic number 0/);
    expect(findElement('ar')).toBeUndefined();
  });
});
