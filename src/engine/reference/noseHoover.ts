/**
 * Nosé–Hoover chain NVT (Martyna–Tuckerman–Klein 1992), f64 reference: the executable spec of
 * kernels/integrators/nose_hoover_*.wgsl. The splitting is LAMMPS's `fix nvt` (fix_nh.cpp,
 * nhc_temp_integrate with tloop = 1, no drag):
 *
 *   pre-update:  chain half step (dt/2) → v ← factor·v; v += dt/2·a; x += dt·v
 *   F ← forces
 *   post-update: v += dt/2·a; chain half step (dt/2) → v ← factor·v
 *
 * Time-reversible (symmetric Trotter splitting). Each system has its own chain, N_f = 3·(N − N_frozen)
 * degrees of freedom (NULL atoms included, frozen atoms of infinite mass not, as the project's temperature), masses Q₁ = N_f·kB·T·τ² and
 * Q_k = kB·T·τ² (k ≥ 2), eV·fs². Thermostat velocities η̇ are in 1/fs.
 */
import type { Batch } from '../batch.ts';
import { BOLTZMANN_EV_PER_K, KINETIC_ENERGY_EV_PER_AMU_A2_FS2 } from '../units.ts';
import { frozenAtomsOf, isFrozenMass } from './constraints.ts';
import type { ForceFn, SystemMask } from './dynamics.ts';
import { halfKickPostUpdate, nvePreUpdate } from './dynamics.ts';
import type { ForceResult } from './forceResult.ts';

const everySystem: SystemMask = () => true;

/** Parameters of a Nosé–Hoover chain stage. */
export interface NoseHooverParams {
  /** Time step, fs. */
  dt: number;
  /** Target temperature, K. */
  temperature: number;
  /** Thermostat time constant τ, fs. */
  tau: number;
  /** Thermostats in the chain, ≥ 1. */
  chainLength: number;
}

/** One system's chain: positions η (dimensionless) and velocities η̇ (1/fs), length M. */
export interface NoseHooverChain {
  eta: Float64Array;
  etaDot: Float64Array;
}

/** A chain at rest (η = η̇ = 0), as at the start of a stage. */
export function initialNoseHooverChain(chainLength: number): NoseHooverChain {
  return { eta: new Float64Array(chainLength), etaDot: new Float64Array(chainLength) };
}

/** Constants of one system's chain derived from the stage and its atom count. */
export interface ChainConstants {
  /** Time step, fs. */
  dt: number;
  /** kB·T, eV. */
  kT: number;
  /** Degrees of freedom N_f = 3N. */
  nDof: number;
  /** Q₁ = N_f·kB·T·τ², eV·fs². */
  massFirst: number;
  /** Q_k = kB·T·τ² for k ≥ 2, eV·fs². */
  massRest: number;
}

/** The chain constants of a system of `nAtoms` atoms that move (frozen atoms not counted). */
export function chainConstants(p: NoseHooverParams, nAtoms: number): ChainConstants {
  const kT = BOLTZMANN_EV_PER_K * p.temperature;
  const nDof = 3 * nAtoms;
  return { dt: p.dt, kT, nDof, massFirst: nDof * kT * p.tau * p.tau, massRest: kT * p.tau * p.tau };
}

/**
 * Advances one chain by half a time step (LAMMPS nhc_temp_integrate) given twice the system's
 * kinetic energy `kinetic2` = Σ m v² (eV), and returns the factor that scales the velocities.
 * Mutates `chain`. Sweeps the chain down (quarter steps of η̇ with exp(−dt/8·η̇_{k+1}) around
 * them), scales, advances η by dt/2, sweeps back up.
 */
