import { describe, expect, it } from 'vitest';
import { type Batch, cloneBatch } from '../batch.ts';
import { concatenateBatches } from '../structures/concatenate.ts';
import { buildFcc } from '../structures/fcc.ts';
import { BOLTZMANN_EV_PER_K } from '../units.ts';
import type { ForceFn } from './dynamics.ts';
import { emptyForceResult } from './forceResult.ts';
import { lennardJonesReference } from './lennardJones.ts';
import {
  type ChainConstants,
  chainConstants,
  initialNoseHooverChain,
  type NoseHooverChain,
  type NoseHooverParams,
  noseHooverChainEnergy,
  noseHooverHalfStep,
  noseHooverPreUpdate,
  noseHooverStep,
} from './noseHoover.ts';
import { kineticEnergyPerSystem, temperaturePerSystem } from './observables.ts';

const lj: ForceFn = (b) =>
  lennardJonesReference(b, { epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true });
const noForces: ForceFn = (b) => emptyForceResult(b);

function argonCrystal(temperature: number, seed = 3, repeat = 3): Batch {
  return buildFcc({
    kind: 'fcc',
    element: 'Ar',
    mass: 39.948,
    latticeConstant: 5.26,
    repeat: [repeat, repeat, repeat],
    voidRadius: 0,
    temperature,
    jitter: 0.02,
    seed,
  });
}

const chainOf = (eta: number[], etaDot: number[]): NoseHooverChain => ({
  eta: Float64Array.from(eta),
  etaDot: Float64Array.from(etaDot),
});

describe('noseHooverHalfStep', () => {
  it('matches a hand-computed half step of a single thermostat', () => {
    const c: ChainConstants = { dt: 2, kT: 0.01, nDof: 6, massFirst: 6, massRest: 1 };
    const chain = initialNoseHooverChain(1);
    const k2 = 0.12; // Σ m v², eV: twice the target N_f·kT = 0.06
    const factor = noseHooverHalfStep(chain, k2, c);
    // Quarter step of η̇ with G = (0.12 − 0.06)/6 = 0.01 1/fs²; no thermostat above: no exp factors.
    const etaDot1 = 0.01 * (2 / 4);
    const f = Math.exp(-(2 / 2) * etaDot1);
    const etaDot2 = etaDot1 + ((k2 * f * f - 0.06) / 6) * (2 / 4);
    expect(factor).toBeCloseTo(f, 15);
    expect(chain.eta[0]).toBeCloseTo((2 / 2) * etaDot1, 15);
    expect(chain.etaDot[0]).toBeCloseTo(etaDot2, 15);
  });

  it('at the target temperature, a chain at rest leaves velocities alone and pulls its top thermostat', () => {
    const c: ChainConstants = { dt: 4, kT: 0.01, nDof: 30, massFirst: 3, massRest: 0.1 };
    const chain = initialNoseHooverChain(2);
    const factor = noseHooverHalfStep(chain, 30 * 0.01, c);
    // G₁ = 0 throughout; G₂ = (Q₁·0 − kT)/Q₂ = −0.1 on both quarter steps.
    expect(factor).toBe(1);
    expect(chain.etaDot[0]).toBe(0);
    expect(chain.etaDot[1]).toBeCloseTo(-0.1 * (4 / 2), 15);
    expect(chain.eta[1]).toBeCloseTo((4 / 2) * -0.1 * (4 / 4), 15);
  });

  it('couples the chain through exp(−dt/8·η̇_{k+1}) around each quarter step', () => {
    const c: ChainConstants = { dt: 1, kT: 0.02, nDof: 3, massFirst: 2, massRest: 0.5 };
    const chain = chainOf([0, 0], [0.1, 0.2]);
    const k2 = 0.06; // = N_f·kT: G₁ = 0 before the scaling
    const factor = noseHooverHalfStep(chain, k2, c);
    // Down: η̇₂ ← η̇₂ + G₂/4 with G₂ = (2·0.01 − 0.02)/0.5 = 0; η̇₁ ← η̇₁·e² with e = exp(−0.2/8).
    const e = Math.exp(-0.2 / 8);
    const v1 = 0.1 * e * e;
    const f = Math.exp(-0.5 * v1);
    // Up: η̇₁ ← (v1·e + G₁'/4)·e with G₁' from the scaled kinetic energy; then η̇₂ with G₂' from it.
    const g1 = (k2 * f * f - 0.06) / 2;
    const w1 = (v1 * e + g1 / 4) * e;
    const g2 = (2 * w1 * w1 - 0.02) / 0.5;
    expect(factor).toBeCloseTo(f, 15);
    expect(chain.eta[0]).toBeCloseTo(0.5 * v1, 15);
    expect(chain.eta[1]).toBeCloseTo(0.5 * 0.2, 15);
    expect(chain.etaDot[0]).toBeCloseTo(w1, 15);
    expect(chain.etaDot[1]).toBeCloseTo(0.2 + g2 / 4, 15);
  });
});

