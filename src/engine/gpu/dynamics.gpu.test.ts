import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StageSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import { cloneBatch } from '../batch.ts';
import { type FireState, fireStep, initialFireState, langevinStep, nveStep } from '../reference/dynamics.ts';
import { type ForceResult, lennardJonesReference } from '../reference/lennardJones.ts';
import {
  ARGON,
  argonFcc,
  concatenateBatches,
  expectClose,
  expectPositionsClose,
  expectStateClose,
  runSteps,
  startArgonEngine,
  testDevice,
  withErrorScopes,
  withNullAtoms,
  withVelocities,
} from './testing.ts';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device.destroy());

const forceFn = (b: Batch): ForceResult => lennardJonesReference(b, ARGON);

/** A jittered argon crystal at 60 K with some NULL atoms (integrated, force-free). */
function testBatch(seed: number): Batch {
  return withNullAtoms(withVelocities(argonFcc(4, 0.15, 0, seed), 60, seed), 37, 5);
}

describe('GPU dynamics vs the reference integrators', () => {
  test('NVE (velocity Verlet): 1 step, then 20', async () => {
    const batch = testBatch(21);
    await withErrorScopes(device, async () => {
      const engine = await startArgonEngine(device, batch);
      const nve = engine.createDynamics(StageSpec.parse({ kind: 'nve', steps: 20, dt: 5 }));
      const ref = cloneBatch(batch);
      let forces = forceFn(ref);
      runSteps(engine, nve, 0, 1);
      forces = nveStep(ref, forces, forceFn, 5);
      await expectStateClose(engine, ref, forces, 1e-5, 'NVE 1 step');
      runSteps(engine, nve, 0, 19);
      for (let k = 1; k < 20; k++) forces = nveStep(ref, forces, forceFn, 5);
      await expectStateClose(engine, ref, forces, 1e-4, 'NVE 20 steps');
      expect(await nve.readTimeStep()).toEqual(Float64Array.of(5));
      expect([...(await engine.readStepCounters())]).toEqual([20]);
      nve.destroy();
      engine.destroy();
    });
  });

  test('Langevin BAOAB: same random numbers as the reference, 1 step then 20', async () => {
    const batch = testBatch(22);
    const stage = StageSpec.parse({
      kind: 'langevin',
      steps: 20,
      dt: 5,
      temperature: 85,
      friction: 0.01,
      seed: 7,
    });
    const params = { dt: 5, temperature: 85, friction: 0.01, seed: 7 };
    await withErrorScopes(device, async () => {
      const engine = await startArgonEngine(device, batch);
      const langevin = engine.createDynamics(stage);
      const ref = cloneBatch(batch);
      let forces = forceFn(ref);
      runSteps(engine, langevin, 0, 1);
      forces = langevinStep(ref, forces, forceFn, { ...params, step: 0 });
      await expectStateClose(engine, ref, forces, 1e-5, 'Langevin 1 step');
      runSteps(engine, langevin, 0, 19);
      for (let k = 1; k < 20; k++) forces = langevinStep(ref, forces, forceFn, { ...params, step: k });
      await expectStateClose(engine, ref, forces, 1e-4, 'Langevin 20 steps');
      langevin.destroy();
      engine.destroy();
    });
  });

  test('FIRE: 20 steps, with its adaptive time step', async () => {
    const batch = withNullAtoms(argonFcc(4, 0.25, 0, 23), 41, 2);
    const p = { dtMax: 20, maxStep: 0.2 };
    await withErrorScopes(device, async () => {
      const engine = await startArgonEngine(device, batch);
      const fire = engine.createDynamics(StageSpec.parse({ kind: 'fire', steps: 20, dt: 5, ...p }));
      const ref = cloneBatch(batch);
      const state: FireState[] = [initialFireState(5)];
      let forces = forceFn(ref);
      runSteps(engine, fire, 0, 1);
      forces = fireStep(ref, forces, forceFn, p, state);
      await expectStateClose(engine, ref, forces, 1e-5, 'FIRE 1 step');
      runSteps(engine, fire, 0, 19);
      for (let k = 1; k < 20; k++) forces = fireStep(ref, forces, forceFn, p, state);
      await expectStateClose(engine, ref, forces, 1e-4, 'FIRE 20 steps');
      expectClose(await fire.readTimeStep(), [state[0]!.dt], 0, 1e-5, 'FIRE dt');
      expect(state[0]!.dt).not.toBe(5); // the test exercised the adaptation
      fire.reset();
      expectClose(await fire.readTimeStep(), [5], 0, 0, 'FIRE dt after reset');
      fire.destroy();
      engine.destroy();
    });
  });

  test('masked updates touch only systems whose status equals the code', async () => {
    const a = testBatch(24);
    const b = withVelocities(argonFcc(4, 0.2, 0, 25), 40, 25);
    const batch = concatenateBatches([a, b]);
    await withErrorScopes(device, async () => {
      const engine = await startArgonEngine(device, batch, Int32Array.of(0, 1));
      const initial = await engine.readAtoms();
      const nve = engine.createDynamics(StageSpec.parse({ kind: 'nve', steps: 5, dt: 5 }));
      const fire = engine.createDynamics(StageSpec.parse({ kind: 'fire', steps: 5, dt: 5 }));
      runSteps(engine, nve, 0, 5);
      const afterNve = await engine.readAtoms();
      const split = 3 * a.nAtoms;
      // System 1 is untouched, bit for bit; system 0 follows the reference.
      expect(afterNve.positions.subarray(split)).toEqual(initial.positions.subarray(split));
      expect(afterNve.velocities.subarray(split)).toEqual(initial.velocities.subarray(split));
      const ref = cloneBatch(a);
      let forces = forceFn(ref);
      for (let k = 0; k < 5; k++) forces = nveStep(ref, forces, forceFn, 5);
      expectPositionsClose(afterNve.positions.subarray(0, split), ref, 1e-4, 'system 0');
      expect([...(await engine.readStepCounters())]).toEqual([5, 0]);
      // Now FIRE on code 1: system 0 stays where NVE left it.
      runSteps(engine, fire, 1, 3);
      const afterFire = await engine.readAtoms();
      expect(afterFire.positions.subarray(0, split)).toEqual(afterNve.positions.subarray(0, split));
      expect(afterFire.velocities.subarray(0, split)).toEqual(afterNve.velocities.subarray(0, split));
      expect(afterFire.positions.subarray(split)).not.toEqual(afterNve.positions.subarray(split));
      expect([...(await engine.readStepCounters())]).toEqual([5, 3]);
      nve.destroy();
      fire.destroy();
      engine.destroy();
    });
  });
});
