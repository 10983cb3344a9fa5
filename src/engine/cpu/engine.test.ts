import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../io/spec.ts';
import type { EngineEvent } from '../api.ts';
import { runInput, runOn } from '../evaluate.ts';
import { fireMinimize, nveStep } from '../reference/dynamics.ts';
import { fire2Minimize } from '../reference/fire2.ts';
import { lennardJonesReference } from '../reference/lennardJones.ts';
import { initialNoseHooverChain, noseHooverStep } from '../reference/noseHoover.ts';
import { buildSystem } from '../structures/index.ts';
import { CpuEngine } from './engine.ts';

const argon = { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: false } as const;
const system = {
  kind: 'fcc',
  element: 'Ar',
  mass: 39.948,
  latticeConstant: 5.26,
  repeat: [4, 4, 4],
  jitter: 0.1,
  voidRadius: 4,
} as const;

describe('CpuEngine through the stage runner', () => {
  it('runs NVE exactly as the reference velocity Verlet', async () => {
    const spec = parseSpec({
      version: 1,
      system: { ...system, temperature: 60 },
      potential: argon,
      stages: [{ kind: 'nve', steps: 20, dt: 5 }],
    });
    const batch = buildSystem(spec.system);
    const engine = new CpuEngine(batch, spec.potential);
    expect((await runOn(engine, runInput(spec, batch), () => {})).end).toBe('completed');

    const force = (b: typeof batch) => lennardJonesReference(b, argon);
    let f = force(batch);
    for (let k = 0; k < 20; k++) f = nveStep(batch, f, force, 5);
    const exact = engine.readExact();
    for (let i = 0; i < batch.positions.length; i++)
      expect(exact.batch.positions[i]).toBeCloseTo(batch.positions[i]!, 12);
  });

  it('stops FIRE at the reference minimiser’s step and energy', async () => {
    const stage = {
      kind: 'fire',
      steps: 3000,
      dt: 5,
      dtMax: 20,
      maxStep: 0.2,
      convergence: [{ kind: 'max-force', fmax: 0.01 }],
    } as const;
    const spec = parseSpec({ version: 1, system, potential: argon, stages: [stage] });
    const batch = buildSystem(spec.system);
    const engine = new CpuEngine(batch, spec.potential);
    const events: EngineEvent[] = [];
    await runOn(engine, runInput(spec, batch), (e) => events.push(e));
    const ref = fireMinimize(batch, (b) => lennardJonesReference(b, argon), {
      ...stage,
      fmax: 0.01,
      maxSteps: 3000,
    });
    const converged = events.find((e) => e.type === 'converged');
    expect(converged).toMatchObject({ step: ref.steps });
    expect(engine.readExact().forces.energy[0]).toBeCloseTo(ref.energy[0]!, 10);
  });

  it('runs the Nosé–Hoover chain exactly as the reference', async () => {
    const stage = {
      kind: 'nose-hoover',
      steps: 20,
      dt: 5,
      temperature: 85,
      tau: 50,
      chainLength: 3,
    } as const;
    const spec = parseSpec({
      version: 1,
      system: { ...system, temperature: 40 },
      potential: argon,
      stages: [stage],
    });
    const batch = buildSystem(spec.system);
    const engine = new CpuEngine(batch, spec.potential);
    expect((await runOn(engine, runInput(spec, batch), () => {})).end).toBe('completed');
    const force = (b: typeof batch) => lennardJonesReference(b, argon);
    const chains = [initialNoseHooverChain(3)];
    let f = force(batch);
    for (let k = 0; k < 20; k++) f = noseHooverStep(batch, f, force, stage, chains);
    const exact = engine.readExact();
    for (let i = 0; i < batch.positions.length; i++) {
      expect(exact.batch.positions[i]).toBeCloseTo(batch.positions[i]!, 12);
      expect(exact.batch.velocities[i]).toBeCloseTo(batch.velocities[i]!, 14);
    }
  });

  it('stops FIRE2 at the reference minimiser’s step and energy, from rest', async () => {
    const stage = {
      kind: 'fire2',
      steps: 3000,
      dt: 5,
      dtMax: 20,
      dtMin: 0.1,
      maxStep: 0.2,
      convergence: [{ kind: 'max-force', fmax: 0.01 }],
    } as const;
    // Velocities at 60 K in the spec: the runner starts the minimiser at rest.
    const spec = parseSpec({
      version: 1,
      system: { ...system, temperature: 60 },
      potential: argon,
      stages: [stage],
    });
    const batch = buildSystem(spec.system);
    const engine = new CpuEngine(batch, spec.potential);
    const events: EngineEvent[] = [];
    await runOn(engine, runInput(spec, batch), (e) => events.push(e));
    batch.velocities.fill(0);
    const ref = fire2Minimize(batch, (b) => lennardJonesReference(b, argon), {
      ...stage,
      nDelay: 20,
      initialDelay: true,
      fmax: 0.01,
      maxSteps: 3000,
    });
    expect(ref.converged).toBe(true);
    expect(events.find((e) => e.type === 'converged')).toMatchObject({ step: ref.steps });
    expect(engine.readExact().forces.energy[0]).toBeCloseTo(ref.energy[0]!, 10);
    expect(engine.readExact().batch.velocities.every((v) => v === 0)).toBe(true);
  });

  it('updates only systems with the stage’s status code', async () => {
    const spec = parseSpec({
      version: 1,
      system: { ...system, temperature: 60 },
      potential: argon,
      stages: [{ kind: 'nve', steps: 1, dt: 5 }],
    });
    const one = buildSystem(spec.system);
    const { concatenateBatches } = await import('../structures/concatenate.ts');
    const two = concatenateBatches([one, one]);
    const engine = new CpuEngine(two, spec.potential);
    engine.writeStatus(Int32Array.of(0, 1));
    const stage = spec.stages[0]!;
    if (stage.kind === 'fused') throw new Error('a plain stage is expected');
    const dyn = engine.createDynamics(stage);
    const c = engine.begin('step');
    engine.encodeCompute(c);
    dyn.encodePreUpdate(c, 0);
    engine.encodeCompute(c);
    dyn.encodePostUpdate(c, 0);
    engine.submit(c);
    const after = engine.readExact().batch;
    const n = one.nAtoms;
    expect(Array.from(after.positions.subarray(3 * n))).toEqual(Array.from(two.positions.subarray(3 * n)));
    expect(Array.from(after.positions.subarray(0, 3 * n))).not.toEqual(
      Array.from(two.positions.subarray(0, 3 * n)),
    );
  });
});
