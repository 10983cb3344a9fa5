import { describe, expect, it } from 'vitest';
import { type Batch, cloneBatch, singleSystemBatch } from '../batch.ts';
import { concatenateBatches } from '../structures/concatenate.ts';
import { buildFcc } from '../structures/fcc.ts';
import { ACCELERATION_PER_FORCE_OVER_MASS } from '../units.ts';
import { type ForceFn, fireMinimize } from './dynamics.ts';
import {
  FIRE2_CONSTANTS,
  type Fire2Params,
  type Fire2State,
  fire2Minimize,
  fire2PreUpdate,
  fire2Step,
  initialFire2State,
} from './fire2.ts';
import { emptyForceResult } from './forceResult.ts';
import { lennardJonesReference } from './lennardJones.ts';

const argon = { epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: false };
const lj: ForceFn = (b) => lennardJonesReference(b, argon);

/** A constant force on every atom (energy −F·x). */
function constantForce(f: readonly [number, number, number]): ForceFn {
  return (b) => {
    const r = emptyForceResult(b);
    for (let i = 0; i < b.nAtoms; i++) {
      for (let a = 0; a < 3; a++) {
        r.forces[3 * i + a] = f[a]!;
        r.energy[0]! -= f[a]! * b.positions[3 * i + a]!;
      }
    }
    return r;
  };
}

const m = 39.948;
const acc = ACCELERATION_PER_FORCE_OVER_MASS / m;
const params: Fire2Params = { dtMax: 10, dtMin: 0.02, maxStep: 10, nDelay: 20, initialDelay: true };

function oneAtom(velocity: [number, number, number] = [0, 0, 0]): Batch {
  return singleSystemBatch({
    positions: [1, 2, 3],
    velocities: velocity,
    masses: [m],
    cell: [30, 30, 30],
    pbc: [false, false, false],
  });
}

