/**
 * Per-system kinetic observables, f64 reference (the executable spec of the GPU reductions).
 */
import type { Batch } from '../batch.ts';
import { BOLTZMANN_EV_PER_K, KINETIC_ENERGY_EV_PER_AMU_A2_FS2 } from '../units.ts';
import { frozenAtomsOf, isFrozenMass } from './constraints.ts';

/** Kinetic energy ½ Σ m v² per system, eV (NULL atoms included; frozen atoms, of infinite mass and at rest, carry none). */
export function kineticEnergyPerSystem(batch: Batch): Float64Array {
  const out = new Float64Array(batch.nSystems);
  for (let s = 0; s < batch.nSystems; s++) {
    let sum = 0;
    for (let i = batch.atomsPtr[s]!; i < batch.atomsPtr[s + 1]!; i++) {
      if (isFrozenMass(batch.masses[i]!)) continue;
      const vx = batch.velocities[3 * i]!;
      const vy = batch.velocities[3 * i + 1]!;
      const vz = batch.velocities[3 * i + 2]!;
      sum += batch.masses[i]! * (vx * vx + vy * vy + vz * vz);
    }
    out[s] = 0.5 * sum * KINETIC_ENERGY_EV_PER_AMU_A2_FS2;
  }
  return out;
}

/**
 * Instantaneous temperature per system, K: 2·KE / (N_f·kB) with N_f = 3·(N − N_frozen) degrees of
 * freedom (NULL atoms included; frozen atoms are those of infinite mass), 0 without any.
 */
export function temperaturePerSystem(batch: Batch): Float64Array {
  const ke = kineticEnergyPerSystem(batch);
  return ke.map((k, s) => {
    const n = batch.atomsPtr[s + 1]! - batch.atomsPtr[s]! - frozenAtomsOf(batch, s);
    return n > 0 ? (2 * k) / (3 * n * BOLTZMANN_EV_PER_K) : 0;
  });
}

/** Total momentum per system, amu·Å/fs, 3 values per system (frozen atoms excluded). */
export function momentumPerSystem(batch: Batch): Float64Array {
  const out = new Float64Array(3 * batch.nSystems);
  for (let s = 0; s < batch.nSystems; s++) {
    for (let i = batch.atomsPtr[s]!; i < batch.atomsPtr[s + 1]!; i++) {
      if (isFrozenMass(batch.masses[i]!)) continue;
      for (let a = 0; a < 3; a++) out[3 * s + a]! += batch.masses[i]! * batch.velocities[3 * i + a]!;
    }
  }
  return out;
}
