/**
 * What a potential computes on one rank: per-row (owned and ghost) forces, energies and virials,
 * and this rank's share of the energy and virial. Summed over ranks (after the reverse exchange
 * where ghosts got contributions), the owned rows and the shares equal the single-rank result.
 */

/** Forces, energies and virials on one rank's rows. */
export interface LocalForces {
  /** This rank's share of the potential energy, eV. */
  energy: number;
  /** This rank's share of the virial, eV, row-major 3×3 (same sign as ForceResult.virial). */
  virial: Float64Array;
  /** Energy per row, eV (ghost rows: contributions still to be sent back, half lists only). */
  energies: Float64Array;
  /** Force per row, eV/Å, xyz interleaved. */
  forces: Float64Array;
  /** Per-row virial, eV, 6 per row (xx, yy, zz, xy, xz, yz, as ForceResult.atomVirial). */
  atomVirial: Float64Array;
}

/** Zeroed local forces for `nAll` rows. */
export function emptyLocalForces(nAll: number): LocalForces {
  return {
    energy: 0,
    virial: new Float64Array(9),
    energies: new Float64Array(nAll),
    forces: new Float64Array(3 * nAll),
    atomVirial: new Float64Array(6 * nAll),
  };
}

/** Adds row `i`'s per-atom virial (xx, yy, zz, xy, xz, yz; eV) to the rank's 3×3 virial. */
export function addAtomVirial(out: LocalForces, i: number): void {
  const v = out.atomVirial;
  const w = out.virial;
  w[0]! += v[6 * i]!;
  w[4]! += v[6 * i + 1]!;
  w[8]! += v[6 * i + 2]!;
  w[1]! += v[6 * i + 3]!;
  w[3]! += v[6 * i + 3]!;
  w[2]! += v[6 * i + 4]!;
  w[6]! += v[6 * i + 4]!;
  w[5]! += v[6 * i + 5]!;
  w[7]! += v[6 * i + 5]!;
}

/**
 * Tallies d ⊗ (fOverR·d) (d = r_i − r_j, eV) with weight `wGlobal` into the rank's virial and
 * `wAtom` into each listed row's per-atom virial.
 */
export function tallyVirial(
  out: LocalForces,
  rows: readonly number[],
  dx: number,
  dy: number,
  dz: number,
  fOverR: number,
  wGlobal: number,
  wAtom: number,
): void {
  const xx = dx * dx * fOverR;
  const yy = dy * dy * fOverR;
  const zz = dz * dz * fOverR;
  const xy = dx * dy * fOverR;
  const xz = dx * dz * fOverR;
  const yz = dy * dz * fOverR;
  const w = out.virial;
  w[0]! += wGlobal * xx;
  w[1]! += wGlobal * xy;
  w[2]! += wGlobal * xz;
  w[3]! += wGlobal * xy;
  w[4]! += wGlobal * yy;
  w[5]! += wGlobal * yz;
  w[6]! += wGlobal * xz;
  w[7]! += wGlobal * yz;
  w[8]! += wGlobal * zz;
  const av = out.atomVirial;
  for (const k of rows) {
    av[6 * k]! += wAtom * xx;
    av[6 * k + 1]! += wAtom * yy;
    av[6 * k + 2]! += wAtom * zz;
    av[6 * k + 3]! += wAtom * xy;
    av[6 * k + 4]! += wAtom * xz;
    av[6 * k + 5]! += wAtom * yz;
  }
}

/**
 * Visits every pair (owned row i, any row j ≠ i) of rows of visible types closer than `cutoff` Å: a full
 * neighbour list over owned and ghost rows (ghosts are explicit periodic images, so no minimum
 * image is taken). O(nLocal · nAll): the f64 reference, not the fast path.
 */
export function forEachFullPair(
  x: Float64Array,
  type: Int32Array,
  nLocal: number,
  nAll: number,
  cutoff: number,
  visible: (type: number) => boolean,
  visit: (i: number, j: number, dx: number, dy: number, dz: number, r2: number) => void,
): void {
  const rc2 = cutoff * cutoff;
  for (let i = 0; i < nLocal; i++) {
    if (!visible(type[i]!)) continue;
    const xi = x[3 * i]!;
    const yi = x[3 * i + 1]!;
    const zi = x[3 * i + 2]!;
    for (let j = 0; j < nAll; j++) {
      if (j === i || !visible(type[j]!)) continue;
      const dx = xi - x[3 * j]!;
      const dy = yi - x[3 * j + 1]!;
      const dz = zi - x[3 * j + 2]!;
      const r2 = dx * dx + dy * dy + dz * dz;
      if (r2 < rc2) visit(i, j, dx, dy, dz, r2);
    }
  }
}
