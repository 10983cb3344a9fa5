/**
 * The swap plan of one rank (LAMMPS CommBrick::setup, uniform layout): per dimension x, y, z, and
 * per hop, a swap sending to the lower neighbour (x−) then one sending to the upper neighbour (x+).
 * `need` = ⌊reach·P⌋ + 1 hops per direction reach every ghost within the ghost cutoff (several when
 * the cutoff exceeds a subdomain: multi-hop); along an open axis no rank sends across the cell's edge.
 * A swap whose partner is the rank itself copies periodic images in place (a self-swap).
 */
import { type DomainGrid, fractionalReach, neighborRank, rankCoords, subdomain, type Vec3 } from './grid.ts';

/** One swap of the plan, the same on every rank except for partners, slab and image. */
export interface Swap {
  /** Position in the plan (0-based); ghosts received here are stored after those of earlier swaps. */
  index: number;
  /** Axis 0, 1, 2 (x, y, z in lamda coordinates: a, b, c). */
  dim: number;
  /** Direction the atoms travel: −1 to the lower neighbour, +1 to the upper one. */
  dir: -1 | 1;
  /** Hop number along this axis and direction (0: nearest neighbour; ≥ 1: multi-hop forwarding). */
  hop: number;
  /** Rank the atoms are sent to. */
  sendTo: number;
  /** Rank atoms are received from. */
  recvFrom: number;
  /** True when this rank sends nothing on this swap (open axis edge); it still joins the exchange. */
  sendNothing: boolean;
  /** Fractional slab [slabLo, slabHi] (inclusive) along `dim` of the atoms sent. */
  slabLo: number;
  slabHi: number;
  /**
   * Lattice translation (in cell vectors) added to the atoms sent: +1 along `dim` when sending down
   * from the lowest rank of a periodic axis, −1 when sending up from the highest, else 0.
   */
  image: Vec3;
  /** True if sendTo is this rank: the swap copies in place. */
  self: boolean;
  /**
   * Which earlier rows are candidates: `all` = owned atoms and every ghost of earlier dimensions
   * (first hop), `lastHop` = only the ghosts received in the previous pair of swaps of this dimension.
   */
  candidates: 'all' | 'lastHop';
}

/** The whole plan of one rank. */
export interface SwapPlan {
  /** Ghost cutoff the plan was built for, Å (potential cutoff + skin). */
  ghostCutoff: number;
  /** Hops per direction along each axis (LAMMPS maxneed), the same on every rank. */
  need: Vec3;
  swaps: Swap[];
}

const BIG = Number.POSITIVE_INFINITY;

/** Number of hops per direction along each axis for a ghost cutoff (Å), the same on every rank. */
export function hopsNeeded(grid: DomainGrid, ghostCutoff: number): Vec3 {
  if (!(ghostCutoff > 0 && Number.isFinite(ghostCutoff))) {
    throw new Error(`ghost cutoff must be a finite length > 0 Å, got ${ghostCutoff}`);
  }
  const reach = fractionalReach(grid, ghostCutoff);
  return [0, 1, 2].map((a) => {
    const p = grid.dims[a]!;
    const n = Math.floor(reach[a]! * p) + 1;
    // Open axis: nothing lies beyond the cell, so at most P−1 neighbours can hold ghosts.
    return grid.pbc[a] ? n : Math.min(n, p - 1);
  }) as Vec3;
}

/** The swap plan of `rank` for a ghost cutoff (Å). */
export function swapPlan(grid: DomainGrid, rank: number, ghostCutoff: number): SwapPlan {
  const need = hopsNeeded(grid, ghostCutoff);
  const reach = fractionalReach(grid, ghostCutoff);
  const me = rankCoords(grid, rank);
  const { lo, hi } = subdomain(grid, rank);
  const swaps: Swap[] = [];
  for (let dim = 0; dim < 3; dim++) {
    const p = grid.dims[dim]!;
    const loc = me[dim]!;
    // LAMMPS sendneed along an open axis: nothing crosses the edge, and hop h forwards atoms of the
    // rank h boxes away from the sender, which must exist (loc + h < P going down, loc − h ≥ 0 up).
    const n = need[dim]!;
    const sendDown = grid.pbc[dim] ? n : loc === 0 ? 0 : Math.min(n, p - loc);
    const sendUp = grid.pbc[dim] ? n : loc === p - 1 ? 0 : Math.min(n, loc + 1);
    for (let k = 0; k < 2 * n; k++) {
      const hop = Math.floor(k / 2);
      const dir: -1 | 1 = k % 2 === 0 ? -1 : 1;
      const sendTo = neighborRank(grid, rank, dim, dir);
      const recvFrom = neighborRank(grid, rank, dim, dir === -1 ? 1 : -1);
      const image: Vec3 = [0, 0, 0];
      const mid = 0.5 * (lo[dim]! + hi[dim]!);
      let slabLo: number;
      let slabHi: number;
      if (dir === -1) {
        slabLo = hop === 0 ? -BIG : mid;
        slabHi = lo[dim]! + reach[dim]!;
        if (loc === 0) image[dim] = 1;
      } else {
        slabLo = hi[dim]! - reach[dim]!;
        slabHi = hop === 0 ? BIG : mid;
        if (loc === p - 1) image[dim] = -1;
      }
      swaps.push({
        index: swaps.length,
        dim,
        dir,
        hop,
        sendTo,
        recvFrom,
        sendNothing: hop >= (dir === -1 ? sendDown : sendUp),
        slabLo,
        slabHi,
        image,
        self: sendTo === rank,
        candidates: hop === 0 ? 'all' : 'lastHop',
      });
    }
  }
  return { ghostCutoff, need, swaps };
}
