import { describe, expect, it } from 'vitest';
import { type Batch, cloneBatch, singleSystemBatch } from '../batch.ts';
import { concatenateBatches } from '../structures/concatenate.ts';
import { buildFcc } from '../structures/fcc.ts';
import { ACCELERATION_PER_FORCE_OVER_MASS, BOLTZMANN_EV_PER_K } from '../units.ts';
import {
  type FireState,
  type ForceFn,
  fireMinimize,
  fireStep,
  initialFireState,
  langevinStep,
  maxForcePerSystem,
  nveStep,
} from './dynamics.ts';
import { emptyForceResult } from './forceResult.ts';
import { type ForceResult, type LennardJonesParams, lennardJonesReference } from './lennardJones.ts';
import { kineticEnergyPerSystem, temperaturePerSystem } from './observables.ts';

const argon: LennardJonesParams = { epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true };
const lj: ForceFn = (b) => lennardJonesReference(b, argon);

/** A free gas: no forces, no energy. */
const noForces: ForceFn = (b) => emptyForceResult(b);

/** A constant force per atom (energy −F·x, so FIRE always goes downhill). */
function constantForce(f: readonly [number, number, number]): ForceFn {
  return (b) => {
    const r = noForces(b);
    for (let i = 0; i < b.nAtoms; i++) {
      for (let a = 0; a < 3; a++) {
        r.forces[3 * i + a] = f[a]!;
        r.energy[0]! -= f[a]! * b.positions[3 * i + a]!;
      }
    }
    return r;
  };
}

function argonCrystal(temperature: number, seed = 3): Batch {
  return buildFcc({
    kind: 'fcc',
    element: 'Ar',
    mass: 39.948,
    latticeConstant: 5.26,
    repeat: [4, 4, 4],
    voidRadius: 0,
    temperature,
    jitter: 0.02,
    seed,
  });
}

const totalEnergy = (b: Batch, f: ForceResult) => f.energy[0]! + kineticEnergyPerSystem(b)[0]!;

