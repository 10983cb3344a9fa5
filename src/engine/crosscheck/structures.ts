/**
 * The three argon structures every cross-check uses (GPU vs LAMMPS, reference vs LAMMPS): an fcc
 * crystal with small random displacements, a liquid-like random configuration and an fcc slab with
 * vacuum along a non-periodic z. Deterministic (seeded), so every side sees the same atoms.
 */
import { type Batch, singleSystemBatch } from '../batch.ts';
import { mulberry32 } from '../structures/random.ts';

/** Argon Lennard-Jones parameters of the cross-checks: ε eV, σ Å, cutoff Å; mass amu. */
export const ARGON = { epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, mass: 39.948 } as const;

/** Positions of an fcc lattice of `repeat` cubic cells of side `a` (Å), 4 atoms per cell. */
export function fccPositions(a: number, repeat: readonly [number, number, number]): Float64Array {
  const basis = [
    [0, 0, 0],
    [0.5, 0.5, 0],
    [0.5, 0, 0.5],
    [0, 0.5, 0.5],
  ] as const;
  const out = new Float64Array(4 * 3 * repeat[0] * repeat[1] * repeat[2]);
  let k = 0;
  for (let i = 0; i < repeat[0]; i++) {
    for (let j = 0; j < repeat[1]; j++) {
      for (let l = 0; l < repeat[2]; l++) {
        for (const b of basis) {
          out[k++] = (i + b[0]) * a;
          out[k++] = (j + b[1]) * a;
          out[k++] = (l + b[2]) * a;
        }
      }
    }
  }
  return out;
}

/** fcc argon (a = 5.26 Å) of repeat³ cells, each atom displaced uniformly by up to ±`jitter` Å per axis. */
export function argonCrystal(repeat = 5, jitter = 0.1, seed = 1): Batch {
  const a = 5.26;
  const positions = fccPositions(a, [repeat, repeat, repeat]);
  const rand = mulberry32(seed);
  for (let k = 0; k < positions.length; k++) positions[k]! += jitter * (2 * rand() - 1);
  const n = positions.length / 3;
  return singleSystemBatch({
    positions,
    masses: new Float64Array(n).fill(ARGON.mass),
    atomicNumbers: new Int32Array(n).fill(18),
    cell: [repeat * a, repeat * a, repeat * a],
  });
}

/**
 * Liquid-like argon: `n` atoms placed at random in a periodic cube at `density` (atoms/Å³; liquid argon
 * near 85 K is 0.021), rejecting any closer than `minDistance` Å to an earlier atom (minimum image).
 */
export function argonLiquid(n = 800, density = 0.021, minDistance = 3.0, seed = 2): Batch {
  const l = Math.cbrt(n / density);
  const rand = mulberry32(seed);
  const positions = new Float64Array(3 * n);
  const d2min = minDistance * minDistance;
  let placed = 0;
  for (let attempt = 0; placed < n; attempt++) {
    if (attempt > 10_000 * n) throw new Error(`could not place ${n} atoms ${minDistance} Å apart`);
    const x = rand() * l;
    const y = rand() * l;
    const z = rand() * l;
    let ok = true;
    for (let j = 0; j < placed && ok; j++) {
      let dx = x - positions[3 * j]!;
      let dy = y - positions[3 * j + 1]!;
      let dz = z - positions[3 * j + 2]!;
      dx -= l * Math.round(dx / l);
      dy -= l * Math.round(dy / l);
      dz -= l * Math.round(dz / l);
      ok = dx * dx + dy * dy + dz * dz >= d2min;
    }
    if (!ok) continue;
    positions.set([x, y, z], 3 * placed);
    placed++;
  }
  return singleSystemBatch({
    positions,
    masses: new Float64Array(n).fill(ARGON.mass),
    atomicNumbers: new Int32Array(n).fill(18),
    cell: [l, l, l],
  });
}

/**
 * An fcc argon slab of `repeat` cells (jittered) with `vacuum` Å of empty space above and below it
 * along z, which is not periodic: the two (001) surfaces are free.
 */
export function argonSlab(
  repeat: readonly [number, number, number] = [5, 5, 4],
  vacuum = 10,
  seed = 3,
): Batch {
  const a = 5.26;
  const positions = fccPositions(a, repeat);
  const rand = mulberry32(seed);
  for (let k = 0; k < positions.length; k++) {
    positions[k]! += 0.1 * (2 * rand() - 1) + (k % 3 === 2 ? vacuum : 0);
  }
  const n = positions.length / 3;
  return singleSystemBatch({
    positions,
    masses: new Float64Array(n).fill(ARGON.mass),
    atomicNumbers: new Int32Array(n).fill(18),
    cell: [repeat[0] * a, repeat[1] * a, repeat[2] * a + 2 * vacuum],
    pbc: [true, true, false],
  });
}

/** The three cross-check structures by name. */
export const crossCheckStructures: Record<'crystal' | 'liquid' | 'slab', () => Batch> = {
  crystal: () => argonCrystal(),
  liquid: () => argonLiquid(),
  slab: () => argonSlab(),
};
