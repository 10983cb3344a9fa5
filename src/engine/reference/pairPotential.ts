/**
 * Energies, forces, per-atom energies and virials of any radial pair potential, f64 reference:
 * the shared loop of the Lennard-Jones and Morse references.
 */
import type { Batch } from '../batch.ts';
import { emptyForceResult, type ForceResult, fillStress, tallyPairVirial } from './forceResult.ts';
import { forEachPair } from './pairs.ts';

/**
 * A radial pair potential: given r² (Å², below the cutoff), writes the pair energy (eV) into
 * out[0] and −V'(r)/r (eV/Å²) into out[1], so that the force on i from j is out[1]·(r_i − r_j).
 */
export type PairFunction = (r2: number, out: Float64Array) => void;

/**
 * Evaluates a pair potential over every pair of non-NULL atoms and every periodic image within
 * `cutoff` Å (restricted triclinic cells, any size; open axes have no images). NULL atoms get no
 * force, energy or virial.
 */
export function pairPotentialReference(batch: Batch, cutoff: number, pair: PairFunction): ForceResult {
  const result = emptyForceResult(batch);
  const { energies, forces } = result;
  const out = new Float64Array(2);
  for (let s = 0; s < batch.nSystems; s++) {
    let eSystem = 0;
    forEachPair(batch, s, cutoff, (i, j, dx, dy, dz, r2) => {
      pair(r2, out);
      const ePair = out[0]!;
      const fOverR = out[1]!;
      eSystem += ePair;
      energies[i]! += 0.5 * ePair;
      energies[j]! += 0.5 * ePair;
      forces[3 * i]! += fOverR * dx;
      forces[3 * i + 1]! += fOverR * dy;
      forces[3 * i + 2]! += fOverR * dz;
      forces[3 * j]! -= fOverR * dx;
      forces[3 * j + 1]! -= fOverR * dy;
      forces[3 * j + 2]! -= fOverR * dz;
      tallyPairVirial(result, s, i, j, dx, dy, dz, fOverR);
    });
    result.energy[s] = eSystem;
  }
  fillStress(batch, result);
  return result;
}
