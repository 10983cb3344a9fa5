/**
 * A Px×Py×Pz grid of ranks over one system (DESIGN §5, LAMMPS `processors Px Py Pz`): uniform
 * subdomains in fractional (LAMMPS "lamda") coordinates of a restricted triclinic cell, so that
 * orthorhombic and triclinic cells are handled alike. Rank r sits at grid coordinates
 * (r mod Px, ⌊r/Px⌋ mod Py, ⌊r/(Px·Py)⌋) and owns the fractional box
 * [i/P, (i+1)/P) along each axis; along an open axis the first and last ranks also own whatever
 * lies beyond the cell.
 */
import { fractional, isRestrictedTriclinic, perpendicularHeights } from '../cell.ts';

/** Three numbers, one per cell axis a, b, c. */
export type Vec3 = [number, number, number];

/** The rank grid over one system's cell. */
export interface DomainGrid {
  /** Ranks per axis (Px, Py, Pz). */
  dims: Vec3;
  /** The cell, Å: rows a = (lx,0,0), b = (xy,ly,0), c = (xz,yz,lz) (LAMMPS restricted triclinic). */
  cell: Float64Array;
  /** Periodicity per axis. */
  pbc: [boolean, boolean, boolean];
  /** Number of ranks, Px·Py·Pz. */
  size: number;
}

/** Builds and checks a rank grid. Throws on a bad grid shape or a cell not in restricted form. */
export function domainGrid(
  dims: readonly [number, number, number],
  cell: ArrayLike<number>,
  pbc: readonly [boolean, boolean, boolean],
): DomainGrid {
  for (const p of dims) {
    if (!(Number.isInteger(p) && p >= 1)) {
      throw new Error(`rank grid ${dims.join('×')}: every count must be an integer ≥ 1`);
    }
  }
  const c = Float64Array.from(cell);
  if (c.length !== 9 || !isRestrictedTriclinic(c)) {
    throw new Error(
      "the rank grid needs a cell in LAMMPS's restricted triclinic form (a = (lx,0,0), b = (xy,ly,0), c = (xz,yz,lz), l > 0)",
    );
  }
  return {
    dims: [dims[0], dims[1], dims[2]],
    cell: c,
    pbc: [pbc[0], pbc[1], pbc[2]],
    size: dims[0] * dims[1] * dims[2],
  };
}

/** Grid coordinates of a rank. */
export function rankCoords(grid: DomainGrid, rank: number): Vec3 {
  const [px, py] = grid.dims;
  return [rank % px, Math.floor(rank / px) % py, Math.floor(rank / (px * py))];
}

/** Rank at grid coordinates (each within 0 … P−1). */
export function rankAt(grid: DomainGrid, coords: readonly number[]): number {
  const [px, py] = grid.dims;
  return coords[0]! + px * (coords[1]! + py * coords[2]!);
}

/** The neighbour of `rank` one step along `dim` in direction `dir`, wrapping around the grid. */
export function neighborRank(grid: DomainGrid, rank: number, dim: number, dir: -1 | 1): number {
  const c = rankCoords(grid, rank);
  const p = grid.dims[dim]!;
  c[dim] = (c[dim]! + dir + p) % p;
  return rankAt(grid, c);
}

/** Fractional box [lo, hi) of a rank along each axis. */
export function subdomain(grid: DomainGrid, rank: number): { lo: Vec3; hi: Vec3 } {
  const c = rankCoords(grid, rank);
  const lo = c.map((i, a) => i / grid.dims[a]!) as Vec3;
  const hi = c.map((i, a) => (i + 1) / grid.dims[a]!) as Vec3;
  return { lo, hi };
}

/** Grid coordinate along an axis of P ranks that owns fractional coordinate s (wrapped or clamped). */
export function ownerCoordinate(s: number, p: number, periodic: boolean): number {
  let u = s;
  if (periodic) {
    u -= Math.floor(u);
    if (u >= 1) u = 0;
  }
  return Math.min(p - 1, Math.max(0, Math.floor(u * p)));
}

/** The rank owning fractional position (sa, sb, sc). */
export function ownerOfFractional(grid: DomainGrid, s: ArrayLike<number>): number {
  return rankAt(
    grid,
    [0, 1, 2].map((a) => ownerCoordinate(s[a]!, grid.dims[a]!, grid.pbc[a]!)),
  );
}

/** The rank owning Cartesian position r (Å). */
export function ownerOf(grid: DomainGrid, r: ArrayLike<number>): number {
  return ownerOfFractional(grid, fractional(grid.cell, [r[0]!, r[1]!, r[2]!]));
}

/**
 * A Cartesian distance (Å) in fractional units per axis: rc / h_a with h_a the distance between the
 * cell's opposite faces (LAMMPS's `cutghost` in lamda coordinates). Every point within rc (Å) of a
 * fractional box lies within these margins of it.
 */
export function fractionalReach(grid: DomainGrid, distance: number): Vec3 {
  const h = perpendicularHeights(grid.cell);
  return [distance / h[0], distance / h[1], distance / h[2]];
}
