import { describe, expect, it } from 'vitest';
import { gaussian, hashCounter, pcgHash, uniform01 } from './rng.ts';

/** An independent implementation in BigInt arithmetic, to cross-check the Math.imul one. */
const M = 1n << 32n;
function pcgHashBig(v: bigint): bigint {
  const state = (v * 747796405n + 2891336453n) % M;
  const word = (((state >> ((state >> 28n) + 4n)) ^ state) * 277803737n) % M;
  return ((word >> 22n) ^ word) % M;
}
function hashBig(seed: number, step: number, atom: number, k: number): bigint {
  return pcgHashBig(pcgHashBig(pcgHashBig(BigInt(seed)) ^ BigInt(step)) ^ (BigInt(atom * 8 + k) % M));
}

describe('pcgHash', () => {
  it('gives known values (computed independently with Python integers)', () => {
    expect(pcgHash(0)).toBe(129708002);
    expect(pcgHash(1)).toBe(2831084092);
    expect(pcgHash(42)).toBe(1223963391);
    expect(pcgHash(0xffffffff)).toBe(3861530882);
    expect(pcgHash(123456789)).toBe(4272394698);
  });

  it('matches BigInt arithmetic on many inputs', () => {
    let x = 12345;
    for (let n = 0; n < 2000; n++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      expect(pcgHash(x)).toBe(Number(pcgHashBig(BigInt(x))));
    }
  });
});

describe('uniform01', () => {
  it('gives known values', () => {
    expect(hashCounter(7, 0, 0, 0)).toBe(3767225587);
    expect(hashCounter(7, 0, 0, 1)).toBe(2253495039);
    expect(hashCounter(1, 5, 12, 3)).toBe(291259793);
    expect(hashCounter(2 ** 31 - 1, 1000000, 4095, 7)).toBe(2383197674);
    expect(uniform01(7, 0, 0, 0)).toBe(0.8771255314350128);
    expect(uniform01(7, 0, 0, 1)).toBe(0.5246826708316803);
    expect(uniform01(1, 5, 12, 3)).toBe(0.06781420111656189);
    expect(uniform01(2 ** 31 - 1, 1000000, 4095, 7)).toBe(0.5548814237117767);
  });

  it('matches BigInt arithmetic over seeds, steps, atoms and k', () => {
    for (const seed of [0, 1, 7, 2 ** 31 - 1]) {
      for (const step of [0, 1, 99, 65535]) {
        for (const atom of [0, 3, 1000, 536870911]) {
          for (let k = 0; k < 8; k++) {
            const h = Number(hashBig(seed, step, atom, k));
            expect(hashCounter(seed, step, atom, k)).toBe(h);
            expect(uniform01(seed, step, atom, k)).toBe(((h >>> 8) + 0.5) / 16777216);
          }
        }
      }
    }
  });

  it('lies strictly inside (0, 1) with mean 1/2 and variance 1/12', () => {
    const n = 100_000;
    let sum = 0;
    let sum2 = 0;
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const u = uniform01(3, i >> 8, i & 255, i % 8);
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      sum += u;
      sum2 += u * u;
    }
    expect(lo).toBeGreaterThan(0);
    expect(hi).toBeLessThan(1);
    const mean = sum / n;
    const variance = sum2 / n - mean * mean;
    // Standard errors: 0.289/√n ≈ 9e-4 for the mean, ≈ 2.7e-4 for the variance; allow 5σ.
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * 9.2e-4);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(5 * 2.7e-4);
  });

  it('has no correlation between neighbouring atoms and steps', () => {
    const n = 50_000;
    let cAtom = 0;
    let cStep = 0;
    for (let i = 0; i < n; i++) {
      const u = uniform01(11, 4, i, 0) - 0.5;
      cAtom += u * (uniform01(11, 4, i + 1, 0) - 0.5);
      cStep += u * (uniform01(11, 5, i, 0) - 0.5);
    }
    // Correlation coefficient estimate: sum / (n/12); standard error 1/√n ≈ 4.5e-3.
    expect(Math.abs(cAtom / (n / 12))).toBeLessThan(0.025);
    expect(Math.abs(cStep / (n / 12))).toBeLessThan(0.025);
  });
});

describe('gaussian', () => {
  it('is Box–Muller of uniforms 2c and 2c + 1', () => {
    const u1 = uniform01(5, 6, 7, 4);
    const u2 = uniform01(5, 6, 7, 5);
    expect(gaussian(5, 6, 7, 2)).toBe(Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
  });

  it('has mean 0, variance 1 and kurtosis 3 over 1e5 samples', () => {
    const n = 100_000;
    let s1 = 0;
    let s2 = 0;
    let s4 = 0;
    for (let i = 0; i < n; i++) {
      const g = gaussian(9, i >> 10, i & 1023, i % 3);
      s1 += g;
      s2 += g * g;
      s4 += g ** 4;
    }
    const mean = s1 / n;
    const variance = s2 / n - mean * mean;
    // Standard errors: 1/√n ≈ 3.2e-3 (mean), √(2/n) ≈ 4.5e-3 (variance), √(96/n) ≈ 0.031 (4th moment).
    expect(Math.abs(mean)).toBeLessThan(0.016);
    expect(Math.abs(variance - 1)).toBeLessThan(0.023);
    expect(Math.abs(s4 / n - 3)).toBeLessThan(0.16);
  });
});
