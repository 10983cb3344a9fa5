/**
 * Seeded pseudo-random numbers for building structures (host side only; the GPU's thermostat noise
 * comes from the counter-based generator in reference/rng.ts), and random configurations for tests.
 */

/** mulberry32: a small, fast 32-bit generator. Returns a function giving uniforms in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal number from a uniform generator (Box–Muller). */
export function normal(random: () => number): number {
  const u1 = 1 - random(); // in (0, 1], so the logarithm is finite
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * `n` positions (Å, xyz interleaved) uniform in the box [0, Lx)×[0, Ly)×[0, Lz), no two closer than
 * `minDistance` Å under the minimum-image convention of the periodic box (hence also without it),
 * by rejection sampling: a liquid- or gas-like configuration for tests. Deterministic in `seed`.
 * Throws if the box is too crowded to place all atoms.
 */
export function randomPositions(
  n: number,
  box: readonly [number, number, number],
  minDistance: number,
  seed: number,
): Float64Array {
  const random = mulberry32(seed);
  const out = new Float64Array(3 * n);
  const min2 = minDistance * minDistance;
  const maxAttempts = 10_000;
  for (let i = 0; i < n; i++) {
    let placed = false;
    for (let attempt = 0; attempt < maxAttempts && !placed; attempt++) {
      const x = random() * box[0];
      const y = random() * box[1];
      const z = random() * box[2];
      placed = true;
      for (let j = 0; j < i && placed; j++) {
        let d2 = 0;
        for (const [a, c] of [x, y, z].entries()) {
          let d = c - out[3 * j + a]!;
          d -= box[a]! * Math.round(d / box[a]!);
          d2 += d * d;
        }
        if (d2 < min2) placed = false;
      }
      if (placed) out.set([x, y, z], 3 * i);
    }
    if (!placed) {
      throw new Error(
        `randomPositions: could not place atom ${i} of ${n} at ≥ ${minDistance} Å from the others in ${maxAttempts} attempts`,
      );
    }
  }
  return out;
}
