/**
 * The GPU engine's inflight batching (reload), per-system zeroVelocities, requestRebuild and
 * constraints, against fresh engines and the f64 CPU engine (tolerances of DESIGN §3).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StageSpec } from '../../io/spec.ts';
import type { SystemStats } from '../api.ts';
import type { Batch } from '../batch.ts';
import { cloneBatch } from '../batch.ts';
import { CpuEngine } from '../cpu/engine.ts';
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
import type { WebGpuEngine } from './engine.ts';
import type { GpuFire2 } from './fire2.ts';
import type { GpuNoseHoover } from './noseHoover.ts';
import {
  batchAt,
  expectClose,
  expectPositionsClose,
  startArgonEngine,
  testDevice,
  withErrorScopes,
} from './testing.ts';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device.destroy());

const STAGES = {
  nve: StageSpec.parse({ kind: 'nve', steps: 10, dt: 5 }),
  langevin: StageSpec.parse({ kind: 'langevin', steps: 10, dt: 5, temperature: 80, friction: 0.02, seed: 3 }),
  'nose-hoover': StageSpec.parse({ kind: 'nose-hoover', steps: 10, dt: 5, temperature: 80, tau: 40 }),
  fire: StageSpec.parse({ kind: 'fire', steps: 10, dt: 5, dtMax: 20, maxStep: 0.2 }),
  fire2: StageSpec.parse({ kind: 'fire2', steps: 10, dt: 5, dtMax: 20, maxStep: 0.2 }),
} as const;
const KINDS = Object.keys(STAGES) as (keyof typeof STAGES)[];

/** A CPU engine on `batch` with forces evaluated (as startArgonEngine does on the GPU). */
function cpuEngine(batch: Batch, status?: Int32Array): CpuEngine {
  const engine = new CpuEngine(batch, ARGON_LJ);
  engine.writeStatus(status ?? new Int32Array(batch.nSystems));
  computeAndStats(engine);
  return engine;
}

async function statsOf(engine: WebGpuEngine): Promise<SystemStats> {
  computeAndStats(engine);
  return engine.readStats();
}

/** Per-system statistics within DESIGN §3 of the f64 CPU engine's. */
function expectStatsClose(gpu: SystemStats, cpu: SystemStats, what: string): void {
  expectClose(gpu.potentialEnergy, cpu.potentialEnergy, 1e-6, 1e-5, `${what} potential energy`);
  expectClose(gpu.kineticEnergy, cpu.kineticEnergy, 1e-7, 1e-5, `${what} kinetic energy`);
  expectClose(gpu.temperature, cpu.temperature, 1e-3, 1e-5, `${what} temperature`);
  expectClose(gpu.maxForce, cpu.maxForce, 1e-4, 1e-3, `${what} max force`);
  expectClose(gpu.virial, cpu.virial, 5e-4, 0, `${what} virial`);
}

/** GPU atoms within DESIGN §3 of the CPU engine's state: positions dx Å, velocities, forces. */
async function expectAtomsClose(gpu: WebGpuEngine, cpu: CpuEngine, dx: number, what: string) {
  const atoms = await gpu.readAtoms();
  const { batch, forces } = cpu.readExact();
  expectPositionsClose(atoms.positions, batch, dx, what);
  expectClose(atoms.velocities, batch.velocities, 1e-6, 1e-3, `${what} velocities`);
  expectClose(atoms.forces, forces.forces, 1e-4, 1e-3, `${what} forces`);
}

/** Statistics of a system that holds NULL atoms only: all zero and finite. */
function expectIdle(stats: SystemStats, s: number, what: string): void {
  const values = [stats.potentialEnergy[s], stats.kineticEnergy[s], stats.temperature[s], stats.maxForce[s]];
  expect(values, `${what}: PE, KE, T, max |F| of system ${s}`).toEqual([0, 0, 0, 0]);
  expect(
    [...stats.virial.subarray(9 * s, 9 * s + 9)].every((w) => w === 0),
    `${what}: virial`,
  ).toBe(true);
  expect(
    [...(stats.stress?.subarray(9 * s, 9 * s + 9) ?? [])].every(Number.isFinite),
    `${what}: stress`,
  ).toBe(true);
}

