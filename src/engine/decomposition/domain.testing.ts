/**
 * Test helpers for the decomposition: run a batch on a rank grid in process, gather per-atom
 * results by global id, and compare with a single-rank f64 reference.
 */
import { type PipelineSpec, parseSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import { fractional } from '../cell.ts';
import type { ForceResult } from '../reference/forceResult.ts';
import { randomTriclinicBatch } from '../reference/testing.ts';
import { mulberry32 } from '../structures/random.ts';
import { domainGrid } from './grid.ts';
import type { InProcessWorld } from './inProcess.ts';
import { runRanks } from './inProcess.ts';
import type { LocalForces } from './localForces.ts';
import { DomainRank, notNull, type TypeVisibility } from './rank.ts';
import { allreduce } from './reduce.ts';

/** Runs `body` on every rank of a grid over the batch's one system, after the first re-neighbouring. */
export function runOnGrid<T>(
  batch: Batch,
  dims: [number, number, number],
  ghostCutoff: number,
  body: (rank: DomainRank, world: InProcessWorld) => Promise<T>,
  visible: TypeVisibility = notNull,
): Promise<T[]> {
  const pbc: [boolean, boolean, boolean] = [batch.pbc[0] === 1, batch.pbc[1] === 1, batch.pbc[2] === 1];
  const grid = domainGrid(dims, batch.cells.subarray(0, 9), pbc);
  return runRanks(grid.size, async (transport, world) => {
    const rank = new DomainRank(grid, transport, ghostCutoff, visible);
    rank.loadFromBatch(batch);
    await rank.reneighbor();
    return body(rank, world);
  });
}

/** Owned-atom results of one rank, by global id. */
export interface RankForces {
  ids: Int32Array;
  forces: Float64Array;
  energies: Float64Array;
  atomVirial: Float64Array;
  /** Reduced over all ranks (the same on each). */
  energy: number;
  virial: Float64Array;
}

/** Reduces energy and virial over ranks and keeps the owned rows (collective). */
export async function ownedResult(rank: DomainRank, f: LocalForces): Promise<RankForces> {
  const totals = await allreduce(
    rank.transport,
    Float64Array.of(f.energy, ...f.virial),
    'sum',
    rank.nextTag('sum'),
  );
  const n = rank.nLocal;
  return {
    ids: rank.id.slice(0, n),
    forces: f.forces.slice(0, 3 * n),
    energies: f.energies.slice(0, n),
    atomVirial: f.atomVirial.slice(0, 6 * n),
    energy: totals[0]!,
    virial: totals.slice(1),
  };
}

/** Per-rank owned results assembled into global arrays (throws on a lost or duplicated atom). */
export function gather(nAtoms: number, parts: readonly RankForces[]): ForceResult {
  const seen = new Int32Array(nAtoms);
  const out: ForceResult = {
    energy: Float64Array.of(parts[0]!.energy),
    energies: new Float64Array(nAtoms),
    forces: new Float64Array(3 * nAtoms),
    virial: parts[0]!.virial.slice(),
    atomVirial: new Float64Array(6 * nAtoms),
    stress: new Float64Array(9),
  };
  for (const p of parts) {
    p.ids.forEach((id, k) => {
      seen[id]!++;
      out.energies[id] = p.energies[k]!;
      for (let a = 0; a < 3; a++) out.forces[3 * id + a] = p.forces[3 * k + a]!;
      for (let a = 0; a < 6; a++) out.atomVirial[6 * id + a] = p.atomVirial[6 * k + a]!;
    });
  }
  const bad = seen.findIndex((c) => c !== 1);
  if (bad >= 0) throw new Error(`atom ${bad} is owned by ${seen[bad]} ranks`);
  return out;
}

/** Largest |a − b| relative to max(1e-300, max |b|), over arrays of equal length. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let err = 0;
  let scale = 1e-300;
  for (let k = 0; k < b.length; k++) {
    err = Math.max(err, Math.abs(a[k]! - b[k]!));
    scale = Math.max(scale, Math.abs(b[k]!));
  }
  return err / scale;
}

/** Worst relative error of energy, forces, per-atom energies, virial and per-atom virials. */
export function parityError(got: ForceResult, want: ForceResult): Record<string, number> {
  return {
    energy: relativeError(got.energy, want.energy),
    forces: relativeError(got.forces, want.forces),
    energies: relativeError(got.energies, want.energies),
    virial: relativeError(got.virial, want.virial),
    atomVirial: relativeError(got.atomVirial, want.atomVirial),
  };
}

// Shared geometries of the decomposition tests (f64 and GPU).

/** Cubic cell of edge `l` Å, row-major. */
export const cubic = (l: number): number[] => [l, 0, 0, 0, l, 0, 0, 0, l];
/** Types drawn by the random batches: about one NULL atom in four. */
export const NULLS = [0, 0, -1, 0, 0, 0, 0, -1, 0];

/** The batch without the atoms whose fractional position satisfies `drop`. */
export function without(b: Batch, drop: (s: number[]) => boolean): Batch {
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
export function nullWhere(b: Batch, which: (s: number[]) => boolean): Batch {
  const s = fractional(b.cells, b.positions);
  const types = b.types.slice();
  for (let i = 0; i < b.nAtoms; i++) if (which([s[3 * i]!, s[3 * i + 1]!, s[3 * i + 2]!])) types[i] = -1;
  return { ...b, types };
}

/** Moves the first k atoms to fractional x within ±0.01 of `sx` (straddling a boundary), of type `type`. */
export function straddle(b: Batch, sx: number, k: number, type: number): Batch {
  const out = { ...b, positions: b.positions.slice(), types: b.types.slice() };
  const lx = b.cells[0]!;
  for (let i = 0; i < k; i++) {
    out.positions[3 * i] = ((sx + (i % 2 === 0 ? -0.01 : 0.01) + 1) % 1) * lx;
    out.types[i] = type;
  }
  return out;
}

/** A grid case over a random batch (lennardJones.test.ts and the GPU force-field tests). */
export interface DomainCase {
  name: string;
  dims: [number, number, number];
  cell: number[];
  pbc?: [boolean, boolean, boolean];
  /** Atoms drawn (at least 3 Å apart). */
  n: number;
  /** Edits the random batch (empty boxes, NULL atoms…). */
  edit?: (b: Batch) => Batch;
}

/** Grids, cells and the hard cases of DESIGN §5 for an 8.5 Å cutoff. */
export const DOMAIN_CASES: DomainCase[] = [
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

/** The random batch of a case (types from {@link NULLS}). */
export function domainCaseBatch(c: DomainCase, seed = 7): Batch {
  const b = randomTriclinicBatch(c.n, c.cell, 3.0, mulberry32(seed), NULLS, c.pbc ?? [true, true, true]);
  return c.edit ? c.edit(b) : b;
}

/** fcc a = 3.6 Å, k×k×k cells, positions jittered by ±0.15 Å, types drawn from `types` (the EAM tests). */
export function jitteredFcc(
  k: number,
  types: number[],
  cell?: number[],
  pbc: [boolean, boolean, boolean] = [true, true, true],
): Batch {
  const a = 3.6;
  const rnd = mulberry32(11);
  const basis = [
    [0, 0, 0],
    [0.5, 0.5, 0],
    [0.5, 0, 0.5],
    [0, 0.5, 0.5],
  ];
  const pos: number[] = [];
  for (let x = 0; x < k; x++)
    for (let y = 0; y < k; y++)
      for (let z = 0; z < k; z++)
        for (const b of basis)
          pos.push(...[x + b[0]!, y + b[1]!, z + b[2]!].map((u) => u * a + 0.3 * (rnd() - 0.5)));
  const n = pos.length / 3;
  const c = cell ?? [k * a, 0, 0, 0, k * a, 0, 0, 0, k * a];
  return {
    nAtoms: n,
    nSystems: 1,
    atomsPtr: Int32Array.of(0, n),
    positions: Float64Array.from(pos),
    velocities: new Float64Array(3 * n),
    masses: new Float64Array(n).fill(63.5),
    types: Int32Array.from({ length: n }, () => types[Math.floor(rnd() * types.length)]!),
    atomicNumbers: new Int32Array(n),
    cells: Float64Array.from(c),
    pbc: Uint8Array.from(pbc, (p) => (p ? 1 : 0)),
    systemIds: Int32Array.of(0),
  };
}

/**
 * The runtime tests' system: hot argon at liquid density, 256 atoms in a 22.8 Å cube (subdomains of
 * 11.4 Å on 2×2×2), `steps` NVE steps of 5 fs logged every 10, split over `grid` (1×1×1 included:
 * the same runtime with only self-swaps, which the schema alone refuses).
 */
export function hotArgonSpec(grid: [number, number, number], steps: number): PipelineSpec {
  const s = parseSpec({
    version: 1,
    system: {
      kind: 'fcc',
      element: 'Ar',
      mass: 39.948,
      latticeConstant: 5.7,
      repeat: [4, 4, 4],
      temperature: 200,
      jitter: 0.1,
      seed: 3,
    },
    potential: { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true },
    neighbor: { skin: 1 },
    stages: [{ kind: 'nve', steps, dt: 5, hooks: [{ kind: 'log', every: 10 }] }],
    placement: { kind: 'domain', grid: [2, 1, 1] },
  });
  s.placement = { kind: 'domain', grid };
  return s;
}