describe('nveStep', () => {
  it('matches a hand-computed velocity-Verlet step of two atoms', () => {
    const m = 39.948;
    const dt = 4;
    const x0 = 3.6;
    const batch = singleSystemBatch({
      positions: [0, 0, 0, x0, 0, 0],
      velocities: [0.001, 0, 0, -0.002, 0, 0],
      masses: [m, m],
      cell: [30, 30, 30],
      pbc: [false, false, false],
    });
    // 1D by hand: F(r) on atom 1 = 24ε(2(σ/r)¹² − (σ/r)⁶)/r, atom 0 gets the opposite.
    const f = (r: number) => (24 * 0.0104 * (2 * (3.4 / r) ** 12 - (3.4 / r) ** 6)) / r;
    const acc = ACCELERATION_PER_FORCE_OVER_MASS / m;
    let v0 = 0.001 - (dt / 2) * acc * f(x0);
    let v1 = -0.002 + (dt / 2) * acc * f(x0);
    const p0 = v0 * dt;
    const p1 = x0 + v1 * dt;
    const r1 = p1 - p0;
    v0 -= (dt / 2) * acc * f(r1);
    v1 += (dt / 2) * acc * f(r1);

    const forces = nveStep(batch, lj(batch), lj, dt);
    expect(batch.positions[0]).toBeCloseTo(p0, 14);
    expect(batch.positions[3]).toBeCloseTo(p1, 14);
    expect(batch.velocities[0]).toBeCloseTo(v0, 15);
    expect(batch.velocities[3]).toBeCloseTo(v1, 15);
    expect(forces.forces[3]).toBeCloseTo(f(r1), 14);
    expect([...batch.positions.subarray(1, 3), ...batch.velocities.subarray(4, 6)]).toEqual([0, 0, 0, 0]);
  });

  it('conserves energy over 300 steps of a small LJ crystal, with an error ∝ dt²', () => {
    const drift = (dt: number, steps: number) => {
      const batch = argonCrystal(60);
      let forces = lj(batch);
      const e0 = totalEnergy(batch, forces);
      let maxDev = 0;
      for (let n = 0; n < steps; n++) {
        forces = nveStep(batch, forces, lj, dt);
        maxDev = Math.max(maxDev, Math.abs(totalEnergy(batch, forces) - e0));
      }
      return { maxDev, ke: kineticEnergyPerSystem(batch)[0]!, t: temperaturePerSystem(batch)[0]! };
    };
    const coarse = drift(8, 150);
    const fine = drift(4, 300);
    // 256 atoms starting at 60 K (half the heat goes into potential energy: ≈ 30 K, KE ≈ 1 eV). The
    // bounded velocity-Verlet fluctuation (≈ 5e-4 eV here at dt = 4 fs) is a small fraction of KE.
    expect(fine.t).toBeGreaterThan(10);
    expect(fine.maxDev).toBeLessThan(1e-3 * fine.ke);
    const ratio = coarse.maxDev / fine.maxDev;
    expect(ratio).toBeGreaterThan(3);
    expect(ratio).toBeLessThan(5);
  });

  it('is time-reversible: step forward, flip velocities, step back', () => {
    const batch = argonCrystal(80);
    const start = cloneBatch(batch);
    let forces = lj(batch);
    for (let n = 0; n < 100; n++) forces = nveStep(batch, forces, lj, 5);
    let moved = 0;
    for (let k = 0; k < batch.positions.length; k++)
      moved = Math.max(moved, Math.abs(batch.positions[k]! - start.positions[k]!));
    expect(moved).toBeGreaterThan(0.05);
    for (let k = 0; k < batch.velocities.length; k++) batch.velocities[k] = -batch.velocities[k]!;
    for (let n = 0; n < 100; n++) forces = nveStep(batch, forces, lj, 5);
    for (let k = 0; k < batch.positions.length; k++) {
      expect(Math.abs(batch.positions[k]! - start.positions[k]!)).toBeLessThan(1e-9);
      expect(Math.abs(-batch.velocities[k]! - start.velocities[k]!)).toBeLessThan(1e-12);
    }
  });
});

describe('langevinStep', () => {
  it('equals NVE with zero friction', () => {
    const a = argonCrystal(50);
    const b = cloneBatch(a);
    let fa = lj(a);
    let fb = lj(b);
    for (let n = 0; n < 20; n++) {
      fa = nveStep(a, fa, lj, 5);
      fb = langevinStep(b, fb, lj, { dt: 5, temperature: 300, friction: 0, seed: 1, step: n });
    }
    for (let k = 0; k < a.positions.length; k++) {
      expect(Math.abs(a.positions[k]! - b.positions[k]!)).toBeLessThan(1e-12);
      expect(Math.abs(a.velocities[k]! - b.velocities[k]!)).toBeLessThan(1e-14);
    }
  });

  it('is deterministic in (seed, step) and draws fresh noise at each step', () => {
    const run = (seed: number, step: number) => {
      const b = argonCrystal(0);
      langevinStep(b, noForces(b), noForces, { dt: 2, temperature: 100, friction: 0.1, seed, step });
      return Array.from(b.velocities);
    };
    expect(run(4, 10)).toEqual(run(4, 10));
    expect(run(4, 10)).not.toEqual(run(4, 11));
    expect(run(4, 10)).not.toEqual(run(5, 10));
  });

  it('brings a free gas to <KE> = 3/2 N kB T', () => {
    const n = 1000;
    const temperature = 300;
    const gas = singleSystemBatch({
      positions: new Float64Array(3 * n),
      masses: Float64Array.from({ length: n }, (_, i) => (i % 2 ? 39.948 : 4.0026)),
      cell: [100, 100, 100],
      pbc: [false, false, false],
    });
    let forces = noForces(gas);
    let sum = 0;
    let samples = 0;
    const steps = 1500;
    for (let step = 0; step < steps; step++) {
      forces = langevinStep(gas, forces, noForces, { dt: 2, temperature, friction: 0.02, seed: 17, step });
      // Relaxation time 1/γ = 50 fs = 25 steps; average after 10 of them.
      if (step >= 250) {
        sum += kineticEnergyPerSystem(gas)[0]!;
        samples++;
      }
    }
    const expected = 1.5 * n * BOLTZMANN_EV_PER_K * temperature;
    // ~3000 independent atom-samples per component block: relative error ≈ 0.5 %; allow 2 %.
    expect(Math.abs(sum / samples / expected - 1)).toBeLessThan(0.02);
  });
});

