/**
 * Velocity Verlet on a decomposition, f64 (the distributed twin of reference/dynamics.ts nveStep):
 * v += dt/2·F/m; x += dt·v on owned atoms; then either re-neighbouring (wrap, migrate, new send
 * lists and ghosts) or a forward exchange of ghost positions; new forces; v += dt/2·F/m.
 */
import { ACCELERATION_PER_FORCE_OVER_MASS } from '../units.ts';
import type { LocalForces } from './localForces.ts';
import type { DomainRank } from './rank.ts';

/** Forces on the rank's rows, complete on owned rows (reverse exchange included where needed). */
export type DomainForceFn = (rank: DomainRank) => Promise<LocalForces>;

function kick(rank: DomainRank, forces: Float64Array, h: number): void {
  for (let i = 0; i < rank.nLocal; i++) {
    const k = (h * ACCELERATION_PER_FORCE_OVER_MASS) / rank.mass[i]!;
    for (let a = 0; a < 3; a++) rank.v[3 * i + a]! += k * forces[3 * i + a]!;
  }
}

/**
 * One velocity-Verlet step (collective). `forces` are those of the current positions, rows as the
 * rank holds them now; returns the new ones.
 * @param dt time step, fs
 * @param reneighbor re-neighbour after the drift (else only ghost positions are exchanged: the ghost
 *   cutoff must then exceed the potential's cutoff by a skin larger than twice any displacement since)
 */
export async function velocityVerletStep(
  rank: DomainRank,
  forces: LocalForces,
  force: DomainForceFn,
  dt: number,
  reneighbor: boolean,
): Promise<LocalForces> {
  kick(rank, forces.forces, dt / 2);
  for (let i = 0; i < rank.nLocal; i++) {
    for (let a = 0; a < 3; a++) rank.x[3 * i + a]! += dt * rank.v[3 * i + a]!;
  }
  if (reneighbor) await rank.reneighbor();
  else await rank.forwardPositions();
  const next = await force(rank);
  kick(rank, next.forces, dt / 2);
  return next;
}
