import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StageSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import { cloneBatch } from '../batch.ts';
import { type ForceResult, lennardJonesReference } from '../reference/lennardJones.ts';
import {
  initialNoseHooverChain,
  type NoseHooverChain,
  type NoseHooverParams,
  noseHooverStep,
} from '../reference/noseHoover.ts';
import type { GpuNoseHoover } from './noseHoover.ts';
import {
  ARGON,
  argonFcc,
  concatenateBatches,
  expectClose,
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

async function expectChainsClose(nhc: GpuNoseHoover, chains: NoseHooverChain[], what: string) {
  const gpu = await nhc.readChains();
  gpu.forEach((g, s) => {
    expectClose(g.etaDot, chains[s]!.etaDot, 1e-8, 1e-3, `${what} η̇ of system ${s}`);
    expectClose(g.eta, chains[s]!.eta, 1e-7, 1e-3, `${what} η of system ${s}`);
  });
}

describe('GPU Nosé–Hoover chain vs the f64 reference', () => {
  test('1 step, then 20: positions, velocities, forces and the chain', async () => {
    // 60 K start, 85 K target, short τ so that the chain is busy within 20 steps; NULL atoms too.
    const batch = withNullAtoms(withVelocities(argonFcc(4, 0.15, 0, 31), 60, 31), 37, 5);
    const p: NoseHooverParams = { dt: 5, temperature: 85, tau: 40, chainLength: 3 };
    await withErrorScopes(device, async () => {
      const engine = await startArgonEngine(device, batch);
      const nhc = engine.createDynamics(
        StageSpec.parse({ kind: 'nose-hoover', steps: 20, ...p }),
      ) as GpuNoseHoover;
      const ref = cloneBatch(batch);
      const chains = [initialNoseHooverChain(3)];
      let forces = forceFn(ref);
      runSteps(engine, nhc, 0, 1);
      forces = noseHooverStep(ref, forces, forceFn, p, chains);
      await expectStateClose(engine, ref, forces, 1e-5, 'NHC 1 step');
      await expectChainsClose(nhc, chains, 'NHC 1 step');
      runSteps(engine, nhc, 0, 19);
      for (let k = 1; k < 20; k++) forces = noseHooverStep(ref, forces, forceFn, p, chains);
      await expectStateClose(engine, ref, forces, 1e-4, 'NHC 20 steps');
      await expectChainsClose(nhc, chains, 'NHC 20 steps');
      expect(Math.abs(chains[0]!.etaDot[0]!)).toBeGreaterThan(1e-4); // the thermostat acted
      expect([...(await engine.readStepCounters())]).toEqual([20]);
      expect(await nhc.readTimeStep()).toEqual(Float64Array.of(5));
      nhc.reset();
      const rest = await nhc.readChains();
      expect([...rest[0]!.eta, ...rest[0]!.etaDot]).toEqual([0, 0, 0, 0, 0, 0]);
      nhc.destroy();
      engine.destroy();
    });
  });

  test('masked: other systems untouched; each system has its own chain and N_f', async () => {
    const a = withVelocities(argonFcc(3, 0.1, 0, 32), 120, 32);
    const b = withVelocities(argonFcc(4, 0.1, 0, 33), 30, 33);
    const batch = concatenateBatches([a, b]);
    const p: NoseHooverParams = { dt: 5, temperature: 85, tau: 40, chainLength: 2 };
    await withErrorScopes(device, async () => {
      const engine = await startArgonEngine(device, batch, Int32Array.of(3, 3));
      const nhc = engine.createDynamics(
        StageSpec.parse({ kind: 'nose-hoover', steps: 5, ...p }),
      ) as GpuNoseHoover;
      // Both systems on code 3 for 5 steps, against the reference of the whole batch.
      const ref = cloneBatch(batch);
      const chains = [initialNoseHooverChain(2), initialNoseHooverChain(2)];
      let forces = forceFn(ref);
      runSteps(engine, nhc, 3, 5);
      for (let k = 0; k < 5; k++) forces = noseHooverStep(ref, forces, forceFn, p, chains);
      await expectStateClose(engine, ref, forces, 1e-4, 'two systems');
      await expectChainsClose(nhc, chains, 'two systems');
      // Now only system 1 (code 4): system 0 and its chain stay bit for bit.
      engine.writeStatus(Int32Array.of(3, 4));
      const before = await engine.readAtoms();
      const chainsBefore = await nhc.readChains();
      runSteps(engine, nhc, 4, 3);
      const after = await engine.readAtoms();
      const split = 3 * a.nAtoms;
      expect(after.positions.subarray(0, split)).toEqual(before.positions.subarray(0, split));
      expect(after.velocities.subarray(0, split)).toEqual(before.velocities.subarray(0, split));
      expect(after.positions.subarray(split)).not.toEqual(before.positions.subarray(split));
      const chainsAfter = await nhc.readChains();
      expect(chainsAfter[0]).toEqual(chainsBefore[0]);
      expect(chainsAfter[1]).not.toEqual(chainsBefore[1]);
      expect([...(await engine.readStepCounters())]).toEqual([5, 8]);
      nhc.destroy();
      engine.destroy();
    });
  });
});
