/**
 * Orthorhombic cells and the minimum-image convention, shared by the f64 reference functions.
 */
import type { Batch } from '../batch.ts';

/** Cell lengths (Lx, Ly, Lz) of system `s`, Å; throws if the cell is not orthorhombic. */
export function cellLengths(batch: Batch, s: number): [number, number, number] {
  const c = batch.cells.subarray(9 * s, 9 * s + 9);
  if (c[1] !== 0 || c[2] !== 0 || c[3] !== 0 || c[5] !== 0 || c[6] !== 0 || c[7] !== 0) {
    throw new Error(
      `system ${s}: only orthorhombic cells are supported (off-diagonal cell entries must be 0)`,
    );
  }
  return [c[0]!, c[4]!, c[8]!];
}

/** Periodicity flags of system `s`. */
export function periodicAxes(batch: Batch, s: number): [boolean, boolean, boolean] {
  return [batch.pbc[3 * s] === 1, batch.pbc[3 * s + 1] === 1, batch.pbc[3 * s + 2] === 1];
}

/**
 * Throws unless every periodic cell length of every system exceeds 2·cutoff, the condition under
 * which the minimum image is the only image within the cutoff.
 */
export function assertMinimumImage(batch: Batch, cutoff: number): void {
  for (let s = 0; s < batch.nSystems; s++) {
    const lengths = cellLengths(batch, s);
    const pbc = periodicAxes(batch, s);
    for (let a = 0; a < 3; a++) {
      if (pbc[a] && !(lengths[a]! > 2 * cutoff)) {
        throw new Error(
          `system ${s}: periodic cell length ${'xyz'[a]} = ${lengths[a]} Å must exceed 2 × cutoff = ${2 * cutoff} Å (minimum image)`,
        );
      }
    }
  }
}

/**
 * Writes r_i − r_j (Å) into `out`, wrapped to the nearest image along periodic axes.
 */
export function minimumImageDelta(
  positions: Float64Array,
  i: number,
  j: number,
  lengths: readonly [number, number, number],
  pbc: readonly [boolean, boolean, boolean],
  out: Float64Array,
): void {
  for (let a = 0; a < 3; a++) {
    let d = positions[3 * i + a]! - positions[3 * j + a]!;
    if (pbc[a]) {
      const l = lengths[a]!;
      d -= l * Math.round(d / l);
    }
    out[a] = d;
  }
}
