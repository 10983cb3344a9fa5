/**
 * Hooks that act through the engine (wrap, force-clamp, freeze) on the WebGPU engine, checked
 * against the f64 reference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneBatch } from '../batch.ts';
import { createGpuEngine, type WebGpuEngine } from '../gpu/engine.ts';
import { argonFcc, expectClose, testDevice, withErrorScopes } from '../gpu/testing.ts';
import { lennardJonesReference } from '../reference/lennardJones.ts';
import {
  computeForces,
  hookContext,
  nveStage,
  runHookedSteps,
  slotsOfBatch,
  TEST_ARGON,
} from './context.testing.ts';
import { forceClampHook } from './forceClamp.ts';
import { freezeHook } from './freeze.ts';
import { wrapHook } from './wrap.ts';

const nve = nveStage(2);
const emit = () => {};
const L = 3 * 5.26;

let device: GPUDevice;
const engines: WebGpuEngine[] = [];
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => {
  for (const e of engines) e.destroy();
});

/** 108 argon atoms (3×3×3 fcc, L = 15.78 Å), 5 Å cutoff, 2 Å skin. */
async function engineFor(batch = argonFcc(3, 0.05)) {
  const engine = await createGpuEngine(device, batch, TEST_ARGON, { skin: 2 });
  engines.push(engine);
  engine.writeStatus(new Int32Array(1));
  engine.resetStepCounters();
  computeForces(engine);
  return { batch, engine, slots: slotsOfBatch(batch) };
}

describe('hooks on the WebGPU engine', () => {
  it('wrap: positions that drifted out of the cell are back inside after the next force evaluation', async () => {
    await withErrorScopes(device, async () => {
      const { batch, engine, slots } = await engineFor();
      // Shift the crystal by 2.4 Å along x (wrapped), so atoms sit 0.23 Å below x = L, and give every
      // atom the same drift of 0.005 Å/fs along x: 60 steps of 2 fs carry them 0.6 Å out of the cell,
      // less than skin/2, so no rebuild (and no wrap) happens on its own.
      const positions = batch.positions.map((x, k) => (k % 3 === 0 ? (x + 2.4) % L : x));
      const velocities = batch.velocities.map((_, k) => (k % 3 === 0 ? 0.005 : 0));
      engine.writeAtoms(positions, velocities);
      computeForces(engine);
      const builds = await engine.readRebuildCount();
      const dynamics = engine.createDynamics(nve);
      await runHookedSteps(engine, dynamics, [], slots, { steps: 60 });
      const drifted = await engine.readAtoms();
      expect(await engine.readRebuildCount()).toBe(builds);
      const outside = (p: Float32Array) => Array.from(p).filter((x) => x < 0 || x >= L).length;
      expect(outside(drifted.positions)).toBeGreaterThan(0);

      // The wrap hook fires after step 65; step 66's force evaluation rebuilds the list and wraps.
      const wrap = wrapHook({ kind: 'wrap', every: 5 }, { emit });
      await runHookedSteps(engine, dynamics, [wrap], slots, { steps: 6, first: 60 });
      const wrapped = await engine.readAtoms();
      expect(await engine.readRebuildCount()).toBe(builds + 1);
      expect(outside(wrapped.positions)).toBe(0);
      // Wrapping moved atoms by whole cell vectors only: forces match the f64 reference of the
      // wrapped positions, and the unwrapped drift is what 66 steps of 0.01 Å make.
      const ref = lennardJonesReference(
        { ...cloneBatch(batch), positions: Float64Array.from(wrapped.positions) },
        TEST_ARGON,
      );
      expectClose(wrapped.forces, ref.forces, 1e-4, 1e-3, 'forces after wrap');
      let moved = 0;
      for (let i = 0; i < batch.nAtoms; i++) {
        const dx = wrapped.positions[3 * i]! - positions[3 * i]!;
        moved = Math.max(moved, Math.abs(dx - L * Math.round(dx / L) - 0.66));
      }
      expect(moved).toBeLessThan(0.05);
    });
  });

  it('force-clamp: forces read back are the reference forces scaled down to maxForce', async () => {
    await withErrorScopes(device, async () => {
      const batch = argonFcc(3, 0.05);
      batch.positions[0]! += 1.3; // atom 0 pushed towards a neighbor: forces of order 1 eV/Å
      const { engine, slots } = await engineFor(batch);
      const hook = forceClampHook({ kind: 'force-clamp', maxForce: 0.1 }, { emit });
      await hook.run(hookContext(engine, slots, { point: 'before-step' }));
      computeForces(engine);
      const atoms = await engine.readAtoms();
      const ref = lennardJonesReference(
        { ...cloneBatch(batch), positions: Float64Array.from(atoms.positions) },
        TEST_ARGON,
      );
      const clamped = Float64Array.from(ref.forces);
      let scaled = 0;
      for (let i = 0; i < batch.nAtoms; i++) {
        const f = Math.hypot(ref.forces[3 * i]!, ref.forces[3 * i + 1]!, ref.forces[3 * i + 2]!);
        if (f <= 0.1) continue;
        scaled++;
        for (let k = 0; k < 3; k++) clamped[3 * i + k]! *= 0.1 / f;
      }
      expect(scaled).toBeGreaterThan(1);
      expectClose(atoms.forces, clamped, 1e-4, 1e-3, 'clamped forces');
      hook.dispose?.(engine);
      computeForces(engine);
      expectClose(
        (await engine.readAtoms()).forces,
        ref.forces,
        1e-4,
        1e-3,
        'forces after the clamp is lifted',
      );
    });
  });

  it('freeze: held atoms keep position and zero velocity through NVE steps, the others move', async () => {
    await withErrorScopes(device, async () => {
      const batch = argonFcc(3, 0.05, 40, 3);
      const { engine, slots } = await engineFor(batch);
      const before = await engine.readAtoms();
      const hook = freezeHook({ kind: 'freeze', atoms: [0, 17, 50], types: [] }, { emit });
      await runHookedSteps(engine, engine.createDynamics(nve), [hook], slots, { steps: 10 });
      const after = await engine.readAtoms();
      for (let i = 0; i < batch.nAtoms; i++) {
        const p = [0, 1, 2].map((k) => after.positions[3 * i + k]);
        const p0 = [0, 1, 2].map((k) => before.positions[3 * i + k]);
        if ([0, 17, 50].includes(i)) {
          expect(p, `atom ${i}`).toEqual(p0);
          expect([0, 1, 2].map((k) => after.velocities[3 * i + k])).toEqual([0, 0, 0]);
          expect([0, 1, 2].map((k) => after.forces[3 * i + k])).toEqual([0, 0, 0]);
        } else {
          expect(p, `atom ${i}`).not.toEqual(p0);
        }
      }
      hook.dispose?.(engine);
    });
  });
});
