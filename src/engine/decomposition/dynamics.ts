/**
 * Distributed f64 dynamics on the owned rows of a DomainRank (DESIGN §5): velocity Verlet, Langevin
 * BAOAB, Nosé–Hoover chains, FIRE and FIRE2, the twins of reference/{dynamics,noseHoover,fire2}.ts
 * for one system split over ranks. Per-atom arithmetic is the reference's (its kick, drift and
 * Langevin noise run on a one-system view of the owned rows); what the reference sums over the
 * system (kinetic energy, FIRE's power and norms, the displacement norm) is summed over ranks with
 * an allreduce, so every rank holds bitwise the same thermostat and minimiser state and takes the
 * same decisions. Langevin noise is keyed by the global atom id, so a K-rank run draws the noise of a
 * one-rank run and of the CPU engine. Results differ from the one-rank run only by summation order.
 *
 * Collective functions (async) must be called by every rank at the same point.
 */
import type { Batch } from '../batch.ts';
import { isFrozenMass } from '../reference/constraints.ts';
import { drift, FIRE_CONSTANTS, type FireState, kick, langevinNoiseAtom } from '../reference/dynamics.ts';
import { FIRE2_CONSTANTS, type Fire2Params, type Fire2State } from '../reference/fire2.ts';
import {
  chainConstants,
  type NoseHooverChain,
  type NoseHooverParams,
  noseHooverHalfStep,
} from '../reference/noseHoover.ts';
import { systemSeed } from '../reference/rng.ts';
import { ACCELERATION_PER_FORCE_OVER_MASS, KINETIC_ENERGY_EV_PER_AMU_A2_FS2 } from '../units.ts';
import type { DomainRank } from './rank.ts';
import type { ReduceOp } from './reduce.ts';

/**
 * An allreduce over all ranks (collective): element-wise `op` of every rank's `values`, the same
 * result on every rank. The engine supplies it (fresh tags, exchange timing).
 */
export type Reduce = (values: Float64Array, op: ReduceOp) => Promise<Float64Array>;

/**
 * The owned rows of a rank as a one-system Batch whose arrays are views into the rank's (writes go
 * to the rank). Valid until the next re-neighbouring (which replaces the rank's arrays).
 */
export function ownedView(rank: DomainRank): Batch {
  const n = rank.nLocal;
  const cached = views.get(rank);
  if (cached && cached.positions.buffer === rank.x.buffer && cached.velocities.buffer === rank.v.buffer) {
    if (
      cached.masses.buffer === rank.mass.buffer &&
      cached.nAtoms === n &&
      cached.types.buffer === rank.type.buffer
    ) {
      return cached;
    }
  }
  const view: Batch = {
    nAtoms: n,
    nSystems: 1,
    atomsPtr: Int32Array.of(0, n),
    positions: rank.x.subarray(0, 3 * n),
    velocities: rank.v.subarray(0, 3 * n),
    masses: rank.mass.subarray(0, n),
    types: rank.type.subarray(0, n),
    atomicNumbers: new Int32Array(n),
    cells: Float64Array.from(rank.grid.cell),
    pbc: Uint8Array.from(rank.grid.pbc, (p) => (p ? 1 : 0)),
    systemIds: Int32Array.of(0),
  };
  views.set(rank, view);
  return view;
}

/** The last view of each rank (rebuilt when re-neighbouring replaced the rank's arrays). */
const views = new WeakMap<DomainRank, Batch>();

/** Velocity Verlet before the force evaluation on owned rows: v += dt/2·F/m; x += dt·v (dt in fs). */
export function nvePreUpdateOwned(rank: DomainRank, forces: Float64Array, dt: number): void {
  const view = ownedView(rank);
  kick(view, forces, dt / 2);
  drift(view, dt);
}

/** The last half kick (velocity Verlet, BAOAB) on owned rows with the new forces: v += dt/2·F/m. */
export function halfKickOwned(rank: DomainRank, forces: Float64Array, dt: number): void {
  kick(ownedView(rank), forces, dt / 2);
}

/** Parameters of a Langevin stage (LangevinStageSpec). */
export interface LangevinDomainParams {
  /** Time step, fs. */
  dt: number;
  /** Target temperature, K. */
  temperature: number;
  /** Friction γ, 1/fs. */
  friction: number;
  /** Seed of the counter-based noise. */
  seed: number;
}

