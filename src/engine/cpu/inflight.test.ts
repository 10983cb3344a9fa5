/**
 * The CPU engine's inflight batching (reload), per-system zeroVelocities and constraints, against
 * fresh engines and the f64 reference.
 */
import { describe, expect, it } from 'vitest';
import { StageSpec } from '../../io/spec.ts';
import { cloneBatch } from '../batch.ts';
import {
  ARGON_LJ,
  argonCrystal,
  argonGas,
  computeAndStats,
  emptySlot,
  everyNth,
  join,
  nullReservoir,
  steps,
  survivor,
} from '../inflight.testing.ts';
import { constrainForces } from '../reference/constraints.ts';
import { lennardJonesReference } from '../reference/lennardJones.ts';
import { kineticEnergyPerSystem } from '../reference/observables.ts';
import { BOLTZMANN_EV_PER_K } from '../units.ts';
import { CpuEngine } from './engine.ts';

const STAGES = {
  nve: StageSpec.parse({ kind: 'nve', steps: 10, dt: 5 }),
  langevin: StageSpec.parse({ kind: 'langevin', steps: 10, dt: 5, temperature: 80, friction: 0.02, seed: 3 }),
  'nose-hoover': StageSpec.parse({ kind: 'nose-hoover', steps: 10, dt: 5, temperature: 80, tau: 50 }),
  fire: StageSpec.parse({ kind: 'fire', steps: 10, dt: 5, dtMax: 20, maxStep: 0.2 }),
  fire2: StageSpec.parse({ kind: 'fire2', steps: 10, dt: 5, dtMax: 20, maxStep: 0.2 }),
} as const;

/** Two argon systems with velocities: a jittered crystal and a periodic gas. */
function twoSystems() {
  return join(argonCrystal(2, 0.2, 60, 1), argonGas(24, 14, true, 90, 2));
}

function started(batch = twoSystems()): CpuEngine {
  const engine = new CpuEngine(batch, ARGON_LJ);
  computeAndStats(engine);
  return engine;
}

describe('CpuEngine.reload', () => {
  const x = join(
    argonCrystal(2, 0.15, 60, 11),
    argonGas(20, 20, false, 50, 12),
    argonCrystal(2, 0.1, 40, 14),
    nullReservoir(9),
  );

  it('equals a fresh engine on the new batch and keeps FIRE state and status', async () => {
    const a = started(x);
    const fire = a.createDynamics(STAGES.fire);
    a.writeStatus(Int32Array.of(0, 1, 2, 3));
    steps(a, fire, 0, 6);
    const atoms = await a.readAtoms();
    const dtBefore = await fire.readTimeStep();
    const kept = survivor(x, 0, a.readExact().batch);
    const y = join(kept, emptySlot(), argonGas(26, 30, true, 70, 13), nullReservoir(x.nAtoms - 32 - 1 - 26));
    expect(y.nAtoms).toBe(x.nAtoms);
    a.reload(y);
    await expect(a.readAtoms()).rejects.toThrow(/no forces/);
    computeAndStats(a);
    const fresh = started(y);
    fresh.writeStatus(Int32Array.of(0, 1, 2, 3));
    expect(await a.readStats()).toEqual(await fresh.readStats());
    expect(await a.readAtoms()).toEqual(await fresh.readAtoms());
    expect(await fire.readTimeStep()).toEqual(dtBefore);
    // Slot 0 continues exactly as a run that never reloaded.
    const uninterrupted = started(x);
    uninterrupted.writeStatus(Int32Array.of(0, 1, 2, 3));
    const fireU = uninterrupted.createDynamics(STAGES.fire);
    steps(uninterrupted, fireU, 0, 6);
    expect((await uninterrupted.readAtoms()).positions).toEqual(atoms.positions);
    steps(a, fire, 0, 5);
    steps(uninterrupted, fireU, 0, 5);
    const got = a.readExact().batch.positions.subarray(0, 96);
    const want = uninterrupted.readExact().batch.positions.subarray(0, 96);
    expect(got).toEqual(want);
    const stats = await a.readStats();
    for (const s of [1, 3]) {
      expect([
        stats.potentialEnergy[s],
        stats.kineticEnergy[s],
        stats.temperature[s],
        stats.maxForce[s],
      ]).toEqual([0, 0, 0, 0]);
    }
  });

  it('refuses a batch of another shape or with bad masses, changing nothing', async () => {
    const a = started(x);
    const before = await a.readAtoms();
    expect(() => a.reload(join(x, emptySlot()))).toThrow(/atoms in .* systems/);
    const bad = cloneBatch(x);
    bad.masses[3] = 0;
    expect(() => a.reload(bad)).toThrow(/mass/);
    const ptr = cloneBatch(x);
    ptr.atomsPtr[1] = ptr.atomsPtr[2]! + 1;
    expect(() => a.reload(ptr)).toThrow(/atomsPtr/);
    expect(await a.readAtoms()).toEqual(before);
  });
});

