/**
 * Integrators and the FIRE minimiser, f64 reference (the executable spec of kernels/integrators/*.wgsl).
 * Every function mutates batch.positions and batch.velocities in place and returns the forces of the
 * new positions. NULL atoms are integrated too; they simply feel no force.
 */
import type { Batch } from '../batch.ts';
import { ACCELERATION_PER_FORCE_OVER_MASS, BOLTZMANN_EV_PER_K } from '../units.ts';
import type { ForceResult } from './lennardJones.ts';
import { gaussian, systemSeed } from './rng.ts';

/** Evaluates energies, forces and virials at the batch's current positions. */
export type ForceFn = (batch: Batch) => ForceResult;

/** Which systems an update touches; all when omitted (masked updates, DESIGN §4). */
export type SystemMask = (system: number) => boolean;

const everySystem: SystemMask = () => true;

/** Calls `body(i)` for every atom of the systems selected by `active`. */
function forActiveAtoms(batch: Batch, active: SystemMask, body: (i: number) => void): void {
  for (let s = 0; s < batch.nSystems; s++) {
    if (!active(s)) continue;
    for (let i = batch.atomsPtr[s]!; i < batch.atomsPtr[s + 1]!; i++) body(i);
  }
}

/** v += h·F/m (h in fs; F/m converted to Å/fs²). */
export function kick(batch: Batch, forces: Float64Array, h: number, active: SystemMask = everySystem): void {
  forActiveAtoms(batch, active, (i) => {
    const k = (h * ACCELERATION_PER_FORCE_OVER_MASS) / batch.masses[i]!;
    for (let a = 0; a < 3; a++) batch.velocities[3 * i + a]! += k * forces[3 * i + a]!;
  });
}

/** x += h·v (h in fs). */
export function drift(batch: Batch, h: number, active: SystemMask = everySystem): void {
  forActiveAtoms(batch, active, (i) => {
    for (let a = 0; a < 3; a++) batch.positions[3 * i + a]! += h * batch.velocities[3 * i + a]!;
  });
}

/** Velocity Verlet before the force evaluation: v += dt/2·a; x += dt·v (dt in fs). */
export function nvePreUpdate(batch: Batch, forces: Float64Array, dt: number, active = everySystem): void {
  kick(batch, forces, dt / 2, active);
  drift(batch, dt, active);
}

/** The last half kick of velocity Verlet and of BAOAB, with the new forces: v += dt/2·a. */
export function halfKickPostUpdate(
  batch: Batch,
  forces: Float64Array,
  dt: number,
  active = everySystem,
): void {
  kick(batch, forces, dt / 2, active);
}

/**
 * One velocity-Verlet step: v += dt/2·a; x += dt·v; F ← forceFn; v += dt/2·a.
 * @param forces forces at the current positions (from the previous step or an initial evaluation)
 * @param dt time step, fs
 */
export function nveStep(batch: Batch, forces: ForceResult, forceFn: ForceFn, dt: number): ForceResult {
  nvePreUpdate(batch, forces.forces, dt);
  const next = forceFn(batch);
  halfKickPostUpdate(batch, next.forces, dt);
  return next;
}

/** Parameters of one Langevin step. */
export interface LangevinParams {
  /** Time step, fs. */
  dt: number;
  /** Target temperature, K. */
  temperature: number;
  /** Friction coefficient γ, 1/fs. */
  friction: number;
  /** Seed of the counter-based random numbers. */
  seed: number;
  /** The system's step counter within the current stage, before this step (the RNG counter). */
  step: number;
}

/**
 * BAOAB before the force evaluation: v += dt/2·a; x += dt/2·v; v = c1·v + sqrt((1 − c1²)·kB·T/m)·g;
 * x += dt/2·v, with c1 = exp(−γ·dt) and g = gaussian(systemSeed(seed, system id), step of the atom's
 * system, index of the atom within its system, component): the noise of a system depends on its id,
 * not on its slot or batch.
 * @param stepOfSystem each system's step counter within the stage, before this step
 */
