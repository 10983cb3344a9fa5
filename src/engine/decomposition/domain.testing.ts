/**
 * Test helpers for the decomposition: run a batch on a rank grid in process, gather per-atom
 * results by global id, and compare with a single-rank f64 reference.
 */
import type { Batch } from '../batch.ts';
import type { ForceResult } from '../reference/forceResult.ts';
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
