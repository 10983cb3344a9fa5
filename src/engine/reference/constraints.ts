/**
 * Per-atom constraints, f64 reference (the executable spec of kernels/integrators/constrain_forces.wgsl).
 *
 * A frozen atom has infinite mass ({@link FROZEN_MASS} in `batch.masses`): every kick
 * (h·F/m), Langevin's noise (∝ 1/√m) and hence every drift vanish, it carries no kinetic energy and
 * no degrees of freedom (observables.ts, noseHoover.ts), and its force is zeroed after each
 * evaluation so that FIRE/FIRE2, whose velocity mixing uses system-wide norms, cannot move it
 * either: LAMMPS `fix setforce 0 0 0` on an atom at rest. Its per-atom energy is kept.
 * A force cap scales every atomic force longer than the system's maxForce down to it.
 */
import type { Batch } from '../batch.ts';

/** The mass that marks a frozen atom, amu. */
export const FROZEN_MASS = Number.POSITIVE_INFINITY;

/** True for the mass of a frozen atom. */
export function isFrozenMass(mass: number): boolean {
  return mass === FROZEN_MASS;
}

/** Frozen atoms (infinite mass) of system `s`. */
export function frozenAtomsOf(batch: Batch, s: number): number {
  let n = 0;
  for (let i = batch.atomsPtr[s]!; i < batch.atomsPtr[s + 1]!; i++) if (isFrozenMass(batch.masses[i]!)) n++;
  return n;
}

/**
 * Applies the constraints to `forces` (3 per atom, eV/Å) in place: atoms with `frozen[i]` ≠ 0 get
 * F = 0; the others, when |F| exceeds their system's `maxForce` (eV/Å; Infinity = no cap), get
 * F·maxForce/|F|. Either argument may be null.
 */
export function constrainForces(
  batch: Pick<Batch, 'nSystems' | 'atomsPtr'>,
  forces: Float64Array,
  frozen: Uint8Array | null,
  maxForce: Float64Array | null,
): void {
  for (let s = 0; s < batch.nSystems; s++) {
    const limit = maxForce ? maxForce[s]! : Number.POSITIVE_INFINITY;
    for (let i = batch.atomsPtr[s]!; i < batch.atomsPtr[s + 1]!; i++) {
      if (frozen?.[i]) {
        forces.fill(0, 3 * i, 3 * i + 3);
        continue;
      }
      const norm = Math.hypot(forces[3 * i]!, forces[3 * i + 1]!, forces[3 * i + 2]!);
      if (norm > limit) {
        const scale = limit / norm;
        for (let a = 0; a < 3; a++) forces[3 * i + a]! *= scale;
      }
    }
  }
}
