/**
 * Face-centred cubic crystals (the `fcc` system of the pipeline spec).
 */

import { elementBySymbol } from '../../io/elements.ts';
import type { FccSystemSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import { kineticEnergyPerSystem } from '../reference/observables.ts';
import { ACCELERATION_PER_FORCE_OVER_MASS, BOLTZMANN_EV_PER_K } from '../units.ts';
import { mulberry32, normal } from './random.ts';

/** The 4-atom basis of the conventional fcc cell, in units of the lattice constant. */
export const FCC_BASIS: readonly (readonly [number, number, number])[] = [
  [0, 0, 0],
  [0.5, 0.5, 0],
  [0.5, 0, 0.5],
  [0, 0.5, 0.5],
];

/**
 * Builds a periodic fcc crystal: repeat[0]×repeat[1]×repeat[2] conventional cells of side
 * `latticeConstant` Å (atoms ordered with the cell index x outermost, then y, z, and the basis site
 * innermost). Atoms whose ideal site lies closer than `voidRadius`
 * Å to the box centre are removed; every coordinate then gets a uniform jitter in [−jitter, jitter]
 * Å and is wrapped into the cell. Velocities are Maxwell–Boltzmann at `temperature` K with zero total
 * momentum, rescaled so that the 3N-degree-of-freedom temperature is exactly `temperature` (all zero
 * at 0 K). The same spec (seed included) always gives the same batch. Types are 0.
 */
export function buildFcc(spec: FccSystemSpec): Batch {
  const element = elementBySymbol(spec.element);
  const a = spec.latticeConstant;
  const [nx, ny, nz] = spec.repeat;
  const lengths = [a * nx, a * ny, a * nz] as const;
  const centre = lengths.map((l) => l / 2);
  const sites: number[] = [];
  for (let ix = 0; ix < nx; ix++) {
    for (let iy = 0; iy < ny; iy++) {
      for (let iz = 0; iz < nz; iz++) {
        for (const [bx, by, bz] of FCC_BASIS) {
          const p = [(ix + bx) * a, (iy + by) * a, (iz + bz) * a];
          const r2 = p.reduce((sum, x, k) => sum + (x - centre[k]!) ** 2, 0);
          if (spec.voidRadius > 0 && r2 < spec.voidRadius ** 2) continue;
          sites.push(...p);
        }
      }
    }
  }
  const n = sites.length / 3;
  const random = mulberry32(spec.seed);
  const positions = Float64Array.from(sites);
  if (spec.jitter > 0) {
    for (let k = 0; k < 3 * n; k++) {
      const l = lengths[k % 3]!;
      let x = positions[k]! + spec.jitter * (2 * random() - 1);
      x -= l * Math.floor(x / l);
      positions[k] = x;
    }
  }
  const batch: Batch = {
    nAtoms: n,
    nSystems: 1,
    atomsPtr: Int32Array.of(0, n),
    positions,
    velocities: new Float64Array(3 * n),
    masses: new Float64Array(n).fill(spec.mass),
    types: new Int32Array(n),
    atomicNumbers: new Int32Array(n).fill(element.atomicNumber),
    cells: Float64Array.of(lengths[0], 0, 0, 0, lengths[1], 0, 0, 0, lengths[2]),
    pbc: Uint8Array.of(1, 1, 1),
    systemIds: Int32Array.of(0),
  };
  if (spec.temperature > 0) setMaxwellBoltzmann(batch, spec.temperature, random);
  return batch;
}

/**
 * Draws Maxwell–Boltzmann velocities at `temperature` K for every system of the batch, removes
 * each system's total momentum and rescales so that its 3N-degree-of-freedom temperature is exactly
 * `temperature` (a system of one atom, which cannot move without momentum, stays at rest).
 */
export function setMaxwellBoltzmann(batch: Batch, temperature: number, random: () => number): void {
  const v = batch.velocities;
  for (let i = 0; i < batch.nAtoms; i++) {
    // Each component has variance kB·T/m, in (Å/fs)².
    const sd = Math.sqrt(
      (BOLTZMANN_EV_PER_K * temperature * ACCELERATION_PER_FORCE_OVER_MASS) / batch.masses[i]!,
    );
    for (let a = 0; a < 3; a++) v[3 * i + a] = sd * normal(random);
  }
  for (let s = 0; s < batch.nSystems; s++) {
    const begin = batch.atomsPtr[s]!;
    const end = batch.atomsPtr[s + 1]!;
    const p = [0, 0, 0];
    let mass = 0;
    for (let i = begin; i < end; i++) {
      mass += batch.masses[i]!;
      for (let a = 0; a < 3; a++) p[a]! += batch.masses[i]! * v[3 * i + a]!;
    }
    for (let i = begin; i < end; i++) for (let a = 0; a < 3; a++) v[3 * i + a]! -= p[a]! / mass;
  }
  const ke = kineticEnergyPerSystem(batch);
  for (let s = 0; s < batch.nSystems; s++) {
    const n = batch.atomsPtr[s + 1]! - batch.atomsPtr[s]!;
    const target = 1.5 * n * BOLTZMANN_EV_PER_K * temperature;
    const scale = ke[s]! > 0 ? Math.sqrt(target / ke[s]!) : 0;
    for (let k = 3 * batch.atomsPtr[s]!; k < 3 * batch.atomsPtr[s + 1]!; k++) v[k]! *= scale;
  }
}