export function langevinPreUpdate(
  batch: Batch,
  forces: Float64Array,
  p: Omit<LangevinParams, 'step'>,
  stepOfSystem: ArrayLike<number>,
  active = everySystem,
): void {
  kick(batch, forces, p.dt / 2, active);
  drift(batch, p.dt / 2, active);
  const c1 = Math.exp(-p.friction * p.dt);
  for (let s = 0; s < batch.nSystems; s++) {
    if (!active(s)) continue;
    const step = stepOfSystem[s]!;
    const seed = systemSeed(p.seed, batch.systemIds[s]!);
    const first = batch.atomsPtr[s]!;
    for (let i = first; i < batch.atomsPtr[s + 1]!; i++) {
      langevinNoiseAtom(batch.velocities, i, batch.masses[i]!, c1, p.temperature, seed, step, i - first);
    }
  }
  drift(batch, p.dt / 2, active);
}

/**
 * BAOAB's O part for one atom (row `row` of `velocities`, mass in amu): v ← c1·v +
 * sqrt((1 − c1²)·kB·T/m)·g with g = gaussian(seed, step, atom, component), T in K, v in Å/fs.
 * `atom` keys the noise: the atom's index within its system (the domain decomposition passes the
 * global atom id, so that every rank draws what a one-rank run draws).
 */
export function langevinNoiseAtom(
  velocities: Float64Array,
  row: number,
  mass: number,
  c1: number,
  temperature: number,
  seed: number,
  step: number,
  atom: number,
): void {
  // kB·T/m in eV/amu, converted to (Å/fs)².
  const sigma = Math.sqrt(
    ((1 - c1 * c1) * BOLTZMANN_EV_PER_K * temperature * ACCELERATION_PER_FORCE_OVER_MASS) / mass,
  );
  for (let a = 0; a < 3; a++) {
    const k = 3 * row + a;
    velocities[k] = c1 * velocities[k]! + sigma * gaussian(seed, step, atom, a);
  }
}

/**
 * One Langevin step with the BAOAB splitting (Leimkuhler–Matthews): {@link langevinPreUpdate},
 * F ← forceFn, v += dt/2·a. The RNG counter is `p.step` for every system.
 */
export function langevinStep(
  batch: Batch,
  forces: ForceResult,
  forceFn: ForceFn,
  p: LangevinParams,
): ForceResult {
  langevinPreUpdate(batch, forces.forces, p, new Array<number>(batch.nSystems).fill(p.step));
  const next = forceFn(batch);
  halfKickPostUpdate(batch, next.forces, p.dt);
  return next;
}

/** FIRE's fixed constants (ASE's defaults). */
export const FIRE_CONSTANTS = { nMin: 5, fInc: 1.1, fDec: 0.5, alphaStart: 0.1, fAlpha: 0.99 } as const;

/** Parameters of FIRE. */
export interface FireParams {
  /** Largest time step, fs. */
  dtMax: number;
  /** Largest displacement of a system in one step (norm over all its atoms), Å. */
  maxStep: number;
}

/** FIRE's adaptive state, one per system. */
export interface FireState {
  /** Current time step, fs. */
  dt: number;
  /** Current mixing coefficient α. */
  alpha: number;
  /** Consecutive steps with P = F·v > 0. */
  nPositive: number;
  /** False until the first step (which skips the P test). */
  started: boolean;
}

/** FIRE's state before its first step, with initial time step `dt` (fs). */
export function initialFireState(dt: number): FireState {
  return { dt, alpha: FIRE_CONSTANTS.alphaStart, nPositive: 0, started: false };
}

/**
 * One FIRE step per system (ASE's variant, mass-weighted: v += dt·F/m). With P = Σ F·v over the
 * system: if P > 0, v ← (1 − α)v + α|v|F/|F| and, after more than Nmin positive steps,
 * dt ← min(dt·finc, dtMax), α ← α·fα; otherwise v ← 0, α ← αstart, dt ← dt·fdec. The first step
 * skips this test. Then v += dt·a, dr = dt·v scaled down so that |dr| ≤ maxStep (norm over the
 * system), x += dr, and forces are evaluated. Mutates `state`.
 */
export function fireStep(
  batch: Batch,
  forces: ForceResult,
  forceFn: ForceFn,
  p: FireParams,
  state: FireState[],
): ForceResult {
  firePreUpdate(batch, forces.forces, p, state);
  return forceFn(batch);
}