describe('GPU reload (inflight batching)', () => {
  // Slots: a crystal, an open cluster, another crystal, the reservoir of NULL atoms.
  const x = join(
    argonCrystal(2, 0.15, 60, 11),
    argonGas(20, 20, false, 50, 12),
    argonCrystal(2, 0.1, 40, 14),
    nullReservoir(9),
  );

  test('equals a fresh engine on the new batch; counters and status carry over; cell buffers grow', async () => {
    await withErrorScopes(device, async () => {
      const a = await startArgonEngine(device, x, Int32Array.of(0, 0, 0, 5));
      const nve = a.createDynamics(STAGES.nve);
      steps(a, nve, 0, 5);
      const kept = survivor(x, 0, await a.readAtoms());
      // Slot 0 keeps its system, slot 1 empties, slot 2 takes a gas in a much bigger periodic cell.
      const y = join(kept, emptySlot(), argonGas(26, 40, true, 70, 13), nullReservoir(x.nAtoms - 59));
      const cellsBefore = a.listCells;
      a.reload(y);
      expect(a.listCells.count).toBeGreaterThan(cellsBefore.allocated);
      expect(a.listCells.allocated).toBe(a.listCells.count);
      const stats = await statsOf(a);
      const atoms = await a.readAtoms();
      const fresh = await startArgonEngine(device, y, Int32Array.of(0, 0, 0, 5));
      const freshStats = await statsOf(fresh);
      const freshAtoms = await fresh.readAtoms();
      // Same f32 inputs, same deterministic list: the same numbers.
      expect(atoms).toEqual(freshAtoms);
      expect(stats).toEqual(freshStats);
      expect([...(await a.readStepCounters())]).toEqual([5, 5, 5, 0]);
      const cpu = cpuEngine(y);
      expectStatsClose(stats, await cpu.readStats(), 'reloaded');
      await expectAtomsClose(a, cpu, 1e-5, 'reloaded');
      expectIdle(stats, 1, 'empty slot');
      expectIdle(stats, 3, 'reservoir');
      // Status survived: code 0 moves slots 0–2 and leaves the reservoir (code 5) alone.
      const before = await a.readAtoms();
      steps(a, nve, 0, 3);
      const after = await a.readAtoms();
      expect(after.positions.subarray(3 * 59)).toEqual(before.positions.subarray(3 * 59));
      expect(after.positions.subarray(0, 3)).not.toEqual(before.positions.subarray(0, 3));
      nve.destroy();
      a.destroy();
      fresh.destroy();
    });
  });

  test('a kept slot continues its FIRE run as if never reloaded; NHC and FIRE2 state are untouched', async () => {
    const x2 = join(argonCrystal(2, 0.25, 0, 21), argonCrystal(2, 0.25, 0, 22), nullReservoir(8));
    await withErrorScopes(device, async () => {
      const a = await startArgonEngine(device, x2);
      const u = await startArgonEngine(device, x2);
      const fireA = a.createDynamics(STAGES.fire);
      const fireU = u.createDynamics(STAGES.fire);
      steps(a, fireA, 0, 8);
      steps(u, fireU, 0, 8);
      const kept = survivor(x2, 0, await a.readAtoms());
      a.reload(join(kept, argonGas(30, 25, true, 60, 23), nullReservoir(x2.nAtoms - 62)));
      computeAndStats(a); // the runner evaluates forces after a reload, before the next pre-update
      steps(a, fireA, 0, 8);
      steps(u, fireU, 0, 8);
      const atomsA = await a.readAtoms();
      const ref = survivor(x2, 0, await u.readAtoms());
      expectPositionsClose(atomsA.positions.subarray(0, 96), ref, 1e-4, 'kept slot after reload');
      expectClose(atomsA.velocities.subarray(0, 96), ref.velocities, 1e-6, 1e-3, 'kept slot velocities');
      const dtA = await fireA.readTimeStep();
      const dtU = await fireU.readTimeStep();
      expectClose([dtA[0]!], [dtU[0]!], 0, 1e-6, 'FIRE dt of the kept slot');
      expect(dtU[0]).not.toBe(STAGES.fire.dt); // FIRE adapted dt: the state mattered

      const nhc = a.createDynamics(STAGES['nose-hoover']) as GpuNoseHoover;
      const fire2 = a.createDynamics(STAGES.fire2) as GpuFire2;
      a.writeStatus(Int32Array.of(0, 1, 2));
      steps(a, nhc, 0, 4);
      steps(a, fire2, 1, 4);
      const chains = await nhc.readChains();
      const fire2State = await fire2.readState();
      a.reload(x2);
      expect(await nhc.readChains()).toEqual(chains);
      expect(await fire2.readState()).toEqual(fire2State);
      for (const d of [fireA, fireU, nhc, fire2]) d.destroy();
      a.destroy();
      u.destroy();
    });
  });

  test('refuses batches it cannot take and changes nothing', async () => {
    await withErrorScopes(device, async () => {
      const a = await startArgonEngine(device, x);
      const before = await statsOf(a);
      const atomsBefore = await a.readAtoms();
      expect(() => a.reload(join(x, emptySlot()))).toThrow(/atoms in .* systems/);
      const massless = cloneBatch(x);
      massless.masses[4] = 0;
      expect(() => a.reload(massless)).toThrow(/mass/);
      const skewed = cloneBatch(x);
      skewed.cells[1] = 0.5;
      expect(() => a.reload(skewed)).toThrow(/restricted triclinic/);
      const tiny = cloneBatch(x);
      tiny.cells.set([3, 0, 0, 0, 3, 0, 0, 0, 3], 9 * 3);
      tiny.pbc.set([1, 1, 1], 3 * 3);
      expect(() => a.reload(tiny)).toThrow(/periodic images/);
      expect(await statsOf(a)).toEqual(before);
      expect(await a.readAtoms()).toEqual(atomsBefore);
      a.destroy();
    });
  });
});

