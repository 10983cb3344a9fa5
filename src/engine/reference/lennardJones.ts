/**
 * Lennard-Jones pair potential, f64 reference (the executable spec of kernels/potentials/lj*.wgsl).
 * Every pair of non-NULL atoms of one system, and every periodic image of it within the cutoff, is
 * visited once (O(N²) per system: obviously correct, fast enough for test systems of a few
 * thousand atoms).
 */
import type { Batch } from '../batch.ts';
import type { ForceResult } from './forceResult.ts';
import { pairPotentialReference } from './pairPotential.ts';

export type { ForceResult } from './forceResult.ts';

/** Parameters of V(r) = 4ε[(σ/r)¹² − (σ/r)⁶] − (shift ? V_raw(rc) : 0) for r < rc, 0 beyond. */
export interface LennardJonesParams {
  /** Well depth ε, eV. */
  epsilon: number;
  /** Zero-crossing distance σ, Å. */
  sigma: number;
  /** Cutoff radius rc, Å. */
  cutoff: number;
  /** Shift the energy so that V(rc) = 0 (forces unchanged). */
  shift: boolean;
}

/** Unshifted pair energy at r, eV. */
export function lennardJonesPairEnergy(r: number, epsilon: number, sigma: number): number {
  const sr6 = (sigma / r) ** 6;
  return 4 * epsilon * (sr6 * sr6 - sr6);
}

/**
 * Energies, forces, per-atom energies, virials and stress of the Lennard-Jones potential
 * (LAMMPS `pair_style lj/cut`, `pair_modify shift yes|no`). Every pair of non-NULL atoms and every
 * periodic image closer than the cutoff counts, on restricted triclinic cells of any size (an atom
 * feels its own images when the cell is small); open axes have no images. NULL atoms (type −1) get
 * no force and no energy.
 */
export function lennardJonesReference(batch: Batch, p: LennardJonesParams): ForceResult {
  const eShift = p.shift ? lennardJonesPairEnergy(p.cutoff, p.epsilon, p.sigma) : 0;
  const sigma2 = p.sigma * p.sigma;
  return pairPotentialReference(batch, p.cutoff, (r2, out) => {
    const sr2 = sigma2 / r2;
    const sr6 = sr2 * sr2 * sr2;
    out[0] = 4 * p.epsilon * (sr6 * sr6 - sr6) - eShift;
    // f_ij = −V'(r) r_ij / r = 24ε(2(σ/r)¹² − (σ/r)⁶)/r² · r_ij, the force on i from j.
    out[1] = (24 * p.epsilon * (2 * sr6 * sr6 - sr6)) / r2;
  });
}