export function noseHooverHalfStep(chain: NoseHooverChain, kinetic2: number, c: ChainConstants): number {
  const { eta, etaDot } = chain;
  const m = etaDot.length;
  const dt2 = c.dt / 2;
  const dt4 = c.dt / 4;
  const dt8 = c.dt / 8;
  const force0 = (k2: number) => (c.massFirst > 0 ? (k2 - c.nDof * c.kT) / c.massFirst : 0);
  const massOf = (k: number) => (k === 0 ? c.massFirst : c.massRest);
  const forceK = (k: number) =>
    c.massRest > 0 ? (massOf(k - 1) * etaDot[k - 1]! * etaDot[k - 1]! - c.kT) / c.massRest : 0;
  const above = (k: number) => (k + 1 < m ? etaDot[k + 1]! : 0);

  for (let k = m - 1; k >= 0; k--) {
    const e = Math.exp(-dt8 * above(k));
    const g = k === 0 ? force0(kinetic2) : forceK(k);
    etaDot[k] = (etaDot[k]! * e + g * dt4) * e;
  }
  const factor = Math.exp(-dt2 * etaDot[0]!);
  const scaled = kinetic2 * factor * factor;
  for (let k = 0; k < m; k++) eta[k]! += dt2 * etaDot[k]!;
  for (let k = 0; k < m; k++) {
    const e = Math.exp(-dt8 * above(k));
    const g = k === 0 ? force0(scaled) : forceK(k);
    etaDot[k] = (etaDot[k]! * e + g * dt4) * e;
  }
  return factor;
}

/**
 * The chain's part of the conserved energy (LAMMPS fix nvt's scalar), eV:
 * Σ_k ½·Q_k·η̇_k² + N_f·kB·T·η₁ + kB·T·Σ_{k≥2} η_k. Added to KE + PE it is constant in time.
 */
export function noseHooverChainEnergy(chain: NoseHooverChain, c: ChainConstants): number {
  let e = 0;
  for (let k = 0; k < chain.eta.length; k++) {
    const q = k === 0 ? c.massFirst : c.massRest;
    e += 0.5 * q * chain.etaDot[k]! ** 2 + (k === 0 ? c.nDof : 1) * c.kT * chain.eta[k]!;
  }
  return e;
}

/** Σ m v² over the atoms of system `s`, eV (twice the kinetic energy; frozen atoms carry none). */
function kinetic2Of(batch: Batch, s: number): number {
  let sum = 0;
  for (let i = batch.atomsPtr[s]!; i < batch.atomsPtr[s + 1]!; i++) {
    if (isFrozenMass(batch.masses[i]!)) continue;
    const vx = batch.velocities[3 * i]!;
    const vy = batch.velocities[3 * i + 1]!;
    const vz = batch.velocities[3 * i + 2]!;
    sum += batch.masses[i]! * (vx * vx + vy * vy + vz * vz);
  }
  return sum * KINETIC_ENERGY_EV_PER_AMU_A2_FS2;
}

/** A chain half step on every active system, then its velocities scaled by the chain's factor. */
function thermostatHalfStep(
  batch: Batch,
  p: NoseHooverParams,
  chains: readonly NoseHooverChain[],
  active: SystemMask,
): void {
  for (let s = 0; s < batch.nSystems; s++) {
    if (!active(s)) continue;
    const chain = chains[s];
    if (!chain) throw new Error(`noseHoover: no chain for system ${s}`);
    const c = chainConstants(p, batch.atomsPtr[s + 1]! - batch.atomsPtr[s]! - frozenAtomsOf(batch, s));
    const factor = noseHooverHalfStep(chain, kinetic2Of(batch, s), c);
    for (let k = 3 * batch.atomsPtr[s]!; k < 3 * batch.atomsPtr[s + 1]!; k++) batch.velocities[k]! *= factor;
  }
}

/** Before the force evaluation: chain half step and scaling, then v += dt/2·a; x += dt·v. */
export function noseHooverPreUpdate(
  batch: Batch,
  forces: Float64Array,
  p: NoseHooverParams,
  chains: readonly NoseHooverChain[],
  active = everySystem,
): void {
  thermostatHalfStep(batch, p, chains, active);
  nvePreUpdate(batch, forces, p.dt, active);
}

/** After the force evaluation: v += dt/2·a with the new forces, then chain half step and scaling. */
export function noseHooverPostUpdate(
  batch: Batch,
  forces: Float64Array,
  p: NoseHooverParams,
  chains: readonly NoseHooverChain[],
  active = everySystem,
): void {
  halfKickPostUpdate(batch, forces, p.dt, active);
  thermostatHalfStep(batch, p, chains, active);
}

/** One Nosé–Hoover chain step of every system; mutates the batch and `chains`. */
export function noseHooverStep(
  batch: Batch,
  forces: ForceResult,
  forceFn: ForceFn,
  p: NoseHooverParams,
  chains: readonly NoseHooverChain[],
): ForceResult {
  noseHooverPreUpdate(batch, forces.forces, p, chains);
  const next = forceFn(batch);
  noseHooverPostUpdate(batch, next.forces, p, chains);
  return next;
}