/** FIRE's whole update (see {@link fireStep}) with the forces of the last evaluation; mutates `state`. */
export function firePreUpdate(
  batch: Batch,
  f: Float64Array,
  p: FireParams,
  state: FireState[],
  active = everySystem,
): void {
  const v = batch.velocities;
  const x = batch.positions;
  const c = FIRE_CONSTANTS;
  for (let s = 0; s < batch.nSystems; s++) {
    if (!active(s)) continue;
    const st = state[s];
    if (!st) throw new Error(`fireStep: no FireState for system ${s}`);
    const begin = 3 * batch.atomsPtr[s]!;
    const end = 3 * batch.atomsPtr[s + 1]!;
    if (st.started) {
      let power = 0;
      let vv = 0;
      let ff = 0;
      for (let k = begin; k < end; k++) {
        power += f[k]! * v[k]!;
        vv += v[k]! * v[k]!;
        ff += f[k]! * f[k]!;
      }
      if (power > 0) {
        const mix = (st.alpha * Math.sqrt(vv)) / Math.sqrt(ff);
        for (let k = begin; k < end; k++) v[k] = (1 - st.alpha) * v[k]! + mix * f[k]!;
        if (st.nPositive > c.nMin) {
          st.dt = Math.min(st.dt * c.fInc, p.dtMax);
          st.alpha *= c.fAlpha;
        }
        st.nPositive += 1;
      } else {
        for (let k = begin; k < end; k++) v[k] = 0;
        st.alpha = c.alphaStart;
        st.dt *= c.fDec;
        st.nPositive = 0;
      }
    }
    st.started = true;
    let dr2 = 0;
    for (let i = begin / 3; i < end / 3; i++) {
      const k = (st.dt * ACCELERATION_PER_FORCE_OVER_MASS) / batch.masses[i]!;
      for (let a = 0; a < 3; a++) {
        v[3 * i + a]! += k * f[3 * i + a]!;
        const dr = st.dt * v[3 * i + a]!;
        dr2 += dr * dr;
      }
    }
    const scale = Math.sqrt(dr2) > p.maxStep ? p.maxStep / Math.sqrt(dr2) : 1;
    for (let k = begin; k < end; k++) x[k]! += scale * st.dt * v[k]!;
  }
}

/** Largest |F| over the atoms of each system, eV/Å. */
export function maxForcePerSystem(batch: Batch, forces: Float64Array): Float64Array {
  const out = new Float64Array(batch.nSystems);
  for (let s = 0; s < batch.nSystems; s++) {
    let m = 0;
    for (let i = batch.atomsPtr[s]!; i < batch.atomsPtr[s + 1]!; i++) {
      const fx = forces[3 * i]!;
      const fy = forces[3 * i + 1]!;
      const fz = forces[3 * i + 2]!;
      m = Math.max(m, Math.sqrt(fx * fx + fy * fy + fz * fz));
    }
    out[s] = m;
  }
  return out;
}

/**
 * Minimises with FIRE until max |F| < fmax in every system (checked after each force evaluation,
 * the initial one included) or `maxSteps` steps. All systems step together until all converge.
 * Velocities are used as given (zero them first for a cold start, as ASE does).
 * @returns steps taken, final energy per system (eV), whether all converged, final max |F| (eV/Å)
 */
export function fireMinimize(
  batch: Batch,
  forceFn: ForceFn,
  p: FireParams & { dt: number; fmax: number; maxSteps: number },
): { steps: number; energy: Float64Array; converged: boolean; maxForce: number } {
  const state = Array.from({ length: batch.nSystems }, () => initialFireState(p.dt));
  let forces = forceFn(batch);
  let steps = 0;
  const maxForce = () => Math.max(0, ...maxForcePerSystem(batch, forces.forces));
  while (maxForce() >= p.fmax && steps < p.maxSteps) {
    forces = fireStep(batch, forces, forceFn, p, state);
    steps++;
  }
  const fm = maxForce();
  return { steps, energy: forces.energy, converged: fm < p.fmax, maxForce: fm };
}
