/**
 * Lennard-Jones on one rank of a decomposition, f64 (LAMMPS `pair_style lj/cut`): a full-list
 * variant (newton off: each owned atom sums over owned and ghost rows, nothing to send back) and a
 * half-list variant (newton on: each pair once over all ranks, forces and per-atom energies and
 * virials also land on ghost rows and must be added into their owners by the reverse exchange).
 */
import { type LennardJonesParams, lennardJonesPairEnergy } from '../reference/lennardJones.ts';
import { emptyLocalForces, forEachFullPair, type LocalForces, tallyVirial } from './localForces.ts';
import { checkGhostCutoff, pairForcesFull } from './pairStyle.ts';
import type { DomainRank } from './rank.ts';

/** Pair energy (eV) and −V'(r)/r (eV/Å²) at r², as [energy, fOverR]. */
function ljPair(p: LennardJonesParams, r2: number, eShift: number): [number, number] {
  const sr2 = (p.sigma * p.sigma) / r2;
  const sr6 = sr2 * sr2 * sr2;
  return [4 * p.epsilon * (sr6 * sr6 - sr6) - eShift, (24 * p.epsilon * (2 * sr6 * sr6 - sr6)) / r2];
}

function checkCutoff(rank: DomainRank, p: LennardJonesParams): void {
  checkGhostCutoff(rank, p.cutoff, 'LJ');
}

/**
 * Full neighbour list over owned + ghost rows: forces, energies and virials of owned rows are
 * complete on this rank (half of each pair's energy and virial to each side, as the reference).
 * Ghost rows stay zero; no reverse exchange is needed.
 */
export function lennardJonesFull(rank: DomainRank, p: LennardJonesParams): LocalForces {
  checkCutoff(rank, p);
  const eShift = p.shift ? lennardJonesPairEnergy(p.cutoff, p.epsilon, p.sigma) : 0;
  return pairForcesFull(rank, p.cutoff, (r2) => ljPair(p, r2, eShift));
}

/** True if (i, j') is the copy of a pair this rank computes: smaller id first, or a positive image. */
function ownsPair(rank: DomainRank, i: number, j: number): boolean {
  const a = rank.id[i]!;
  const b = rank.id[j]!;
  if (a !== b) return a < b;
  // An atom and its own image: keep the translation T with the first non-zero of (c, b, a) > 0.
  const g = 3 * (j - rank.nLocal);
  const t = [rank.ghostShift[g]!, rank.ghostShift[g + 1]!, rank.ghostShift[g + 2]!];
  return t[2] !== 0 ? t[2]! > 0 : t[1] !== 0 ? t[1]! > 0 : t[0]! > 0;
}

/**
 * Half neighbour list (newton on): every pair of owned rows once, and every (owned, ghost) pair on
 * exactly one of the two ranks that hold a copy of it (the copy whose owned atom has the smaller
 * id; for an atom and its own image, the positive translation). Ghost rows receive −f and half of
 * the energy and virial: call `reverseLocalForces` before using owned rows.
 */
export function lennardJonesHalf(rank: DomainRank, p: LennardJonesParams): LocalForces {
  checkCutoff(rank, p);
  const eShift = p.shift ? lennardJonesPairEnergy(p.cutoff, p.epsilon, p.sigma) : 0;
  const out = emptyLocalForces(rank.nAll);
  const rows = [0, 0];
  forEachFullPair(
    rank.x,
    rank.type,
    rank.nLocal,
    rank.nAll,
    p.cutoff,
    rank.visible,
    (i, j, dx, dy, dz, r2) => {
      if (j < rank.nLocal ? j < i : !ownsPair(rank, i, j)) return;
      const [e, fOverR] = ljPair(p, r2, eShift);
      out.energy += e;
      out.energies[i]! += 0.5 * e;
      out.energies[j]! += 0.5 * e;
      for (let a = 0; a < 3; a++) {
        const f = fOverR * (a === 0 ? dx : a === 1 ? dy : dz);
        out.forces[3 * i + a]! += f;
        out.forces[3 * j + a]! -= f;
      }
      rows[0] = i;
      rows[1] = j;
      tallyVirial(out, rows, dx, dy, dz, fOverR, 1, 0.5);
    },
  );
  return out;
}

/** Reverse exchange of forces, per-atom energies and per-atom virials (collective). */
export async function reverseLocalForces(rank: DomainRank, f: LocalForces): Promise<void> {
  await rank.reverse(f.forces, 3);
  await rank.reverse(f.energies, 1);
  await rank.reverse(f.atomVirial, 6);
}
