/**
 * Random clusters in vacuum, one system each: the starts of relaxation benchmarks and of batching
 * tests (ASE's and LAMMPS's random-start cluster relaxations work the same way).
 */
import { findElement } from '../../io/elements.ts';
import type { ClustersSystemSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import { concatenateBatches } from './concatenate.ts';
import { mulberry32 } from './random.ts';

/**
 * `n` positions (Å) uniform in a ball of radius `radius` centred at `centre`, no two closer than
 * `minDistance`, by rejection sampling. Throws when the ball is too crowded.
 */
export function positionsInBall(
  n: number,
  radius: number,
  centre: number,
  minDistance: number,
  random: () => number,
): Float64Array {
  const out = new Float64Array(3 * n);
  const min2 = minDistance * minDistance;
  const maxAttempts = 100_000;
  for (let i = 0; i < n; i++) {
    let placed = false;
    for (let attempt = 0; attempt < maxAttempts && !placed; attempt++) {
      const x = (2 * random() - 1) * radius;
      const y = (2 * random() - 1) * radius;
      const z = (2 * random() - 1) * radius;
      if (x * x + y * y + z * z > radius * radius) continue;
      placed = true;
      for (let j = 0; j < i && placed; j++) {
        const dx = x + centre - out[3 * j]!;
        const dy = y + centre - out[3 * j + 1]!;
        const dz = z + centre - out[3 * j + 2]!;
        if (dx * dx + dy * dy + dz * dz < min2) placed = false;
      }
      if (placed) out.set([x + centre, y + centre, z + centre], 3 * i);
    }
    if (!placed) {
      throw new Error(
        `could not place atom ${i + 1} of ${n} in a ball of ${radius.toFixed(2)} Å at ≥ ${minDistance} Å ` +
          'from the others: lower the density or the minimum distance',
      );
    }
  }
  return out;
}

/** The clusters of a `clusters` system spec, system ids 0 … count − 1, deterministic in the seed. */
export function buildClusters(spec: ClustersSystemSpec): Batch {
  const random = mulberry32(spec.seed);
  const z = findElement(spec.element)?.atomicNumber ?? 0;
  const systems: Batch[] = [];
  for (let s = 0; s < spec.count; s++) {
    const n = spec.minAtoms + Math.floor(random() * (spec.maxAtoms - spec.minAtoms + 1));
    const radius = Math.cbrt((3 * n) / (4 * Math.PI * spec.density));
    const side = 2 * radius + 2 * spec.vacuum;
    systems.push({
      nAtoms: n,
      nSystems: 1,
      atomsPtr: Int32Array.of(0, n),
      positions: positionsInBall(n, radius, side / 2, spec.minDistance, random),
      velocities: new Float64Array(3 * n),
      masses: new Float64Array(n).fill(spec.mass),
      types: new Int32Array(n),
      atomicNumbers: new Int32Array(n).fill(z),
      cells: Float64Array.of(side, 0, 0, 0, side, 0, 0, 0, side),
      pbc: new Uint8Array(3),
      systemIds: Int32Array.of(s),
    });
  }
  return concatenateBatches(systems);
}