describe('fire2PreUpdate', () => {
  it('first steps from rest under a constant force: semi-implicit Euler, dt kept', () => {
    const b = oneAtom();
    const force = constantForce([0.5, 0, 0]);
    const state = [initialFire2State(2)];
    // Step 1: P = 0 ≤ 0 but i = 1 < N_delay: dt, α stay; v = dt·F/m (mixing keeps v ∥ F); x += dt·v.
    let f = fire2Step(b, force(b), force, params, state);
    const v1 = 2 * acc * 0.5;
    expect(b.velocities[0]).toBeCloseTo(v1, 15);
    expect(b.positions[0]).toBeCloseTo(1 + 2 * v1, 15);
    expect(state[0]).toEqual({ dt: 2, alpha: 0.25, nPositive: 0, steps: 1 });
    // Step 2: P > 0, n⁺ = 1 ≤ N_delay: dt unchanged; v = 2·dt·F/m.
    f = fire2Step(b, f, force, params, state);
    expect(b.velocities[0]).toBeCloseTo(2 * v1, 15);
    expect(b.positions[0]).toBeCloseTo(1 + 2 * v1 + 2 * 2 * v1, 14);
    expect([...b.positions.subarray(1), ...b.velocities.subarray(1)]).toEqual([2, 3, 0, 0]);
    expect(state[0]).toEqual({ dt: 2, alpha: 0.25, nPositive: 1, steps: 2 });
  });

  it('mixes v towards F with α·|v| and limits the displacement norm to maxStep', () => {
    const b = oneAtom([0.01, 0.01, 0]);
    const st: Fire2State = { dt: 2, alpha: 0.1, nPositive: 3, steps: 40 };
    fire2PreUpdate(b, Float64Array.of(0.5, 0, 0), { ...params, maxStep: 0.01 }, [st]);
    // P > 0, n⁺ = 4 ≤ 20: dt, α kept. v' = v + dt·F/m; v'' = 0.9·v' + 0.1·|v'|·x̂.
    const vx = 0.01 + 2 * acc * 0.5;
    const norm = Math.hypot(vx, 0.01);
    const mixed = [0.9 * vx + 0.1 * norm, 0.9 * 0.01];
    const dr = Math.hypot(mixed[0]! * 2, mixed[1]! * 2);
    expect(b.velocities[0]).toBeCloseTo(mixed[0]!, 15);
    expect(b.velocities[1]).toBeCloseTo(mixed[1]!, 15);
    expect(b.positions[0]).toBeCloseTo(1 + (0.01 * 2 * mixed[0]!) / dr, 15);
    expect(b.positions[1]).toBeCloseTo(2 + (0.01 * 2 * mixed[1]!) / dr, 15);
    expect(st).toEqual({ dt: 2, alpha: 0.1, nPositive: 4, steps: 41 });
  });

  it('on P ≤ 0 after the initial delay: dt·f_dec, α_start, half a step back, restart from rest', () => {
    const b = oneAtom([-0.01, 0.002, 0]);
    const st: Fire2State = { dt: 2, alpha: 0.1, nPositive: 7, steps: 30 };
    fire2PreUpdate(b, Float64Array.of(0.5, 0, 0), params, [st]);
    expect(st).toEqual({ dt: 1, alpha: FIRE2_CONSTANTS.alphaStart, nPositive: 0, steps: 31 });
    // x − dt/2·v with the new dt, then v = dt·F/m, x += dt·v.
    const v = 1 * acc * 0.5;
    expect(b.velocities[0]).toBeCloseTo(v, 15);
    expect(b.velocities[1]).toBe(0);
    expect(b.positions[0]).toBeCloseTo(1 + 0.5 * 0.01 + v, 15);
    expect(b.positions[1]).toBeCloseTo(2 - 0.5 * 0.002, 15);
  });

  it('does not decrease dt below dtMin, and keeps dt and α during the initial delay', () => {
    const atDtMin = oneAtom([-0.01, 0, 0]);
    const st: Fire2State = { dt: 0.03, alpha: 0.1, nPositive: 2, steps: 30 };
    fire2PreUpdate(atDtMin, Float64Array.of(0.5, 0, 0), params, [st]);
    expect(st).toEqual({ dt: 0.03, alpha: 0.25, nPositive: 0, steps: 31 });

    const early = oneAtom([-0.01, 0, 0]);
    const st2: Fire2State = { dt: 2, alpha: 0.1, nPositive: 2, steps: 5 };
    fire2PreUpdate(early, Float64Array.of(0.5, 0, 0), params, [st2]);
    expect(st2).toEqual({ dt: 2, alpha: 0.1, nPositive: 0, steps: 6 });
    expect(early.positions[0]).toBeCloseTo(1 + 0.5 * 2 * 0.01 + 2 * 2 * acc * 0.5, 15);

    const noDelay = oneAtom([-0.01, 0, 0]);
    const st3: Fire2State = { dt: 2, alpha: 0.1, nPositive: 2, steps: 5 };
    fire2PreUpdate(noDelay, Float64Array.of(0.5, 0, 0), { ...params, initialDelay: false }, [st3]);
    expect(st3).toEqual({ dt: 1, alpha: 0.25, nPositive: 0, steps: 6 });
  });

  it('grows dt by f_inc (up to dtMax) and shrinks α by f_α after N_delay positive steps', () => {
    const b = oneAtom();
    const force = constantForce([0.01, 0, 0]);
    const state = [initialFire2State(1)];
    let f = force(b);
    // Step 1 has P = 0; steps 2..25 have P > 0 (n⁺ = 1..24): dt grows on n⁺ = 21..24.
    for (let n = 0; n < 25; n++) f = fire2Step(b, f, force, params, state);
    expect(state[0]!.nPositive).toBe(24);
    expect(state[0]!.dt).toBeCloseTo(1.1 ** 4, 14);
    expect(state[0]!.alpha).toBeCloseTo(0.25 * 0.99 ** 4, 15);
    for (let n = 0; n < 40; n++) f = fire2Step(b, f, force, params, state);
    expect(state[0]!.dt).toBe(10);
  });

  it('updates only the systems selected by the mask', () => {
    const a = oneAtom([0.01, 0, 0]);
    const two = concatenateBatches([a, oneAtom([0.02, 0, 0])]);
    const before = cloneBatch(two);
    const state = [initialFire2State(2), initialFire2State(2)];
    fire2PreUpdate(two, Float64Array.of(0.5, 0, 0, 0.5, 0, 0), params, state, (s) => s === 1);
    expect(Array.from(two.positions.subarray(0, 3))).toEqual(Array.from(before.positions.subarray(0, 3)));
    expect(Array.from(two.velocities.subarray(0, 3))).toEqual(Array.from(before.velocities.subarray(0, 3)));
    expect(state[0]).toEqual(initialFire2State(2));
    expect(state[1]!.steps).toBe(1);
    expect(two.positions[3]).not.toBe(before.positions[3]);
  });
});

describe('fire2Minimize', () => {
  it('relaxes a jittered argon crystal with a void to the same minimum as FIRE', () => {
    const start = buildFcc({
      kind: 'fcc',
      element: 'Ar',
      mass: m,
      latticeConstant: 5.26,
      repeat: [3, 3, 3],
      voidRadius: 3,
      temperature: 0,
      jitter: 0.1,
      seed: 4,
    });
    const p = { dt: 5, dtMax: 20, dtMin: 0.1, maxStep: 0.2, nDelay: 20, initialDelay: true };
    const r2 = fire2Minimize(cloneBatch(start), lj, { ...p, fmax: 1e-3, maxSteps: 5000 });
    const r1 = fireMinimize(cloneBatch(start), lj, {
      dt: 5,
      dtMax: 20,
      maxStep: 0.2,
      fmax: 1e-3,
      maxSteps: 5000,
    });
    expect(r2.converged).toBe(true);
    expect(r2.maxForce).toBeLessThan(1e-3);
    expect(r1.converged).toBe(true);
    const e0 = lj(start).energy[0]!;
    expect(r2.energy[0]!).toBeLessThan(e0);
    expect(Math.abs(r2.energy[0]! - r1.energy[0]!) / start.nAtoms).toBeLessThan(1e-6);
  });
});
