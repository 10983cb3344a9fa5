/**
 * Counter-based random numbers, the bit-exact twin of `kernels/common/rng.wgsl`. Every number is a
 * pure function of (seed, step, atom, k), so the GPU and the reference draw the same noise without
 * carrying generator state. All integer arithmetic is on u32 (mod 2³²).
 */

/** PCG hash (O'Neill's PCG-RXS-M-XS output on one LCG step): u32 → u32. */
export function pcgHash(v: number): number {
  // Math.imul multiplies mod 2³² (as i32); `>>> 0` brings the result back to u32.
  const state = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/** The u32 hash behind {@link uniform01}: pcgHash(pcgHash(pcgHash(seed) ^ step) ^ (atom·8 + k)). */
export function hashCounter(seed: number, step: number, atom: number, k: number): number {
  const h1 = pcgHash(seed >>> 0);
  const h2 = pcgHash((h1 ^ (step >>> 0)) >>> 0);
  return pcgHash((h2 ^ ((atom * 8 + k) >>> 0)) >>> 0);
}

/**
 * The seed of one system's random numbers: the stage's seed mixed with the system's stable id,
 * pcgHash(pcgHash(seed) ^ id), so that a system draws the same noise whatever slot, batch or worker
 * it runs in (a pipeline run equals a one-worker run through the thermostat).
 */
export function systemSeed(seed: number, systemId: number): number {
  return pcgHash((pcgHash(seed >>> 0) ^ (systemId >>> 0)) >>> 0);
}

/**
 * A uniform number in (0, 1) from the top 24 bits of the hash: ((h >> 8) + 0.5) / 2²⁴.
 * `atom` is the global atom index in the batch, `step` the system's step counter within the stage,
 * `k` in 0..7 selects one of eight independent numbers per (atom, step).
 */
export function uniform01(seed: number, step: number, atom: number, k: number): number {
  return ((hashCounter(seed, step, atom, k) >>> 8) + 0.5) / 16777216;
}

/**
 * A standard normal number (mean 0, variance 1) by Box–Muller from uniforms k = 2c and 2c + 1,
 * for Cartesian component c ∈ {0, 1, 2}.
 */
export function gaussian(seed: number, step: number, atom: number, component: number): number {
  const u1 = uniform01(seed, step, atom, 2 * component);
  const u2 = uniform01(seed, step, atom, 2 * component + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
