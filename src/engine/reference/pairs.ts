/**
 * Every interacting pair of a system, periodic images included: the enumeration the f64 reference
 * potentials share. Works on LAMMPS's restricted triclinic cells of any size against the cutoff
 * (an atom also interacts with its own periodic images), with open axes that have no images.
 */
import type { Batch } from '../batch.ts';

/**
 * Called once per pair: atoms i ≤ j of one system, d = r_i − (r_j + T) for a lattice translation T,
 * r² = |d|² < cutoff². Every (i, j, T) with i < j comes once; an atom and its own image (i = j)
 * comes once per pair ±T (only the T with the first non-zero of (n_c, n_b, n_a) positive), so
 * that each physical pair of the infinite crystal is visited once per cell.
 */
export type PairVisitor = (i: number, j: number, dx: number, dy: number, dz: number, r2: number) => void;

/**
 * Checks that system `s` has a restricted triclinic cell on its periodic axes (a = (lx,0,0),
 * b = (xy,ly,0), c = (xz,yz,lz), l > 0 along periodic axes) and returns its 9 numbers.
 */
export function restrictedCell(batch: Batch, s: number): Float64Array {
  const c = batch.cells.subarray(9 * s, 9 * s + 9);
  if (c[1] !== 0 || c[2] !== 0 || c[5] !== 0) {
    throw new Error(
      `system ${s}: the cell is not in LAMMPS's restricted triclinic form (a = (lx,0,0), b = (xy,ly,0)); ` +
        'convert it with toRestrictedTriclinic',
    );
  }
  for (let a = 0; a < 3; a++) {
    const l = c[4 * a]!;
    if (batch.pbc[3 * s + a] === 1 && !(l > 0 && Number.isFinite(l))) {
      throw new Error(`system ${s}: periodic axis ${'abc'[a]} has length ${l} Å; it must be > 0`);
    }
  }
  return c;
}

/** Integers n with |x − n·l| < reach, i.e. ceil((x − reach)/l) ≤ n ≤ floor((x + reach)/l), as [lo, hi]. */
function imageRange(x: number, l: number, reach: number, periodic: boolean): [number, number] {
  if (!periodic) return [0, 0];
  return [Math.ceil((x - reach) / l), Math.floor((x + reach) / l)];
}

/**
 * Visits every pair of non-NULL atoms (type ≠ −1) of system `s` closer than `cutoff` Å, over all
 * periodic images (see {@link PairVisitor}). O(N²) in the atoms of the system plus the images.
 */
export function forEachPair(batch: Batch, s: number, cutoff: number, visit: PairVisitor): void {
  const cell = restrictedCell(batch, s);
  const [lx, , , xy, ly, , xz, yz, lz] = cell as unknown as [number, ...number[]];
  const pa = batch.pbc[3 * s] === 1;
  const pb = batch.pbc[3 * s + 1] === 1;
  const pc = batch.pbc[3 * s + 2] === 1;
  const rc2 = cutoff * cutoff;
  const { positions, types } = batch;
  const begin = batch.atomsPtr[s]!;
  const end = batch.atomsPtr[s + 1]!;
  for (let i = begin; i < end; i++) {
    if (types[i] === -1) continue;
    for (let j = i; j < end; j++) {
      if (types[j] === -1) continue;
      let dx = positions[3 * i]! - positions[3 * j]!;
      let dy = positions[3 * i + 1]! - positions[3 * j + 1]!;
      let dz = positions[3 * i + 2]! - positions[3 * j + 2]!;
      // Nearest image first (c, then b, then a: the cell matrix is lower triangular), so that the
      // image ranges below stay small; exact culling then finds every image within the cutoff.
      if (pc) {
        const n = Math.round(dz / lz!);
        dx -= n * xz!;
        dy -= n * yz!;
        dz -= n * lz!;
      }
      if (pb) {
        const n = Math.round(dy / ly!);
        dx -= n * xy!;
        dy -= n * ly!;
      }
      if (pa) dx -= Math.round(dx / lx!) * lx!;
      const [c0, c1] = imageRange(dz, lz!, cutoff, pc);
      for (let nc = c0; nc <= c1; nc++) {
        const z = dz - nc * lz!;
        const z2 = z * z;
        const reachB = Math.sqrt(Math.max(0, rc2 - z2));
        const yc = dy - nc * yz!;
        const xc = dx - nc * xz!;
        const [b0, b1] = imageRange(yc, ly!, reachB, pb);
        for (let nb = b0; nb <= b1; nb++) {
          const y = yc - nb * ly!;
          const yz2 = z2 + y * y;
          const reachA = Math.sqrt(Math.max(0, rc2 - yz2));
          const xb = xc - nb * xy!;
          const [a0, a1] = imageRange(xb, lx!, reachA, pa);
          for (let na = a0; na <= a1; na++) {
            if (i === j && (nc < 0 || (nc === 0 && (nb < 0 || (nb === 0 && na <= 0))))) continue;
            const x = xb - na * lx!;
            const r2 = yz2 + x * x;
            if (r2 >= rc2) continue;
            visit(i, j, x, y, z, r2);
          }
        }
      }
    }
  }
}
