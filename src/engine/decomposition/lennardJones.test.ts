/**
 * Ghost sets and Lennard-Jones parity of the decomposition against the single-rank f64 reference:
 * grids 1×1×1 (self-swaps), 2×1×1, 4×1×1 (forwarded ghosts, multi-hop) and 2×2×2, periodic, partly
 * periodic and triclinic cells, NULL atoms, an empty rank and a rank owning only NULL atoms.
 */
import { describe, expect, it } from 'vitest';
import type { Batch } from '../batch.ts';
import { fractional } from '../cell.ts';
import { type LennardJonesParams, lennardJonesReference } from '../reference/lennardJones.ts';
import { randomTriclinicBatch } from '../reference/testing.ts';
import { mulberry32 } from '../structures/random.ts';
import { gather, ownedResult, parityError, runOnGrid } from './domain.testing.ts';
import { fractionalReach, rankCoords, subdomain } from './grid.ts';
import { lennardJonesFull, lennardJonesHalf, reverseLocalForces } from './lennardJones.ts';
import type { DomainRank } from './rank.ts';

const LJ: LennardJonesParams = { epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true };
const TOL = 1e-10;
type Dims = [number, number, number];
type Pbc = [boolean, boolean, boolean];

interface Case {
  name: string;
  dims: Dims;
  cell: number[];
  pbc?: Pbc;
  n: number;
  /** Edits the random batch (empty boxes, NULL atoms…). */
  edit?: (b: Batch) => Batch;
}

const cubic = (l: number) => [l, 0, 0, 0, l, 0, 0, 0, l];
const NULLS = [0, 0, -1, 0, 0, 0, 0, -1, 0]; // about one NULL atom in four

/** The batch without the atoms whose fractional position satisfies `drop`. */
function without(b: Batch, drop: (s: number[]) => boolean): Batch {
  const s = fractional(b.cells, b.positions);
  const keep: number[] = [];
  for (let i = 0; i < b.nAtoms; i++) if (!drop([s[3 * i]!, s[3 * i + 1]!, s[3 * i + 2]!])) keep.push(i);
  const pick = <T extends Float64Array | Int32Array>(arr: T, w: number) =>
    keep.flatMap((i) => Array.from(arr.subarray(w * i, w * i + w)));
  return {
    ...b,
    nAtoms: keep.length,
    atomsPtr: Int32Array.of(0, keep.length),
    positions: Float64Array.from(pick(b.positions, 3)),
    velocities: Float64Array.from(pick(b.velocities, 3)),
    masses: Float64Array.from(pick(b.masses, 1)),
    types: Int32Array.from(pick(b.types, 1)),
    atomicNumbers: Int32Array.from(pick(b.atomicNumbers, 1)),
  };
}

/** Marks NULL the atoms whose fractional position satisfies `which`. */
function nullWhere(b: Batch, which: (s: number[]) => boolean): Batch {
  const s = fractional(b.cells, b.positions);
  const types = b.types.slice();
  for (let i = 0; i < b.nAtoms; i++) if (which([s[3 * i]!, s[3 * i + 1]!, s[3 * i + 2]!])) types[i] = -1;
  return { ...b, types };
}

/** Moves the first k atoms to fractional x within ±0.01 of `sx` (straddling a boundary). */
function straddle(b: Batch, sx: number, k: number, type: number): Batch {
  const out = { ...b, positions: b.positions.slice(), types: b.types.slice() };
  const lx = b.cells[0]!;
  for (let i = 0; i < k; i++) {
    out.positions[3 * i] = ((sx + (i % 2 === 0 ? -0.01 : 0.01) + 1) % 1) * lx;
    out.types[i] = type;
  }
  return out;
}

const CASES: Case[] = [
  { name: '1×1×1: self-swaps only', dims: [1, 1, 1], cell: cubic(17.4), n: 60 },
  { name: '2×1×1', dims: [2, 1, 1], cell: cubic(17.4), n: 90 },
  { name: '4×1×1: ghosts forwarded over two hops', dims: [4, 1, 1], cell: cubic(17.4), n: 90 },
  { name: '2×2×2', dims: [2, 2, 2], cell: cubic(17.4), n: 90 },
  { name: '2×2×2 triclinic', dims: [2, 2, 2], cell: [17.0, 0, 0, 3.1, 16.5, 0, -2.2, 1.9, 17.8], n: 90 },
  { name: '2×2×1, y and z open', dims: [2, 2, 1], cell: cubic(17.4), pbc: [true, false, false], n: 90 },
  {
    name: '4×1×1, x open (multi-hop, no wrap)',
    dims: [4, 1, 1],
    cell: cubic(17.4),
    pbc: [false, true, true],
    n: 90,
  },
  {
    name: '1×1×1, cell smaller than the cutoff (two hops of self-swaps)',
    dims: [1, 1, 1],
    cell: cubic(7.0),
    n: 6,
  },
  {
    name: '2×1×1, cell smaller than the cutoff (multi-hop)',
    dims: [2, 1, 1],
    cell: [7.2, 0, 0, 1.0, 8.1, 0, 0.5, -0.7, 7.6],
    n: 8,
  },
  {
    name: '2×2×2 with an empty rank (7)',
    dims: [2, 2, 2],
    cell: cubic(17.4),
    n: 110,
    edit: (b) => without(b, (s) => s[0]! >= 0.5 && s[1]! >= 0.5 && s[2]! >= 0.5),
  },
  {
    name: '4×1×1 with a rank (2) owning only NULL atoms',
    dims: [4, 1, 1],
    cell: cubic(17.4),
    n: 90,
    edit: (b) => nullWhere(b, (s) => s[0]! >= 0.5 && s[0]! < 0.75),
  },
  {
    name: '2×1×1, NULL and real atoms straddling both boundaries',
    dims: [2, 1, 1],
    cell: cubic(17.4),
    n: 60,
    edit: (b) => straddle(straddle(b, 0.5, 6, -1), 0.0, 3, -1),
  },
];

function caseBatch(c: Case, seed = 7): Batch {
  const b = randomTriclinicBatch(c.n, c.cell, 3.0, mulberry32(seed), NULLS, c.pbc ?? [true, true, true]);
  return c.edit ? c.edit(b) : b;
}

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
  it.each(CASES)(
    '$name: ghosts are exactly the visible images within the ghost cutoff of the box',
    async (c) => {
      const batch = caseBatch(c);
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
  it.each(CASES)('$name: full list (no reverse exchange)', async (c) => {
    const batch = caseBatch(c);
    const want = lennardJonesReference(batch, LJ);
    const parts = await runOnGrid(batch, c.dims, LJ.cutoff, async (rank) =>
      ownedResult(rank, lennardJonesFull(rank, LJ)),
    );
    const err = parityError(gather(batch.nAtoms, parts), want);
    for (const [k, e] of Object.entries(err)) expect(e, k).toBeLessThan(TOL);
  });

  it.each(CASES)('$name: half list with the reverse exchange', async (c) => {
    const batch = caseBatch(c);
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
    const c = CASES[3]!; // 2×2×2
    const batch = caseBatch(c);
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