/**
 * BAOAB before the force evaluation on owned rows (reference langevinPreUpdate): v += dt/2·a;
 * x += dt/2·v; v ← c1·v + σ·g; x += dt/2·v, with the noise g keyed by (systemSeed(seed, systemId),
 * step, global atom id, component). Local: no communication.
 * @param step the system's step counter within the stage, before this step
 * @param systemId the stable id of the decomposed system (batch.systemIds[0])
 */
export function langevinPreUpdateOwned(
  rank: DomainRank,
  forces: Float64Array,
  p: LangevinDomainParams,
  step: number,
  systemId: number,
): void {
  const view = ownedView(rank);
  kick(view, forces, p.dt / 2);
  drift(view, p.dt / 2);
  const c1 = Math.exp(-p.friction * p.dt);
  const seed = systemSeed(p.seed, systemId);
  for (let i = 0; i < rank.nLocal; i++) {
    langevinNoiseAtom(rank.v, i, rank.mass[i]!, c1, p.temperature, seed, step, rank.id[i]!);
  }
  drift(view, p.dt / 2);
}

/**
 * Twice the global kinetic energy Σ m v² (eV) and the number of atoms that move (not frozen),
 * over all ranks (collective).
 */
export async function globalKinetic2(
  rank: DomainRank,
  reduce: Reduce,
): Promise<{ kinetic2: number; moving: number }> {
  let sum = 0;
  let moving = 0;
  for (let i = 0; i < rank.nLocal; i++) {
    const m = rank.mass[i]!;
    if (isFrozenMass(m)) continue;
    moving++;
    const vx = rank.v[3 * i]!;
    const vy = rank.v[3 * i + 1]!;
    const vz = rank.v[3 * i + 2]!;
    sum += m * (vx * vx + vy * vy + vz * vz);
  }
  const total = await reduce(Float64Array.of(sum, moving), 'sum');
  return { kinetic2: total[0]! * KINETIC_ENERGY_EV_PER_AMU_A2_FS2, moving: total[1]! };
}

/** A chain half step with the global kinetic energy, then owned velocities scaled (collective). */
async function thermostatHalfStep(
  rank: DomainRank,
  p: NoseHooverParams,
  chain: NoseHooverChain,
  reduce: Reduce,
): Promise<void> {
  const { kinetic2, moving } = await globalKinetic2(rank, reduce);
  const factor = noseHooverHalfStep(chain, kinetic2, chainConstants(p, moving));
  for (let k = 0; k < 3 * rank.nLocal; k++) rank.v[k]! *= factor;
}

/**
 * Nosé–Hoover before the force evaluation (reference noseHooverPreUpdate; collective): chain half
 * step with the global kinetic energy and N_f = 3·(atoms not frozen, all ranks), scaling, then
 * v += dt/2·a; x += dt·v. `chain` is replicated: every rank holds an identical copy.
 */
export async function noseHooverPreUpdateDomain(
  rank: DomainRank,
  forces: Float64Array,
  p: NoseHooverParams,
  chain: NoseHooverChain,
  reduce: Reduce,
): Promise<void> {
  await thermostatHalfStep(rank, p, chain, reduce);
  nvePreUpdateOwned(rank, forces, p.dt);
}

/** Nosé–Hoover after the force evaluation (collective): v += dt/2·a, then chain half step and scaling. */
export async function noseHooverPostUpdateDomain(
  rank: DomainRank,
  forces: Float64Array,
  p: NoseHooverParams,
  chain: NoseHooverChain,
  reduce: Reduce,
): Promise<void> {
  halfKickOwned(rank, forces, p.dt);
  await thermostatHalfStep(rank, p, chain, reduce);
}

/** Parameters of FIRE (FireStageSpec). */
export interface FireDomainParams {
  /** Largest time step, fs. */
  dtMax: number;
  /** Largest displacement of the system in one step (norm over all its atoms, all ranks), Å. */
  maxStep: number;
}

/** Σ over ranks of the given per-rank partial sums (collective). */
async function sums(reduce: Reduce, ...values: number[]): Promise<Float64Array> {
  return reduce(Float64Array.from(values), 'sum');
}

/**
 * One FIRE update (reference firePreUpdate, ASE's variant; collective): P = ΣF·v, |v|, |F| and the
 * displacement norm are global; `state` is replicated and mutated identically on every rank.
 */