describe('NULL atoms in the row order', () => {
  test('stay in the last rows of their system, in original order, through rebuilds and reloads', async () => {
    const crystal = argonCrystal(2, 0.2, 80, 31);
    for (let i = 3; i < crystal.nAtoms; i += 7) crystal.types[i] = -1;
    const batch = join(crystal, nullReservoir(300), argonGas(12, 14, true, 90, 32));
    const expectNullsLast = async (engine: WebGpuEngine, b: Batch, what: string) => {
      const original = await engine.readOriginalIndex();
      for (let s = 0; s < b.nSystems; s++) {
        const nulls: number[] = [];
        for (let i = b.atomsPtr[s]!; i < b.atomsPtr[s + 1]!; i++) if (b.types[i]! < 0) nulls.push(i);
        const tail = [...original.subarray(b.atomsPtr[s + 1]! - nulls.length, b.atomsPtr[s + 1]!)];
        expect(tail, `${what}: NULL rows of system ${s}`).toEqual(nulls);
      }
    };
    await withErrorScopes(device, async () => {
      const engine = await startArgonEngine(device, batch);
      const cpu = cpuEngine(batch);
      await expectNullsLast(engine, batch, 'first build');
      const nve = engine.createDynamics(STAGES.nve);
      const nveC = cpu.createDynamics(STAGES.nve);
      for (let k = 0; k < 3; k++) {
        engine.requestRebuild();
        steps(engine, nve, 0, 2);
        steps(cpu, nveC, 0, 2);
      }
      expect(await engine.readRebuildCount()).toBe(4);
      await expectNullsLast(engine, batch, 'after rebuilds');
      await expectAtomsClose(engine, cpu, 1e-4, 'NVE with NULL atoms');
      const atoms = await engine.readAtoms();
      engine.writeAtoms(atoms.positions, atoms.velocities);
      computeAndStats(engine);
      await expectNullsLast(engine, batch, 'after writeAtoms');
      const swapped = join(argonGas(12, 14, true, 90, 33), nullReservoir(300), crystal);
      engine.reload(swapped);
      computeAndStats(engine);
      await expectNullsLast(engine, swapped, 'after reload');
      await expectAtomsClose(engine, cpuEngine(swapped), 1e-5, 'reloaded with NULL atoms');
      nve.destroy();
      engine.destroy();
    });
  });
});

