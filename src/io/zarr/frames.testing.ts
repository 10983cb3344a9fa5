/** Deterministic trajectories for the Zarr tests. */
import type { TrajectoryFrame } from './trajectoryFrame.ts';

/** A small linear congruential generator in [0, 1) (deterministic across runs and platforms). */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Frame `f` of a trajectory of systems with `sizes` atoms, carrying every optional field. */
export function makeFrame(f: number, sizes: readonly number[], seed = 1): TrajectoryFrame {
  const random = lcg(seed * 7919 + f);
  const s = sizes.length;
  const atomsPtr = new Int32Array(s + 1);
  sizes.forEach((n, k) => {
    atomsPtr[k + 1] = atomsPtr[k]! + n;
  });
  const n = atomsPtr[s]!;
  const vec = (scale: number) => Float32Array.from({ length: 3 * n }, () => (random() - 0.5) * scale);
  return {
    step: 10 * f,
    time: 10 * f * 2.5,
    stage: f % 3,
    stageStep: f,
    atomsPtr,
    systemIds: Int32Array.from(sizes, (_, k) => 100 + k),
    atomicNumbers: Int32Array.from({ length: n }, (_, i) => 1 + (i % 18)),
    cells: Float64Array.from({ length: 9 * s }, (_, i) => (i % 4 === 0 ? 10 + (i >> 3) : 0)),
    pbc: Uint8Array.from({ length: 3 * s }, (_, i) => (i + f) % 2),
    positions: vec(20),
    velocities: vec(0.02),
    forces: vec(2),
    energy: Float64Array.from({ length: s }, () => -100 * random()),
    stress: Float64Array.from({ length: 9 * s }, () => random() - 0.5),
    status: Int32Array.from({ length: s }, (_, k) => (f + k) % 4),
  };
}
