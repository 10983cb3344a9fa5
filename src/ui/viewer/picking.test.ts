import { describe, expect, it } from 'vitest';
import { pickAtom, stepWithin } from './picking.ts';

describe('pickAtom', () => {
  const positions = Float32Array.of(0, 0, 0, 0, 0, -5, 3, 0, 0);
  const radii = Float32Array.of(1, 1, 1);

  it('gives the first sphere along the ray', () => {
    expect(pickAtom(positions, radii, 1, [0, 0, 10], [0, 0, -1])).toBe(0);
    expect(pickAtom(positions, radii, 1, [0, 0, -10], [0, 0, 1])).toBe(1);
    expect(pickAtom(positions, radii, 1, [3, 0, 10], [0, 0, -2])).toBe(2);
  });

  it('misses between spheres, behind the eye, and with radii scaled down', () => {
    expect(pickAtom(positions, radii, 1, [1.5, 0, 10], [0, 0, -1])).toBe(-1);
    expect(pickAtom(positions, radii, 1, [0, 0, 10], [0, 0, 1])).toBe(-1);
    expect(pickAtom(positions, radii, 1, [0.9, 0, 10], [0, 0, -1])).toBe(0);
    expect(pickAtom(positions, radii, 0.5, [0.9, 0, 10], [0, 0, -1])).toBe(-1);
    expect(pickAtom(positions, radii, 1, [0, 0, 10], [0, 0, 0])).toBe(-1);
  });

  it('scans a million atoms in about the 20 ms budget', () => {
    const n = 1_000_000;
    const p = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) {
      p[3 * i] = (i % 100) * 3;
      p[3 * i + 1] = (Math.floor(i / 100) % 100) * 3;
      p[3 * i + 2] = -Math.floor(i / 10_000) * 3;
    }
    const r = new Float32Array(n).fill(1.3);
    pickAtom(p, r, 0.7, [150, 150, 50], [0, 0, -1]);
    const t0 = performance.now();
    const hit = pickAtom(p, r, 0.7, [150.2, 150.1, 50], [0, 0, -1]);
    const ms = performance.now() - t0;
    expect(hit).toBe(50 * 100 + 50);
    console.log(`pick over 1,000,000 atoms: ${ms.toFixed(1)} ms`);
    expect(ms).toBeLessThan(60); // ~10 ms alone; room for a busy shared machine
  });
});

describe('stepWithin', () => {
  it('wraps inside the range', () => {
    expect(stepWithin(5, 1, 3, 6)).toBe(3);
    expect(stepWithin(3, -1, 3, 6)).toBe(5);
    expect(stepWithin(4, 1, 3, 6)).toBe(5);
    expect(stepWithin(4, 1, 3, 3)).toBe(4);
  });
});