describe('CpuEngine.zeroVelocities(systems)', () => {
  it('zeroes only the given systems and keeps positions', async () => {
    const batch = join(
      argonCrystal(2, 0.1, 60, 1),
      argonGas(10, 12, true, 90, 2),
      argonGas(8, 12, true, 90, 3),
    );
    const engine = started(batch);
    const before = await engine.readAtoms();
    await engine.zeroVelocities([1]);
    const after = await engine.readAtoms();
    const [a, b] = [3 * batch.atomsPtr[1]!, 3 * batch.atomsPtr[2]!];
    expect(after.positions).toEqual(before.positions);
    expect([...after.velocities.subarray(a, b)].every((v) => v === 0)).toBe(true);
    expect(after.velocities.subarray(0, a)).toEqual(before.velocities.subarray(0, a));
    expect(after.velocities.subarray(b)).toEqual(before.velocities.subarray(b));
    await expect(engine.zeroVelocities([3])).rejects.toThrow(/out of range/);
  });
});

describe('CpuEngine constraints', () => {
  for (const kind of Object.keys(STAGES) as (keyof typeof STAGES)[]) {
    it(`frozen atoms stay put under ${kind}; the others move; lifting restores them`, async () => {
      const batch = twoSystems();
      const frozen = everyNth(batch.nAtoms, 5, 2);
      const engine = started(batch);
      engine.setConstraints({ frozen });
      const start = engine.readExact().batch;
      const dynamics = engine.createDynamics(STAGES[kind]);
      steps(engine, dynamics, 0, 12);
      const { batch: end, forces } = engine.readExact();
      let moved = 0;
      for (let i = 0; i < batch.nAtoms; i++) {
        const p = [0, 1, 2].map((a) => end.positions[3 * i + a]!);
        const p0 = [0, 1, 2].map((a) => start.positions[3 * i + a]!);
        if (frozen[i]) {
          expect(p).toEqual(p0);
          expect([0, 1, 2].map((a) => end.velocities[3 * i + a])).toEqual([0, 0, 0]);
          expect([0, 1, 2].map((a) => forces.forces[3 * i + a])).toEqual([0, 0, 0]);
        } else if (p.some((v, a) => v !== p0[a])) moved++;
      }
      expect(moved).toBe(batch.nAtoms - frozen.reduce((n, f) => n + f, 0));
      // Temperature over 3·(N − N_frozen) degrees of freedom; masses come back unchanged.
      computeAndStats(engine);
      const stats = await engine.readStats();
      const ke = kineticEnergyPerSystem({ ...end, masses: batch.masses });
      for (let s = 0; s < 2; s++) {
        const n = batch.atomsPtr[s + 1]! - batch.atomsPtr[s]!;
        let nf = 0;
        for (let i = batch.atomsPtr[s]!; i < batch.atomsPtr[s + 1]!; i++) nf += frozen[i]!;
        expect(stats.kineticEnergy[s]).toBeCloseTo(ke[s]!, 14);
        expect(stats.temperature[s]).toBeCloseTo((2 * ke[s]!) / (3 * (n - nf) * BOLTZMANN_EV_PER_K), 10);
      }
      expect(end.masses).toEqual(batch.masses);
      // Lifting: the atoms feel their forces again (NVE moves them).
      engine.setConstraints({ frozen: null });
      const nve = engine.createDynamics(STAGES.nve);
      steps(engine, nve, 0, 2);
      const lifted = engine.readExact().batch;
      for (let i = 0; i < batch.nAtoms; i++) {
        if (frozen[i]) expect(lifted.positions[3 * i]).not.toBe(end.positions[3 * i]);
      }
    });
  }

  it('caps forces per system as the reference, and lifting the cap restores them', async () => {
    const batch = join(argonCrystal(2, 0.3, 0, 4), argonCrystal(2, 0.3, 0, 5));
    const engine = started(batch);
    const reference = lennardJonesReference(batch, ARGON_LJ);
    const maxForce = Float64Array.of(0.02, Number.POSITIVE_INFINITY);
    engine.setConstraints({ maxForce });
    const capped = reference.forces.slice();
    constrainForces(batch, capped, null, maxForce);
    expect(engine.readExact().forces.forces).toEqual(capped);
    computeAndStats(engine);
    const stats = await engine.readStats();
    expect(stats.maxForce[0]).toBeCloseTo(0.02, 12);
    expect(stats.maxForce[1]).toBeGreaterThan(0.02);
    // Per-atom energies stay as computed.
    expect(engine.readExact().forces.energies).toEqual(reference.energies);
    engine.setConstraints({ maxForce: null });
    computeAndStats(engine);
    expect(engine.readExact().forces.forces).toEqual(reference.forces);
  });

  it('rejects flags or caps of the wrong length and non-positive caps', () => {
    const engine = started();
    expect(() => engine.setConstraints({ frozen: new Uint8Array(3) })).toThrow(/one per atom/);
    expect(() => engine.setConstraints({ maxForce: Float64Array.of(1) })).toThrow(/one per system/);
    expect(() => engine.setConstraints({ maxForce: Float64Array.of(1, 0) })).toThrow(/> 0/);
  });

  it('reference constrainForces: frozen atoms get zero, long forces keep direction', () => {
    const forces = Float64Array.of(3, 4, 0, 0.3, 0.4, 0, 1, 1, 1);
    constrainForces(
      { nSystems: 1, atomsPtr: Int32Array.of(0, 3) },
      forces,
      Uint8Array.of(0, 0, 1),
      Float64Array.of(1),
    );
    expect([...forces].map((f) => Number(f.toFixed(12)))).toEqual([0.6, 0.8, 0, 0.3, 0.4, 0, 0, 0, 0]);
  });
});
