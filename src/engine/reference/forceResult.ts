/**
 * What every f64 reference potential returns, and the bookkeeping shared by them.
 */
import type { Batch } from '../batch.ts';
import { cellVolume } from '../cell.ts';

/** Energies, forces, virials and stress of a batch. */
export interface ForceResult {
  /** Potential energy per system, eV. */
  energy: Float64Array;
  /**
   * Potential energy per atom, eV (LAMMPS `compute pe/atom`): half of each pair energy goes to each
   * atom of the pair; EAM adds the embedding energy F(ρ_i) to atom i.
   */
  energies: Float64Array;
  /** Forces, eV/Å, xyz interleaved (3·nAtoms). */
  forces: Float64Array;
  /**
   * Virial per system, eV, row-major 3×3 (9 values per system):
   * W_ab = Σ_pairs (r_i − r_j)_a (f_ij)_b over every pair and periodic image within the cutoff,
   * with f_ij the force on i from j. Same sign as LAMMPS's virial: positive trace for repulsion;
   * the pressure is P = (N kB T + tr W / 3) / V. Under a homogeneous strain ε of positions and
   * cell, dE/dε_ab = −W_ab.
   */
  virial: Float64Array;
  /**
   * Per-atom virial W_i, eV, 6 values per atom in LAMMPS's order xx, yy, zz, xy, xz, yz: each pair
   * gives half of (r_i − r_j) ⊗ f_ij to each of its atoms (LAMMPS's ev_tally), so Σ_i W_i = W.
   * LAMMPS's `compute stress/atom NULL virial` reports −W_i in pressure·volume units (bar·Å³).
   */
  atomVirial: Float64Array;
  /**
   * Potential part of the stress per system, eV/Å³, row-major 3×3, ASE's sign: σ = −W / V with V
   * the cell volume (positive under tension). Callers add the kinetic part −Σ m v⊗v / V if they
   * want it. NaN for a system whose cell has no volume (e.g. all axes open with a zero cell).
   */
  stress: Float64Array;
}

/** A zeroed ForceResult for `batch`. */
export function emptyForceResult(batch: Batch): ForceResult {
  return {
    energy: new Float64Array(batch.nSystems),
    energies: new Float64Array(batch.nAtoms),
    forces: new Float64Array(3 * batch.nAtoms),
    virial: new Float64Array(9 * batch.nSystems),
    atomVirial: new Float64Array(6 * batch.nAtoms),
    stress: new Float64Array(9 * batch.nSystems),
  };
}

/** Fills `result.stress` = −W / V for every system (NaN where the cell volume is 0). */
export function fillStress(batch: Batch, result: ForceResult): void {
  for (let s = 0; s < batch.nSystems; s++) {
    const v = cellVolume(batch.cells.subarray(9 * s, 9 * s + 9));
    for (let k = 0; k < 9; k++)
      result.stress[9 * s + k] = v > 0 ? -result.virial[9 * s + k]! / v : Number.NaN;
  }
}

/**
 * Adds the virial of one pair (d = r_i − r_j, force on i = fOverR·d) to system `s` and half of it to
 * each of atoms i and j (i = j for an atom and its own periodic image).
 */
export function tallyPairVirial(
  result: ForceResult,
  s: number,
  i: number,
  j: number,
  dx: number,
  dy: number,
  dz: number,
  fOverR: number,
): void {
  const xx = dx * dx * fOverR;
  const yy = dy * dy * fOverR;
  const zz = dz * dz * fOverR;
  const xy = dx * dy * fOverR;
  const xz = dx * dz * fOverR;
  const yz = dy * dz * fOverR;
  const w = result.virial;
  const o = 9 * s;
  w[o]! += xx;
  w[o + 1]! += xy;
  w[o + 2]! += xz;
  w[o + 3]! += xy;
  w[o + 4]! += yy;
  w[o + 5]! += yz;
  w[o + 6]! += xz;
  w[o + 7]! += yz;
  w[o + 8]! += zz;
  const av = result.atomVirial;
  for (const k of [i, j]) {
    av[6 * k]! += 0.5 * xx;
    av[6 * k + 1]! += 0.5 * yy;
    av[6 * k + 2]! += 0.5 * zz;
    av[6 * k + 3]! += 0.5 * xy;
    av[6 * k + 4]! += 0.5 * xz;
    av[6 * k + 5]! += 0.5 * yz;
  }
}
