/**
 * Velocity Verlet on the GPU against ASE's `VelocityVerlet` (ase.md.verlet, ASE 3.22, run on the test
 * server through the `aseVelocityVerlet` browser command, scripts/ase.ts): 100 NVE steps of a small
 * periodic argon liquid from the same positions and velocities (both f32-rounded, as the GPU holds
 * them), under ASE's `LennardJones(rc, smooth=False)` (energy shifted at rc: our `shift: true`).
 * Every position must end within 1e-4 Å of ASE's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { StageSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import { displacements } from '../gpu/potentialTesting.ts';
import {
  ARGON,
  argonRandom,
  runSteps,
  startArgonEngine,
  testDevice,
  withErrorScopes,
  withVelocities,
} from '../gpu/testing.ts';
import { temperaturePerSystem } from '../reference/observables.ts';
import { toPlainBatch } from './plain.ts';

const STEPS = 100;
/** Time step, fs (argon's usual 5 fs would do too; see the deviation printed). */
const DT = 5;
const POSITION_TOLERANCE = 1e-4;

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device.destroy());

/** 108 argon atoms at random (≥ 3.1 Å apart) in a periodic 18 Å box (1.23 g/cm³), 100 K, f32-rounded. */
function argonLiquid(): Batch {
  const b = withVelocities(argonRandom(108, [18, 18, 18], 4), 100, 9);
  for (let k = 0; k < b.positions.length; k++) {
    b.positions[k] = Math.fround(b.positions[k]!);
    b.velocities[k] = Math.fround(b.velocities[k]!);
  }
  return b;
}

describe('velocity Verlet against ASE (gpu)', () => {
  it(`${STEPS} NVE steps of 108 liquid argon atoms (dt ${DT} fs): positions within ${POSITION_TOLERANCE} Å of ASE's VelocityVerlet`, async () => {
    const batch = argonLiquid();
    const lj = { epsilon: ARGON.epsilon, sigma: ARGON.sigma, cutoff: ARGON.cutoff };
    expect(ARGON.shift).toBe(true);
    const asePending = commands.aseVelocityVerlet(toPlainBatch(batch), 0, lj, DT, STEPS);
    const atoms = await withErrorScopes(device, async () => {
      const engine = await startArgonEngine(device, batch);
      const nve = engine.createDynamics(StageSpec.parse({ kind: 'nve', steps: STEPS, dt: DT }));
      runSteps(engine, nve, 0, STEPS);
      const out = await engine.readAtoms();
      expect(engine.neighborOverflows).toBe(0);
      nve.destroy();
      engine.destroy();
      return out;
    });
    const ase = await asePending;
    const moved = displacements(batch, ase.positions, batch.positions);
    const deviation = displacements(batch, atoms.positions, ase.positions);
    const worst = Math.max(...deviation.map(Math.abs));
    const velocityError = Math.max(...atoms.velocities.map((v, k) => Math.abs(v - ase.velocities[k]!)));
    console.info(
      `velocity Verlet vs ASE ${ase.ase}: ${STEPS} steps of ${DT} fs, atoms moved up to ${Math.max(...moved.map(Math.abs)).toFixed(3)} Å; ` +
        `max position deviation ${worst.toExponential(2)} Å, max velocity deviation ${velocityError.toExponential(2)} Å/fs; ` +
        `T₀ ${temperaturePerSystem(batch)[0]!.toFixed(1)} K, ASE's final E_pot ${ase.energy.toFixed(5)} eV`,
    );
    // A real trajectory: atoms moved far more than the tolerance.
    expect(Math.max(...moved.map(Math.abs))).toBeGreaterThan(0.3);
    expect(worst).toBeLessThan(POSITION_TOLERANCE);
  });
});