export async function firePreUpdateDomain(
  rank: DomainRank,
  f: Float64Array,
  p: FireDomainParams,
  st: FireState,
  reduce: Reduce,
): Promise<void> {
  const v = rank.v;
  const x = rank.x;
  const c = FIRE_CONSTANTS;
  const end = 3 * rank.nLocal;
  if (st.started) {
    let power = 0;
    let vv = 0;
    let ff = 0;
    for (let k = 0; k < end; k++) {
      power += f[k]! * v[k]!;
      vv += v[k]! * v[k]!;
      ff += f[k]! * f[k]!;
    }
    const g = await sums(reduce, power, vv, ff);
    if (g[0]! > 0) {
      const mix = (st.alpha * Math.sqrt(g[1]!)) / Math.sqrt(g[2]!);
      for (let k = 0; k < end; k++) v[k] = (1 - st.alpha) * v[k]! + mix * f[k]!;
      if (st.nPositive > c.nMin) {
        st.dt = Math.min(st.dt * c.fInc, p.dtMax);
        st.alpha *= c.fAlpha;
      }
      st.nPositive += 1;
    } else {
      for (let k = 0; k < end; k++) v[k] = 0;
      st.alpha = c.alphaStart;
      st.dt *= c.fDec;
      st.nPositive = 0;
    }
  }
  st.started = true;
  let dr2 = 0;
  for (let i = 0; i < rank.nLocal; i++) {
    const k = (st.dt * ACCELERATION_PER_FORCE_OVER_MASS) / rank.mass[i]!;
    for (let a = 0; a < 3; a++) {
      v[3 * i + a]! += k * f[3 * i + a]!;
      const dr = st.dt * v[3 * i + a]!;
      dr2 += dr * dr;
    }
  }
  const norm = Math.sqrt((await sums(reduce, dr2))[0]!);
  const scale = norm > p.maxStep ? p.maxStep / norm : 1;
  for (let k = 0; k < end; k++) x[k]! += scale * st.dt * v[k]!;
}

/** Parameters of FIRE2 (Fire2StageSpec). */
export type Fire2DomainParams = Fire2Params;

/**
 * One FIRE2 update (reference fire2PreUpdate; collective): P, |v|, |F| and the displacement norm
 * are global; `state` is replicated and mutated identically on every rank.
 */
export async function fire2PreUpdateDomain(
  rank: DomainRank,
  f: Float64Array,
  p: Fire2DomainParams,
  st: Fire2State,
  reduce: Reduce,
): Promise<void> {
  const v = rank.v;
  const x = rank.x;
  const c = FIRE2_CONSTANTS;
  const n = rank.nLocal;
  let power = 0;
  for (let k = 0; k < 3 * n; k++) power += f[k]! * v[k]!;
  const iteration = st.steps + 1;
  if ((await sums(reduce, power))[0]! > 0) {
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
    for (let k = 0; k < 3 * n; k++) {
      x[k]! -= 0.5 * st.dt * v[k]!;
      v[k] = 0;
    }
  }
  // Semi-implicit Euler: kick, mix, drift.
  let vv = 0;
  let ff = 0;
  for (let i = 0; i < n; i++) {
    const kickFactor = (st.dt * ACCELERATION_PER_FORCE_OVER_MASS) / rank.mass[i]!;
    for (let a = 0; a < 3; a++) {
      const k = 3 * i + a;
      v[k]! += kickFactor * f[k]!;
      vv += v[k]! * v[k]!;
      ff += f[k]! * f[k]!;
    }
  }
  const norms = await sums(reduce, vv, ff);
  if (norms[1]! > 0) {
    const mix = (st.alpha * Math.sqrt(norms[0]!)) / Math.sqrt(norms[1]!);
    for (let k = 0; k < 3 * n; k++) v[k] = (1 - st.alpha) * v[k]! + mix * f[k]!;
  }
  let dr2 = 0;
  for (let k = 0; k < 3 * n; k++) dr2 += (st.dt * v[k]!) ** 2;
  const norm = Math.sqrt((await sums(reduce, dr2))[0]!);
  const scale = norm > p.maxStep ? p.maxStep / norm : 1;
  for (let k = 0; k < 3 * n; k++) x[k]! += scale * st.dt * v[k]!;
  st.steps += 1;
}
