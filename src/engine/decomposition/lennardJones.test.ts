/**
 * Ghost sets and Lennard-Jones parity of the decomposition against the single-rank f64 reference:
 * grids 1×1×1 (self-swaps), 2×1×1, 4×1×1 (forwarded ghosts, multi-hop) and 2×2×2, periodic, partly
 * periodic and triclinic cells, NULL atoms, an empty rank and a rank owning only NULL atoms.
 */
import { describe, expect, it } from 'vitest';
import type { Batch } from '../batch.ts';
import { fractional } from '../cell.ts';
import { type LennardJonesParams, lennardJonesReference } from '../reference/lennardJones.ts';
import {
  DOMAIN_CASES,
  domainCaseBatch,
  gather,
  ownedResult,
  parityError,
  runOnGrid,
} from './domain.testing.ts';
import { fractionalReach, rankCoords, subdomain } from './grid.ts';
import { lennardJonesFull, lennardJonesHalf, reverseLocalForces } from './lennardJones.ts';
import type { DomainRank } from './rank.ts';

const LJ: LennardJonesParams = { epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true };
const TOL = 1e-10;
/** Expected ghosts of a rank by brute force: "id:na,nb,nc" of every visible image in its extended box. */
function expectedGhosts(batch: Batch, rank: DomainRank): string[] {
  const grid = rank.grid;
  const reach = fractionalReach(grid, rank.plan.ghostCutoff);
  const { lo, hi } = subdomain(grid, rank.rank);
  const me = rankCoords(grid, rank.rank);
  const s = fractional(grid.cell, batch.positions);
  const out: string[] = [];
  const range = (a: number) => (grid.pbc[a] ? Math.ceil(reach[a]!) + 1 : 0);
  for (let j = 0; j < batch.nAtoms; j++) {
    if (batch.types[j] === -1) continue;
    const sj = [0, 1, 2].map((a) => {
      const u = s[3 * j + a]!;
      return grid.pbc[a] ? u - Math.floor(u) : u;
    });
    for (let nc = -range(2); nc <= range(2); nc++) {
      for (let nb = -range(1); nb <= range(1); nb++) {
        for (let na = -range(0); na <= range(0); na++) {
          const n = [na, nb, nc];
          const inside = [0, 1, 2].every((a) => {
            const u = sj[a]! + n[a]!;
            const open = !grid.pbc[a];
            const extLo = open && me[a] === 0 ? -Infinity : lo[a]! - reach[a]!;
            const extHi = open && me[a] === grid.dims[a]! - 1 ? Infinity : hi[a]! + reach[a]!;
            return u >= extLo && u <= extHi;
          });
          if (!inside) continue;
          const mine = na === 0 && nb === 0 && nc === 0 && rank.id.subarray(0, rank.nLocal).includes(j);
          if (!mine) out.push(`${j}:${na},${nb},${nc}`);
        }
      }
    }
  }
  return out.sort();
}

describe('decomposition: ghosts', () => {
  it.each(DOMAIN_CASES)(
    '$name: ghosts are exactly the visible images within the ghost cutoff of the box',
    async (c) => {
      const batch = domainCaseBatch(c);
      await runOnGrid(batch, c.dims, LJ.cutoff, async (rank) => {
        const got: string[] = [];
        for (let g = 0; g < rank.nGhost; g++) {
          const t = rank.ghostShift.subarray(3 * g, 3 * g + 3);
          got.push(`${rank.id[rank.nLocal + g]}:${t[0]},${t[1]},${t[2]}`);
        }
        expect(new Set(got).size).toBe(got.length); // no image twice
        expect(got.sort()).toEqual(expectedGhosts(batch, rank));
        // Ghost rows are stored contiguously in swap order.
        let next = rank.nLocal;
        for (const l of rank.lists) {
          expect(l.firstRecv).toBe(next);
          next += l.nRecv;
        }
        expect(next).toBe(rank.nAll);
      });
    },
  );
});

describe('decomposition: Lennard-Jones parity with the single-rank f64 reference', () => {
  it.each(DOMAIN_CASES)('$name: full list (no reverse exchange)', async (c) => {
    const batch = domainCaseBatch(c);
    const want = lennardJonesReference(batch, LJ);
    const parts = await runOnGrid(batch, c.dims, LJ.cutoff, async (rank) =>
      ownedResult(rank, lennardJonesFull(rank, LJ)),
    );
    const err = parityError(gather(batch.nAtoms, parts), want);
    for (const [k, e] of Object.entries(err)) expect(e, k).toBeLessThan(TOL);
  });

  it.each(DOMAIN_CASES)('$name: half list with the reverse exchange', async (c) => {
    const batch = domainCaseBatch(c);
    const want = lennardJonesReference(batch, LJ);
    const parts = await runOnGrid(batch, c.dims, LJ.cutoff, async (rank) => {
      const f = lennardJonesHalf(rank, LJ);
      await reverseLocalForces(rank, f);
      return ownedResult(rank, f);
    });
    const err = parityError(gather(batch.nAtoms, parts), want);
    for (const [k, e] of Object.entries(err)) expect(e, k).toBeLessThan(TOL);
  });

  it('the reverse exchange matters: without it the half list misses forces across ranks', async () => {
    const c = DOMAIN_CASES[3]!; // 2×2×2
    const batch = domainCaseBatch(c);
    const want = lennardJonesReference(batch, LJ);
    const parts = await runOnGrid(batch, c.dims, LJ.cutoff, async (rank) =>
      ownedResult(rank, lennardJonesHalf(rank, LJ)),
    );
    const err = parityError(gather(batch.nAtoms, parts), want);
    expect(err.energy).toBeLessThan(TOL); // each pair's energy is still counted once
    expect(err.forces).toBeGreaterThan(0.05);
    expect(err.energies).toBeGreaterThan(0.05);
  });
});