describe('GPU zeroVelocities(systems) and requestRebuild', () => {
  test('zeroes only the given systems, keeping positions and masses', async () => {
    const batch = join(
      argonCrystal(2, 0.1, 60, 1),
      argonGas(12, 14, true, 90, 2),
      argonGas(10, 14, true, 90, 3),
    );
    await withErrorScopes(device, async () => {
      const engine = await startArgonEngine(device, batch);
      const nve = engine.createDynamics(STAGES.nve);
      steps(engine, nve, 0, 3);
      const rebuilds = await engine.readRebuildCount();
      const before = await engine.readAtoms();
      await engine.zeroVelocities([1]);
      const after = await engine.readAtoms();
      const [a, b] = [3 * batch.atomsPtr[1]!, 3 * batch.atomsPtr[2]!];
      expect(after.positions).toEqual(before.positions);
      expect([...after.velocities.subarray(a, b)].every((v) => v === 0)).toBe(true);
      expect(after.velocities.subarray(0, a)).toEqual(before.velocities.subarray(0, a));
      expect(after.velocities.subarray(b)).toEqual(before.velocities.subarray(b));
      // Masses kept (velocities.w): NVE from here follows the reference.
      const cpu = cpuEngine(batchAt(batch, after.positions, after.velocities));
      const cpuNve = cpu.createDynamics(STAGES.nve);
      steps(engine, nve, 0, 4);
      steps(cpu, cpuNve, 0, 4);
      await expectAtomsClose(engine, cpu, 1e-4, 'NVE after zeroVelocities');
      expect(await engine.readRebuildCount()).toBe(rebuilds); // no rebuild forced
      engine.requestRebuild();
      computeAndStats(engine);
      expect(await engine.readRebuildCount()).toBe(rebuilds + 1);
      nve.destroy();
      engine.destroy();
    });
  });
});

describe('GPU constraints', () => {
  for (const kind of KINDS) {
    test(`frozen atoms keep bit-identical positions under ${kind}; the others follow the reference`, async () => {
      const batch = join(argonCrystal(2, 0.2, 60, 1), argonGas(24, 14, true, 90, 2));
      const frozen = everyNth(batch.nAtoms, 5, 2);
      await withErrorScopes(device, async () => {
        const gpu = await startArgonEngine(device, batch);
        const cpu = cpuEngine(batch);
        gpu.setConstraints({ frozen });
        cpu.setConstraints({ frozen });
        const start = await gpu.readAtoms();
        const g = gpu.createDynamics(STAGES[kind]);
        const c = cpu.createDynamics(STAGES[kind]);
        steps(gpu, g, 0, 6);
        steps(cpu, c, 0, 6);
        gpu.requestRebuild(); // rows are permuted again: the frozen state must follow its atom
        steps(gpu, g, 0, 6);
        steps(cpu, c, 0, 6);
        expect(await gpu.readRebuildCount()).toBeGreaterThanOrEqual(2);
        const end = await gpu.readAtoms();
        for (let i = 0; i < batch.nAtoms; i++) {
          if (!frozen[i]) continue;
          const at = (a: Float32Array) => [...a.subarray(3 * i, 3 * i + 3)];
          expect(at(end.positions), `atom ${i} position`).toEqual(at(start.positions));
          expect(at(end.velocities), `atom ${i} velocity`).toEqual([0, 0, 0]);
          expect(at(end.forces), `atom ${i} force`).toEqual([0, 0, 0]);
        }
        await expectAtomsClose(gpu, cpu, 1e-4, `${kind} with frozen atoms`);
        const stats = await statsOf(gpu);
        computeAndStats(cpu);
        expectStatsClose(stats, await cpu.readStats(), `${kind} with frozen atoms`);
        // Lifting restores the masses: previously frozen atoms move again, as in the reference.
        gpu.setConstraints({ frozen: null });
        cpu.setConstraints({ frozen: null });
        const nveG = gpu.createDynamics(STAGES.nve);
        const nveC = cpu.createDynamics(STAGES.nve);
        steps(gpu, nveG, 0, 4);
        steps(cpu, nveC, 0, 4);
        await expectAtomsClose(gpu, cpu, 1e-4, `${kind}, then NVE after lifting`);
        const lifted = await gpu.readAtoms();
        expect(lifted.positions[3 * 2]).not.toBe(end.positions[3 * 2]);
        for (const d of [g, nveG]) d.destroy();
        gpu.destroy();
      });
    });
  }

  test('the force cap matches the reference; per-atom energies stay; lifting restores the forces', async () => {
    const batch = join(argonCrystal(2, 0.3, 0, 4), argonCrystal(2, 0.3, 0, 5));
    const maxForce = Float64Array.of(0.02, Number.POSITIVE_INFINITY);
    await withErrorScopes(device, async () => {
      const gpu = await startArgonEngine(device, batch);
      const cpu = cpuEngine(batch);
      const reference = lennardJonesReference(batch, ARGON_LJ);
      gpu.setConstraints({ maxForce });
      cpu.setConstraints({ maxForce });
      const capped = reference.forces.slice();
      constrainForces(batch, capped, null, maxForce);
      const atoms = await gpu.readAtoms();
      expectClose(atoms.forces, capped, 1e-4, 1e-3, 'capped forces');
      expectClose(atoms.energies, reference.energies, 1e-6, 1e-5, 'per-atom energies');
      const stats = await statsOf(gpu);
      expectClose([stats.maxForce[0]!], [0.02], 0, 1e-6, 'capped max |F|');
      expect(stats.maxForce[1]).toBeGreaterThan(0.02);
      const fire = gpu.createDynamics(STAGES.fire);
      const fireC = cpu.createDynamics(STAGES.fire);
      steps(gpu, fire, 0, 6);
      steps(cpu, fireC, 0, 6);
      await expectAtomsClose(gpu, cpu, 1e-4, 'FIRE with a force cap');
      gpu.setConstraints({ maxForce: null });
      const lifted = await statsOf(gpu);
      const free = lennardJonesReference(cpu.readExact().batch, ARGON_LJ);
      expectClose((await gpu.readAtoms()).forces, free.forces, 1e-4, 1e-3, 'forces after lifting the cap');
      expect(lifted.maxForce[0]).toBeGreaterThan(0.02);
      fire.destroy();
      gpu.destroy();
    });
  });
});

