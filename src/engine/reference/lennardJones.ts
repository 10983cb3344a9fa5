/**
 * Lennard-Jones pair potential, f64 reference (the executable spec of kernels/potentials/lj*.wgsl).
 * Every pair of non-NULL atoms of one system is visited once (O(N²) per system: obviously correct,
 * fast enough for test systems of a few thousand atoms).
 */
import type { Batch } from '../batch.ts';
import { assertMinimumImage, cellLengths, minimumImageDelta, periodicAxes } from './pbc.ts';

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

/** Energies, forces and virials of a batch. */
export interface ForceResult {
  /** Potential energy per system, eV. */
  energy: Float64Array;
  /** Potential energy per atom, eV: half of each pair energy goes to each atom of the pair. */
  energies: Float64Array;
  /** Forces, eV/Å, xyz interleaved (3·nAtoms). */
  forces: Float64Array;
  /**
   * Virial per system, eV, row-major 3×3 (9 values per system):
   * W_ab = Σ_pairs (r_i − r_j)_a (f_ij)_b, with f_ij the force on i from j (minimum image).
   * Same sign as LAMMPS's virial: positive trace for repulsion; the pressure is
   * P = (N kB T + tr W / 3) / V. Under a homogeneous strain ε of positions and cell,
   * dE/dε_ab = −W_ab.
   */
  virial: Float64Array;
}

/** Unshifted pair energy at r, eV. */
export function lennardJonesPairEnergy(r: number, epsilon: number, sigma: number): number {
  const sr6 = (sigma / r) ** 6;
  return 4 * epsilon * (sr6 * sr6 - sr6);
}

/**
 * Energies, forces and virials of the Lennard-Jones potential. NULL atoms (type −1) get no force
 * and no energy. Throws unless every periodic cell length exceeds 2·cutoff.
 */
export function lennardJonesReference(batch: Batch, p: LennardJonesParams): ForceResult {
  assertMinimumImage(batch, p.cutoff);
  const energy = new Float64Array(batch.nSystems);
  const energies = new Float64Array(batch.nAtoms);
  const forces = new Float64Array(3 * batch.nAtoms);
  const virial = new Float64Array(9 * batch.nSystems);
  const rc2 = p.cutoff * p.cutoff;
  const eShift = p.shift ? lennardJonesPairEnergy(p.cutoff, p.epsilon, p.sigma) : 0;
  const d = new Float64Array(3);
  const { positions, types } = batch;

  for (let s = 0; s < batch.nSystems; s++) {
    const lengths = cellLengths(batch, s);
    const pbc = periodicAxes(batch, s);
    const begin = batch.atomsPtr[s]!;
    const end = batch.atomsPtr[s + 1]!;
    let eSystem = 0;
    for (let i = begin; i < end; i++) {
      if (types[i] === -1) continue;
      for (let j = i + 1; j < end; j++) {
        if (types[j] === -1) continue;
        minimumImageDelta(positions, i, j, lengths, pbc, d);
        const r2 = d[0]! * d[0]! + d[1]! * d[1]! + d[2]! * d[2]!;
        if (r2 >= rc2) continue;
        const sr2 = (p.sigma * p.sigma) / r2;
        const sr6 = sr2 * sr2 * sr2;
        const ePair = 4 * p.epsilon * (sr6 * sr6 - sr6) - eShift;
        // f_ij = −V'(r) r_ij / r = 24ε(2(σ/r)¹² − (σ/r)⁶)/r² · r_ij, the force on i from j.
        const fOverR = (24 * p.epsilon * (2 * sr6 * sr6 - sr6)) / r2;
        eSystem += ePair;
        energies[i]! += 0.5 * ePair;
        energies[j]! += 0.5 * ePair;
        for (let a = 0; a < 3; a++) {
          const f = fOverR * d[a]!;
          forces[3 * i + a]! += f;
          forces[3 * j + a]! -= f;
          for (let b = 0; b < 3; b++) virial[9 * s + 3 * a + b]! += d[a]! * fOverR * d[b]!;
        }
      }
    }
    energy[s] = eSystem;
  }
  return { energy, energies, forces, virial };
}