/**
 * A free gas under one Nosé–Hoover thermostat obeys dK/dt = −2ξK, dξ/dt = (K − N_f·kT)/Q with
 * K = Σ m v²: integrated here with RK4 at a tiny step.
 */
function freeGasExact(k0: number, c: ChainConstants, time: number): number {
  const h = 0.001;
  let k = k0;
  let xi = 0;
  const rhs = (kk: number, x: number): [number, number] => [-2 * x * kk, (kk - c.nDof * c.kT) / c.massFirst];
  for (let t = 0; t < time - 1e-9; t += h) {
    const a = rhs(k, xi);
    const b = rhs(k + (h / 2) * a[0], xi + (h / 2) * a[1]);
    const d = rhs(k + (h / 2) * b[0], xi + (h / 2) * b[1]);
    const e = rhs(k + h * d[0], xi + h * d[1]);
    k += (h / 6) * (a[0] + 2 * b[0] + 2 * d[0] + e[0]);
    xi += (h / 6) * (a[1] + 2 * b[1] + 2 * d[1] + e[1]);
  }
  return k;
}

describe('noseHooverStep', () => {
  it('follows the Nosé–Hoover equations of a free gas, with second-order error in dt', () => {
    const start = argonCrystal(170, 5, 2); // 32 atoms at 170 K, thermostat at 85 K
    const p = (dt: number): NoseHooverParams => ({ dt, temperature: 85, tau: 50, chainLength: 1 });
    const time = 200;
    const c = chainConstants(p(1), start.nAtoms);
    const k0 = 2 * kineticEnergyPerSystem(start)[0]!;
    const exact = freeGasExact(k0, c, time);
    const errorAt = (dt: number) => {
      const b = cloneBatch(start);
      const chains = [initialNoseHooverChain(1)];
      let f = noForces(b);
      for (let n = 0; n < time / dt; n++) f = noseHooverStep(b, f, noForces, p(dt), chains);
      return Math.abs(2 * kineticEnergyPerSystem(b)[0]! - exact) / exact;
    };
    const coarse = errorAt(2);
    const fine = errorAt(1);
    console.info(
      `NHC free gas vs RK4: relative error ${coarse.toExponential(2)} (dt 2), ${fine.toExponential(2)} (dt 1)`,
    );
    expect(Math.abs(exact - k0) / k0).toBeGreaterThan(0.2); // the thermostat did work
    expect(coarse).toBeLessThan(5e-4);
    expect(coarse / fine).toBeGreaterThan(3.5);
    expect(coarse / fine).toBeLessThan(4.5);
  });

  it('conserves KE + PE + the chain energy on LJ argon while heating it from 40 K towards 85 K', () => {
    const b = argonCrystal(40);
    const p: NoseHooverParams = { dt: 4, temperature: 85, tau: 100, chainLength: 3 };
    const c = chainConstants(p, b.nAtoms);
    const chains = [initialNoseHooverChain(3)];
    let f = lj(b);
    const conserved = () =>
      f.energy[0]! + kineticEnergyPerSystem(b)[0]! + noseHooverChainEnergy(chains[0]!, c);
    const h0 = conserved();
    const t0 = temperaturePerSystem(b)[0]!;
    let worst = 0;
    for (let n = 0; n < 1000; n++) {
      f = noseHooverStep(b, f, lj, p, chains);
      worst = Math.max(worst, Math.abs(conserved() - h0));
    }
    console.info(
      `NHC conserved energy: worst |ΔH| ${(worst / b.nAtoms).toExponential(2)} eV/atom; chain energy ${(noseHooverChainEnergy(chains[0]!, c) / b.nAtoms).toExponential(2)} eV/atom; T ${t0.toFixed(1)} → ${temperaturePerSystem(b)[0]!.toFixed(1)} K`,
    );
    expect(worst / b.nAtoms).toBeLessThan(1e-5);
    // The chain moved energy in: the extended part is not small compared with the drift bound.
    expect(Math.abs(noseHooverChainEnergy(chains[0]!, c)) / b.nAtoms).toBeGreaterThan(1e-3);
    expect(t0).toBeLessThan(45);
  });

  it('is time reversible: reversing v and η̇ retraces the trajectory', () => {
    const start = argonCrystal(85, 9);
    const b = cloneBatch(start);
    const p: NoseHooverParams = { dt: 5, temperature: 60, tau: 80, chainLength: 3 };
    const chains = [initialNoseHooverChain(3)];
    let f = lj(b);
    for (let n = 0; n < 50; n++) f = noseHooverStep(b, f, lj, p, chains);
    for (let k = 0; k < b.velocities.length; k++) b.velocities[k] = -b.velocities[k]!;
    for (let k = 0; k < 3; k++) chains[0]!.etaDot[k] = -chains[0]!.etaDot[k]!;
    for (let n = 0; n < 50; n++) f = noseHooverStep(b, f, lj, p, chains);
    let worst = 0;
    for (let k = 0; k < b.positions.length; k++) {
      worst = Math.max(worst, Math.abs(b.positions[k]! - start.positions[k]!));
      worst = Math.max(worst, Math.abs(b.velocities[k]! + start.velocities[k]!) * 1e3);
    }
    expect(worst).toBeLessThan(1e-8);
    for (const eta of chains[0]!.eta) expect(Math.abs(eta)).toBeLessThan(1e-10);
  });

  it('updates only the systems selected by the mask, each with its own chain', () => {
    const a = argonCrystal(120, 1, 2);
    const two = concatenateBatches([a, argonCrystal(30, 2, 2)]);
    const p: NoseHooverParams = { dt: 5, temperature: 85, tau: 20, chainLength: 2 };
    const chains = [initialNoseHooverChain(2), initialNoseHooverChain(2)];
    const before = cloneBatch(two);
    noseHooverPreUpdate(two, lj(two).forces, p, chains, (s) => s === 1);
    const n = 3 * a.nAtoms;
    expect(Array.from(two.positions.subarray(0, n))).toEqual(Array.from(before.positions.subarray(0, n)));
    expect(Array.from(two.velocities.subarray(0, n))).toEqual(Array.from(before.velocities.subarray(0, n)));
    expect(Array.from(chains[0]!.etaDot)).toEqual([0, 0]);
    // System 1 is at 30 K < 85 K: its first thermostat turns negative (it heats).
    expect(chains[1]!.etaDot[0]).toBeLessThan(0);
    expect(Array.from(two.positions.subarray(n))).not.toEqual(Array.from(before.positions.subarray(n)));
  });

  it('uses N_f = 3N and Q₁ = N_f·kB·T·τ², Q_k = kB·T·τ²', () => {
    const c = chainConstants({ dt: 2, temperature: 100, tau: 50, chainLength: 3 }, 10);
    const kT = BOLTZMANN_EV_PER_K * 100;
    expect(c).toEqual({ dt: 2, kT, nDof: 30, massFirst: 30 * kT * 2500, massRest: kT * 2500 });
  });
});
