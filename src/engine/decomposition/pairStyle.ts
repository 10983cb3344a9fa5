/**
 * What the f64 pair styles on a rank share (lennardJones.ts, referenceForces.ts): the check that
 * the ghosts reach the cutoff, and the full-list sum of a pair potential.
 */
import { emptyLocalForces, forEachFullPair, type LocalForces, tallyVirial } from './localForces.ts';
import type { DomainRank } from './rank.ts';

/** Throws unless the rank's ghosts reach at least `cutoff` Å (`what`: the potential, e.g. `LJ`). */
export function checkGhostCutoff(rank: DomainRank, cutoff: number, what: string): void {
  if (cutoff > rank.plan.ghostCutoff) {
    throw new Error(
      `${what} cutoff ${cutoff} Å exceeds the ghost cutoff ${rank.plan.ghostCutoff} Å of the decomposition`,
    );
  }
}

/**
 * Full neighbour list over owned + ghost rows of visible types closer than `cutoff` Å: forces,
 * energies and virials of owned rows are complete on this rank (half of each pair's energy and
 * virial to each side, as the reference). Ghost rows stay zero; no reverse exchange is needed.
 * `pair(r2)` gives the pair energy (eV) and −V'(r)/r (eV/Å²) at r² (Å²), as [energy, fOverR].
 */
export function pairForcesFull(
  rank: DomainRank,
  cutoff: number,
  pair: (r2: number) => readonly [number, number],
): LocalForces {
  const out = emptyLocalForces(rank.nAll);
  const rows = [0];
  forEachFullPair(
    rank.x,
    rank.type,
    rank.nLocal,
    rank.nAll,
    cutoff,
    rank.visible,
    (i, _j, dx, dy, dz, r2) => {
      const [e, fOverR] = pair(r2);
      out.energy += 0.5 * e;
      out.energies[i]! += 0.5 * e;
      out.forces[3 * i]! += fOverR * dx;
      out.forces[3 * i + 1]! += fOverR * dy;
      out.forces[3 * i + 2]! += fOverR * dz;
      rows[0] = i;
      tallyVirial(out, rows, dx, dy, dz, fOverR, 0.5, 0.5);
    },
  );
  return out;
}
