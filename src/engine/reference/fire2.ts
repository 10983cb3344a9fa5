/**
 * FIRE2 minimiser (Guénolé, Nöhring, Vaid, Houllé, Xie, Prakash, Bitzek, Comput. Mater. Sci. 175
 * (2020) 109584, Algorithm 2 with semi-implicit Euler), f64 reference: the executable spec of
 * kernels/integrators/fire2_*.wgsl. ASE 3.22 (Debian's python3-ase) has no FIRE2, so this follows
 * the paper; like the project's FIRE it is mass-weighted (v += dt·F/m, dt in fs) and limits each
 * system's displacement norm to maxStep (as ASE's later FIRE2 does). The paper's stop after
 * N_P≤0,max uphill steps is left to the stage's step budget.
 *
 * One step of a system, with F the forces at the current positions and i = 1, 2, … the step:
 *   P = Σ F·v
 *   P > 0: n⁺ += 1; if n⁺ > N_delay: dt ← min(dt·f_inc, dtMax), α ← α·f_α
 *   P ≤ 0: n⁺ ← 0; unless (initialDelay and i < N_delay): { if dt·f_dec ≥ dtMin: dt ← dt·f_dec;
 *          α ← α_start }; x ← x − dt/2·v; v ← 0
 *   v ← v + dt·F/m;  v ← (1 − α)·v + α·|v|·F/|F|;  dr = dt·v, scaled so that |dr| ≤ maxStep;  x ← x + dr
 */
import type { Batch } from '../batch.ts';
import { ACCELERATION_PER_FORCE_OVER_MASS } from '../units.ts';
import type { ForceFn, SystemMask } from './dynamics.ts';
import type { ForceResult } from './forceResult.ts';

const everySystem: SystemMask = () => true;

/** FIRE2's fixed constants (the paper's Table 1). */
export const FIRE2_CONSTANTS = { fInc: 1.1, fDec: 0.5, alphaStart: 0.25, fAlpha: 0.99 } as const;

/** Parameters of FIRE2. */
export interface Fire2Params {
  /** Largest time step, fs. */
  dtMax: number;
  /** Smallest time step (dt is not decreased below it), fs. */
  dtMin: number;
  /** Largest displacement of a system in one step (norm over all its atoms), Å. */
  maxStep: number;
  /** Positive-power steps before dt grows (N_delay). */
  nDelay: number;
  /** Keep dt and α on P ≤ 0 during the first nDelay steps. */
  initialDelay: boolean;
}

/** FIRE2's adaptive state, one per system. */
export interface Fire2State {
  /** Current time step, fs. */
  dt: number;
  /** Current mixing coefficient α. */
  alpha: number;
  /** Consecutive steps with P > 0. */
  nPositive: number;
  /** Steps taken so far. */
  steps: number;
}

/** FIRE2's state before its first step, with initial time step `dt` (fs). */
export function initialFire2State(dt: number): Fire2State {
  return { dt, alpha: FIRE2_CONSTANTS.alphaStart, nPositive: 0, steps: 0 };
}

/** FIRE2's whole update of the active systems with the forces of the last evaluation; mutates `state`. */
export function fire2PreUpdate(
  batch: Batch,
  f: Float64Array,
  p: Fire2Params,
  state: Fire2State[],
  active = everySystem,
): void {
  const v = batch.velocities;
  const x = batch.positions;
  const c = FIRE2_CONSTANTS;
  for (let s = 0; s < batch.nSystems; s++) {
    if (!active(s)) continue;
    const st = state[s];
    if (!st) throw new Error(`fire2: no Fire2State for system ${s}`);
    const first = batch.atomsPtr[s]!;
    const end = batch.atomsPtr[s + 1]!;
    let power = 0;
    for (let k = 3 * first; k < 3 * end; k++) power += f[k]! * v[k]!;
    const iteration = st.steps + 1;
    if (power > 0) {
      st.nPositive += 1;
      if (st.nPositive > p.nDelay) {
        st.dt = Math.min(st.dt * c.fInc, p.dtMax);
        st.alpha *= c.fAlpha;
      }
    } else {
      st.nPositive = 0;
      if (!(p.initialDelay && iteration < p.nDelay)) {
        if (st.dt * c.fDec >= p.dtMin) st.dt *= c.fDec;
        st.alpha = c.alphaStart;
      }
      for (let k = 3 * first; k < 3 * end; k++) {
        x[k]! -= 0.5 * st.dt * v[k]!;
        v[k] = 0;
      }
    }
    // Semi-implicit Euler: kick, mix, drift.
    let vv = 0;
    let ff = 0;
    for (let i = first; i < end; i++) {
      const kick = (st.dt * ACCELERATION_PER_FORCE_OVER_MASS) / batch.masses[i]!;
      for (let a = 0; a < 3; a++) {
        const k = 3 * i + a;
        v[k]! += kick * f[k]!;
        vv += v[k]! * v[k]!;
        ff += f[k]! * f[k]!;
      }
    }
    if (ff > 0) {
      const mix = (st.alpha * Math.sqrt(vv)) / Math.sqrt(ff);
      for (let k = 3 * first; k < 3 * end; k++) v[k] = (1 - st.alpha) * v[k]! + mix * f[k]!;
    }
    let dr2 = 0;
    for (let k = 3 * first; k < 3 * end; k++) dr2 += (st.dt * v[k]!) ** 2;
    const scale = Math.sqrt(dr2) > p.maxStep ? p.maxStep / Math.sqrt(dr2) : 1;
    for (let k = 3 * first; k < 3 * end; k++) x[k]! += scale * st.dt * v[k]!;
    st.steps += 1;
  }
}

/** One FIRE2 step of every system, then the forces at the new positions; mutates `state`. */
export function fire2Step(
  batch: Batch,
  forces: ForceResult,
  forceFn: ForceFn,
  p: Fire2Params,
  state: Fire2State[],
): ForceResult {
  fire2PreUpdate(batch, forces.forces, p, state);
  return forceFn(batch);
}

/** Largest |F| over all atoms, eV/Å. */
function maxForce(forces: Float64Array): number {
  let m = 0;
  for (let k = 0; k < forces.length; k += 3) {
    m = Math.max(m, Math.hypot(forces[k]!, forces[k + 1]!, forces[k + 2]!));
  }
  return m;
}

/**
 * Minimises with FIRE2 until max |F| < fmax (checked after each force evaluation, the initial one
 * included) or `maxSteps` steps; all systems step together. Velocities are used as given (zero
 * them first for a cold start, as the paper does).
 * @returns steps taken, final energy per system (eV), whether it converged, final max |F| (eV/Å)
 */
export function fire2Minimize(
  batch: Batch,
  forceFn: ForceFn,
  p: Fire2Params & { dt: number; fmax: number; maxSteps: number },
): { steps: number; energy: Float64Array; converged: boolean; maxForce: number } {
  const state = Array.from({ length: batch.nSystems }, () => initialFire2State(p.dt));
  let forces = forceFn(batch);
  let steps = 0;
  while (maxForce(forces.forces) >= p.fmax && steps < p.maxSteps) {
    forces = fire2Step(batch, forces, forceFn, p, state);
    steps++;
  }
  const fm = maxForce(forces.forces);
  return { steps, energy: forces.energy, converged: fm < p.fmax, maxForce: fm };
}