describe('degenerate systems through every kernel', () => {
  /** Three argon atoms near each other in a 200 Å open box. */
  function farCluster(): Batch {
    const b = argonGas(3, 200, false, 0, 7);
    b.positions.set([100, 100, 100, 103.8, 100, 100, 100, 103.6, 100.4]);
    b.velocities.set([0.001, 0, 0, 0, -0.002, 0, 0, 0, 0.0015]);
    return b;
  }

  for (const kind of KINDS) {
    test(`${kind}: one-NULL-atom slots, a reservoir and a few atoms in a big open box`, async () => {
      const batch = join(emptySlot(), farCluster(), emptySlot(), nullReservoir(40));
      // Empty slots and the reservoir are parked (a status no stage updates), as the runner does.
      const parked = Int32Array.of(9, 0, 9, 9);
      await withErrorScopes(device, async () => {
        const gpu = await startArgonEngine(device, batch, parked);
        const cpu = cpuEngine(batch, parked);
        const g = gpu.createDynamics(STAGES[kind]);
        const c = cpu.createDynamics(STAGES[kind]);
        steps(gpu, g, 0, 5);
        steps(cpu, c, 0, 5);
        const stats = await statsOf(gpu);
        for (const s of [0, 2, 3]) expectIdle(stats, s, kind);
        computeAndStats(cpu);
        expectStatsClose(stats, await cpu.readStats(), kind);
        await expectAtomsClose(gpu, cpu, 1e-4, kind);
        // Every kernel also runs over the NULL-only systems when they are not parked: finite results
        // (Langevin heats NULL atoms like any other; the potential never sees them).
        gpu.writeStatus(new Int32Array(4));
        steps(gpu, g, 0, 3);
        const active = await statsOf(gpu);
        for (const s of [0, 2, 3]) {
          expect([active.potentialEnergy[s], active.maxForce[s]]).toEqual([0, 0]);
          expect(Number.isFinite(active.kineticEnergy[s]!) && Number.isFinite(active.temperature[s]!)).toBe(
            true,
          );
          if (kind !== 'langevin') expect(active.kineticEnergy[s]).toBe(0);
        }
        const atoms = await gpu.readAtoms();
        expect([...atoms.positions, ...atoms.velocities, ...atoms.forces].every(Number.isFinite)).toBe(true);
        // The whole cluster frozen: no degrees of freedom left, T = 0 (not NaN).
        gpu.setConstraints({
          frozen: Uint8Array.from({ length: batch.nAtoms }, (_, i) => (i >= 1 && i < 4 ? 1 : 0)),
        });
        steps(gpu, g, 0, 2);
        const held = await statsOf(gpu);
        expect([held.kineticEnergy[1], held.temperature[1], held.maxForce[1]]).toEqual([0, 0, 0]);
        expect(Number.isFinite(held.potentialEnergy[1]!)).toBe(true);
        g.destroy();
        gpu.destroy();
      });
    });
  }
});
