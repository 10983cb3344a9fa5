/**
 * Cell grid and full neighbor list, f64 reference (the executable spec of kernels/neighbor/*.wgsl).
 */
import type { Batch } from '../batch.ts';
import { assertMinimumImage, cellLengths, minimumImageDelta, periodicAxes } from './pbc.ts';

/**
 * Atoms of one system binned into a grid of dims[0]×dims[1]×dims[2] cells covering its box.
 * Cell index c = cx + dims[0]·(cy + dims[1]·cz).
 */
export interface CellGrid {
  /** Cells per axis: max(1, floor(L_a / minCellSize)). */
  dims: [number, number, number];
  /** Cell of each atom of the system, indexed by local atom index i − atomsPtr[s]. */
  cellOf: Int32Array;
  /** Offsets into `atoms` per cell (length nCells + 1): cell c holds atoms[cellStart[c] .. cellStart[c+1]). */
  cellStart: Int32Array;
  /** Global atom indices sorted by cell, ascending index within a cell (a stable counting sort). */
  atoms: Int32Array;
}

/**
 * Cell of coordinate x along an axis of length l split into n cells. Periodic axes wrap x into
 * [0, l); non-periodic axes clamp to the first or last cell (atoms may leave an open box).
 */
function cellCoordinate(x: number, l: number, n: number, periodic: boolean): number {
  if (n === 1) return 0;
  let u = x / l;
  if (periodic) u -= Math.floor(u);
  const c = Math.floor(u * n);
  return Math.min(n - 1, Math.max(0, c));
}

/**
 * Bins every atom of system `system` (NULL atoms included) into cells at least `minCellSize` Å wide,
 * so that atoms closer than minCellSize lie in the same or adjacent cells.
 */
export function buildCellGrid(batch: Batch, system: number, minCellSize: number): CellGrid {
  if (!(minCellSize > 0)) throw new Error(`minCellSize must be > 0 Å, got ${minCellSize}`);
  const lengths = cellLengths(batch, system);
  const pbc = periodicAxes(batch, system);
  const dims: [number, number, number] = [
    Math.max(1, Math.floor(lengths[0] / minCellSize)),
    Math.max(1, Math.floor(lengths[1] / minCellSize)),
    Math.max(1, Math.floor(lengths[2] / minCellSize)),
  ];
  const nCells = dims[0] * dims[1] * dims[2];
  const begin = batch.atomsPtr[system]!;
  const end = batch.atomsPtr[system + 1]!;
  const cellOf = new Int32Array(end - begin);
  const cellStart = new Int32Array(nCells + 1);
  for (let i = begin; i < end; i++) {
    const cx = cellCoordinate(batch.positions[3 * i]!, lengths[0], dims[0], pbc[0]);
    const cy = cellCoordinate(batch.positions[3 * i + 1]!, lengths[1], dims[1], pbc[1]);
    const cz = cellCoordinate(batch.positions[3 * i + 2]!, lengths[2], dims[2], pbc[2]);
    const c = cx + dims[0] * (cy + dims[1] * cz);
    cellOf[i - begin] = c;
    cellStart[c + 1]!++;
  }
  for (let c = 0; c < nCells; c++) cellStart[c + 1]! += cellStart[c]!;
  const fill = cellStart.slice(0, nCells);
  const atoms = new Int32Array(end - begin);
  for (let i = begin; i < end; i++) atoms[fill[cellOf[i - begin]!]!++] = i;
  return { dims, cellOf, cellStart, atoms };
}

/** Distinct neighbor cell coordinates along one axis (−1, 0, +1; wrapped or dropped at the edges). */
function adjacent(c: number, n: number, periodic: boolean): number[] {
  const out: number[] = [];
  for (let o = -1; o <= 1; o++) {
    let k = c + o;
    if (periodic) k = (k + n) % n;
    else if (k < 0 || k >= n) continue;
    if (!out.includes(k)) out.push(k);
  }
  return out;
}

/**
 * Full neighbor list in CSR form: for each non-NULL atom i, every non-NULL atom j ≠ i of the same
 * system with |r_i − r_j| < cutoff (minimum image), sorted by ascending j. NULL atoms have no
 * neighbors. Built through a cell grid with cells at least `cutoff` wide.
 */
export function neighborListReference(
  batch: Batch,
  cutoff: number,
): { ptr: Int32Array; neighbors: Int32Array } {
  assertMinimumImage(batch, cutoff);
  const ptr = new Int32Array(batch.nAtoms + 1);
  const lists: number[][] = [];
  const cutoff2 = cutoff * cutoff;
  const d = new Float64Array(3);
  for (let s = 0; s < batch.nSystems; s++) {
    const grid = buildCellGrid(batch, s, cutoff);
    const lengths = cellLengths(batch, s);
    const pbc = periodicAxes(batch, s);
    const [nx, ny, nz] = grid.dims;
    const begin = batch.atomsPtr[s]!;
    const end = batch.atomsPtr[s + 1]!;
    for (let i = begin; i < end; i++) {
      const list: number[] = [];
      lists.push(list);
      if (batch.types[i] === -1) continue;
      const c = grid.cellOf[i - begin]!;
      const cx = c % nx;
      const cy = Math.floor(c / nx) % ny;
      const cz = Math.floor(c / (nx * ny));
      for (const kz of adjacent(cz, nz, pbc[2])) {
        for (const ky of adjacent(cy, ny, pbc[1])) {
          for (const kx of adjacent(cx, nx, pbc[0])) {
            const k = kx + nx * (ky + ny * kz);
            for (let m = grid.cellStart[k]!; m < grid.cellStart[k + 1]!; m++) {
              const j = grid.atoms[m]!;
              if (j === i || batch.types[j] === -1) continue;
              minimumImageDelta(batch.positions, i, j, lengths, pbc, d);
              if (d[0]! * d[0]! + d[1]! * d[1]! + d[2]! * d[2]! < cutoff2) list.push(j);
            }
          }
        }
      }
      list.sort((a, b) => a - b);
    }
  }
  let total = 0;
  for (let i = 0; i < batch.nAtoms; i++) {
    total += lists[i]!.length;
    ptr[i + 1] = total;
  }
  const neighbors = new Int32Array(total);
  for (let i = 0; i < batch.nAtoms; i++) neighbors.set(lists[i]!, ptr[i]!);
  return { ptr, neighbors };
}
