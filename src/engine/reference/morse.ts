/**
 * Morse pair potential, f64 reference (LAMMPS `pair_style morse`, the executable spec of the Morse
 * kernel).
 */
import type { Batch } from '../batch.ts';
import type { ForceResult } from './forceResult.ts';
import { pairPotentialReference } from './pairPotential.ts';

/**
 * Parameters of V(r) = D0[e^{−2α(r−r0)} − 2e^{−α(r−r0)}] − (shift ? V_raw(rc) : 0) for r < rc, 0
 * beyond (LAMMPS `pair_coeff * * D0 alpha r0`, `pair_modify shift yes|no`).
 */
export interface MorseParams {
  /** Well depth D0, eV. */
  d0: number;
  /** Width parameter α, 1/Å. */
  alpha: number;
  /** Equilibrium distance r0, Å. */
  r0: number;
  /** Cutoff radius rc, Å. */
  cutoff: number;
  /** Shift the energy so that V(rc) = 0 (forces unchanged). */
  shift: boolean;
}

/** Unshifted Morse pair energy at r (Å), eV. */
export function morsePairEnergy(r: number, p: Pick<MorseParams, 'd0' | 'alpha' | 'r0'>): number {
  const e = Math.exp(-p.alpha * (r - p.r0));
  return p.d0 * (e * e - 2 * e);
}

/**
 * Energies, forces, per-atom energies, virials and stress of the Morse potential over every pair
 * and periodic image within the cutoff (restricted triclinic cells of any size, open axes, NULL
 * atoms ignored), as {@link lennardJonesReference} does for Lennard-Jones.
 */
export function morseReference(batch: Batch, p: MorseParams): ForceResult {
  const eShift = p.shift ? morsePairEnergy(p.cutoff, p) : 0;
  const twoD0Alpha = 2 * p.d0 * p.alpha;
  return pairPotentialReference(batch, p.cutoff, (r2, out) => {
    const r = Math.sqrt(r2);
    const e = Math.exp(-p.alpha * (r - p.r0));
    out[0] = p.d0 * (e * e - 2 * e) - eShift;
    // −V'(r) = 2αD0(e^{−2α(r−r0)} − e^{−α(r−r0)}), as LAMMPS's morse1·(dexp² − dexp).
    out[1] = (twoD0Alpha * (e * e - e)) / r;
  });
}
