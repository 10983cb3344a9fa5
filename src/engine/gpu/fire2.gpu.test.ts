import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StageSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import { cloneBatch } from '../batch.ts';
import { type Fire2Params, type Fire2State, fire2Step, initialFire2State } from '../reference/fire2.ts';
import { type ForceResult, lennardJonesReference } from '../reference/lennardJones.ts';
import type { GpuFire2 } from './fire2.ts';
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

async function expectFire2StateClose(fire2: GpuFire2, state: Fire2State[], what: string) {
  const gpu = await fire2.readState();
  gpu.forEach((g, s) => {
    const r = state[s]!;
    expect([g.nPositive, g.steps], `${what} counters of system ${s}`).toEqual([r.nPositive, r.steps]);
    expectClose([g.dt, g.alpha], [r.dt, r.alpha], 0, 1e-5, `${what} dt, α of system ${s}`);
  });
}

describe('GPU FIRE2 vs the f64 reference', () => {
  test('1 step, then 35, through growth and a P ≤ 0 restart', async () => {
    // A warm jittered crystal; a short N_delay lets dt grow to dtMax, and the overshoot near step 30 cuts it.
    const batch = withNullAtoms(withVelocities(argonFcc(4, 0.25, 0, 41), 30, 41), 41, 2);
    const p: Fire2Params = { dtMax: 20, dtMin: 0.5, maxStep: 0.2, nDelay: 3, initialDelay: true };
    await withErrorScopes(device, async () => {
      const engine = await startArgonEngine(device, batch);
      const fire2 = engine.createDynamics(
        StageSpec.parse({ kind: 'fire2', steps: 35, dt: 5, ...p }),
      ) as GpuFire2;
      const ref = cloneBatch(batch);
      const state = [initialFire2State(5)];
      let forces = forceFn(ref);
      runSteps(engine, fire2, 0, 1);
      forces = fire2Step(ref, forces, forceFn, p, state);
      await expectStateClose(engine, ref, forces, 1e-5, 'FIRE2 1 step');
      await expectFire2StateClose(fire2, state, 'FIRE2 1 step');
      const dts = [state[0]!.dt];
      for (let k = 1; k < 35; k++) {
        runSteps(engine, fire2, 0, 1);
        forces = fire2Step(ref, forces, forceFn, p, state);
        dts.push(state[0]!.dt);
      }
      console.info(`FIRE2 dt per step: ${dts.map((d) => d.toFixed(3)).join(' ')}`);
      await expectStateClose(engine, ref, forces, 1e-4, 'FIRE2 35 steps');
      await expectFire2StateClose(fire2, state, 'FIRE2 35 steps');
      // The test went through both branches: dt grew (n⁺ > N_delay) and was cut (P ≤ 0).
      expect(dts.some((d, k) => k > 0 && d > dts[k - 1]!)).toBe(true);
      expect(dts.some((d, k) => k > 0 && d < dts[k - 1]!)).toBe(true);
      expect([...(await engine.readStepCounters())]).toEqual([35]);
      fire2.reset();
      expectClose(await fire2.readTimeStep(), [5], 0, 0, 'FIRE2 dt after reset');
      fire2.destroy();
      engine.destroy();
    });
  });

  test('masked: only systems with the code move; each has its own dt', async () => {
    const a = withVelocities(argonFcc(3, 0.2, 0, 42), 20, 42);
    const b = argonFcc(4, 0.3, 0, 43);
    const batch = concatenateBatches([a, b]);
    const p: Fire2Params = { dtMax: 20, dtMin: 0.02, maxStep: 0.2, nDelay: 2, initialDelay: false };
    await withErrorScopes(device, async () => {
      const engine = await startArgonEngine(device, batch, Int32Array.of(1, 2));
      const fire2 = engine.createDynamics(
        StageSpec.parse({ kind: 'fire2', steps: 9, dt: 4, ...p }),
      ) as GpuFire2;
      const before = await engine.readAtoms();
      runSteps(engine, fire2, 2, 6);
      const after = await engine.readAtoms();
      const split = 3 * a.nAtoms;
      expect(after.positions.subarray(0, split)).toEqual(before.positions.subarray(0, split));
      expect(after.velocities.subarray(0, split)).toEqual(before.velocities.subarray(0, split));
      // System 1 follows the reference of system 1 alone.
      const ref = cloneBatch(b);
      const state = [initialFire2State(4)];
      let forces = forceFn(ref);
      for (let k = 0; k < 6; k++) forces = fire2Step(ref, forces, forceFn, p, state);
      expectPositionsClose(after.positions.subarray(split), ref, 1e-4, 'system 1');
      const gpu = await fire2.readState();
      expect(gpu[0]).toEqual({ dt: 4, alpha: 0.25, nPositive: 0, steps: 0 });
      expectClose([gpu[1]!.dt], [state[0]!.dt], 0, 1e-5, 'system 1 dt');
      expect([...(await engine.readStepCounters())]).toEqual([0, 6]);
      fire2.destroy();
      engine.destroy();
    });
  });
});