describe('fireStep', () => {
  it('grows dt only after Nmin positive steps, caps it at dtMax, and resets when going uphill', () => {
    const batch = singleSystemBatch({
      positions: [0, 0, 0],
      masses: [1],
      cell: [0, 0, 0],
      pbc: [false, false, false],
    });
    const push = constantForce([0.1, 0, 0]);
    const state = [initialFireState(1)];
    let forces = push(batch);
    const dts: number[] = [];
    const alphas: number[] = [];
    for (let n = 0; n < 30; n++) {
      forces = fireStep(batch, forces, push, { dtMax: 2, maxStep: 100 }, state);
      dts.push(state[0]!.dt);
      alphas.push(state[0]!.alpha);
    }
    // Call 1 skips the P test; calls 2..7 are positive steps 0..5 (not yet > Nmin = 5).
    expect(dts.slice(0, 7)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(dts[7]).toBeCloseTo(1.1, 14);
    expect(dts[8]).toBeCloseTo(1.21, 14);
    expect(alphas[6]).toBe(0.1);
    expect(alphas[7]).toBeCloseTo(0.099, 15);
    expect(Math.max(...dts)).toBe(2);
    expect(dts[29]).toBe(2);
    expect(state[0]!.nPositive).toBe(29);

    // Reverse the force: P < 0, so v = 0, α = αstart, dt halves, the counter resets.
    const pull = constantForce([-0.1, 0, 0]);
    forces = fireStep(batch, pull(batch), pull, { dtMax: 2, maxStep: 100 }, state);
    expect(state[0]).toEqual({ dt: 1, alpha: 0.1, nPositive: 0, started: true });
    // After v = 0 the step is one kick from rest: v = dt·a.
    expect(batch.velocities[0]).toBeCloseTo(-0.1 * ACCELERATION_PER_FORCE_OVER_MASS, 15);
  });

  it('mixes v towards F with α: v = (1 − α)v + α|v|F/|F|', () => {
    const batch = singleSystemBatch({
      positions: [0, 0, 0],
      velocities: [0.01, 0.02, 0],
      masses: [2],
      cell: [0, 0, 0],
      pbc: [false, false, false],
    });
    const f = constantForce([0.3, 0, 0.4]);
    const state: FireState[] = [{ dt: 0.5, alpha: 0.2, nPositive: 0, started: true }];
    fireStep(batch, f(batch), f, { dtMax: 10, maxStep: 10 }, state);
    const vn = Math.hypot(0.01, 0.02);
    const k = (0.5 * ACCELERATION_PER_FORCE_OVER_MASS) / 2;
    const expected = [0.8 * 0.01 + 0.2 * vn * 0.6 + k * 0.3, 0.8 * 0.02 + k * 0, 0.2 * vn * 0.8 + k * 0.4];
    for (let a = 0; a < 3; a++) expect(batch.velocities[a]).toBeCloseTo(expected[a]!, 15);
    for (let a = 0; a < 3; a++) expect(batch.positions[a]).toBeCloseTo(0.5 * expected[a]!, 15);
  });

  it('keeps each system’s displacement norm within maxStep', () => {
    const one = () =>
      singleSystemBatch({
        positions: [0, 0, 0, 5, 0, 0],
        masses: [1, 1],
        cell: [0, 0, 0],
        pbc: [false, false, false],
      });
    const batch = concatenateBatches([one(), one()]);
    const push = constantForce([50, 20, 0]);
    const state = [initialFireState(10), initialFireState(0.001)];
    let forces = push(batch);
    for (let n = 0; n < 5; n++) {
      const before = batch.positions.slice();
      forces = fireStep(batch, forces, push, { dtMax: 10, maxStep: 0.2 }, state);
      const norm = (s: number) => {
        let d2 = 0;
        for (let k = 6 * s; k < 6 * s + 6; k++) d2 += (batch.positions[k]! - before[k]!) ** 2;
        return Math.sqrt(d2);
      };
      expect(norm(0)).toBeCloseTo(0.2, 12); // capped
      expect(norm(1)).toBeLessThan(0.2); // small dt: not capped
    }
  });

  it('lowers the energy of an LJ crystal with jitter', () => {
    const batch = buildFcc({
      kind: 'fcc',
      element: 'Ar',
      mass: 39.948,
      latticeConstant: 5.4,
      repeat: [4, 4, 4],
      voidRadius: 5,
      temperature: 0,
      jitter: 0.15,
      seed: 9,
    });
    let forces = lj(batch);
    const e0 = forces.energy[0]!;
    const f0 = maxForcePerSystem(batch, forces.forces)[0]!;
    const state = [initialFireState(5)];
    for (let n = 0; n < 100; n++) forces = fireStep(batch, forces, lj, { dtMax: 20, maxStep: 0.2 }, state);
    expect(forces.energy[0]!).toBeLessThan(e0 - 0.05);
    expect(maxForcePerSystem(batch, forces.forces)[0]!).toBeLessThan(f0 / 3);
  });
});

describe('fireMinimize', () => {
  /** 13 atoms: a centre and a jittered icosahedron of radius 1.1σ, no periodicity, all pairs interacting. */
  function lj13(seed: number): Batch {
    const phi = (1 + Math.sqrt(5)) / 2;
    const vertices: number[][] = [[0, 0, 0]];
    for (const s1 of [-1, 1]) {
      for (const s2 of [-1, 1]) vertices.push([0, s1, s2 * phi], [s1, s2 * phi, 0], [s2 * phi, 0, s1]);
    }
    const radius = (1.1 * 3.4) / Math.hypot(1, phi);
    let x = seed;
    const jitter = () => {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      return (x / 2 ** 32 - 0.5) * 0.3;
    };
    return singleSystemBatch({
      positions: vertices.flatMap((v) => v.map((c) => c * radius + jitter())),
      masses: new Float64Array(13).fill(39.948),
      cell: [0, 0, 0],
      pbc: [false, false, false],
    });
  }
  const unbounded: ForceFn = (b) =>
    lennardJonesReference(b, { epsilon: 0.0104, sigma: 3.4, cutoff: 1000, shift: false });

  it('reaches the LJ13 global minimum, −44.326801 ε, below fmax', () => {
    for (const seed of [1, 2]) {
      const batch = lj13(seed);
      const res = fireMinimize(batch, unbounded, {
        dt: 5,
        dtMax: 50,
        maxStep: 0.2,
        fmax: 1e-6,
        maxSteps: 5000,
      });
      expect(res.converged).toBe(true);
      expect(res.maxForce).toBeLessThan(1e-6);
      expect(res.steps).toBeGreaterThan(10);
      expect(res.energy[0]! / 0.0104).toBeCloseTo(-44.326801, 5);
    }
  });

  it('stops at once when the initial forces are already below fmax, and reports failure honestly', () => {
    const batch = lj13(3);
    const done = fireMinimize(cloneBatch(batch), unbounded, {
      dt: 5,
      dtMax: 50,
      maxStep: 0.2,
      fmax: 1e3,
      maxSteps: 10,
    });
    expect(done).toMatchObject({ steps: 0, converged: true });
    const short = fireMinimize(batch, unbounded, { dt: 5, dtMax: 50, maxStep: 0.2, fmax: 1e-9, maxSteps: 3 });
    expect(short).toMatchObject({ steps: 3, converged: false });
    expect(short.maxForce).toBeGreaterThan(1e-9);
  });
});
