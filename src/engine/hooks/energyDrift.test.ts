import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../api.ts';
import { CpuEngine } from '../cpu/engine.ts';
import {
  argonSystems,
  computeForces,
  hookContext,
  nveStage,
  runHookedSteps,
  slotsOfBatch,
  TEST_ARGON,
} from './context.testing.ts';
import { energyDriftHook } from './energyDrift.ts';

const nve = nveStage;

async function setUp(action: 'warn' | 'stop', tolerance = 1e-4) {
  const batch = argonSystems();
  const engine = new CpuEngine(batch, TEST_ARGON);
  computeForces(engine);
  const slots = slotsOfBatch(batch);
  const events: EngineEvent[] = [];
  const hook = energyDriftHook(
    { kind: 'energy-drift', every: 5, tolerance, action },
    { emit: (e) => events.push(e) },
  );
  return { batch, engine, slots, events, hook };
}

/** Total energy per atom of each slot, eV/atom. */
async function energyPerAtom(engine: CpuEngine, atoms: Int32Array): Promise<number[]> {
  const s = await hookContext(engine, slotsOfBatch(argonSystems())).stats();
  return Array.from(s.potentialEnergy, (e, i) => (e + s.kineticEnergy[i]!) / atoms[i]!);
}

/** Scales the velocities of the atoms of one slot (adds or removes kinetic energy). */
async function heat(engine: CpuEngine, from: number, to: number, factor: number) {
  const atoms = await engine.readAtoms();
  const v = Float64Array.from(atoms.velocities);
  for (let i = 3 * from; i < 3 * to; i++) v[i]! *= factor;
  engine.writeAtoms(Float64Array.from(atoms.positions), v);
  computeForces(engine);
}

describe('energy-drift hook', () => {
  it('stays quiet while velocity Verlet conserves the energy', async () => {
    const { engine, slots, events, hook } = await setUp('warn', 1e-5);
    const run = await runHookedSteps(engine, engine.createDynamics(nve(1)), [hook], slots, { steps: 40 });
    expect(run.stops).toEqual([]);
    expect(events).toEqual([]);
  });

  it('warns once per system when E/N left the reference by more than the tolerance', async () => {
    const { engine, slots, events, hook } = await setUp('warn');
    const e0 = await energyPerAtom(engine, slots.atoms);
    await hook.run(hookContext(engine, slots, { stageStep: 5, step: 5 })); // reference
    await heat(engine, 32, 80, 1.5); // system 11 (slot 1) only
    const e1 = await energyPerAtom(engine, slots.atoms);
    const ctx = hookContext(engine, slots, { stage: 2, stageStep: 10, step: 110 });
    await hook.run(ctx);
    expect(ctx.stops).toEqual([]);
    expect(events).toHaveLength(1);
    const drift = Math.abs(e1[1]! - e0[1]!);
    expect(drift).toBeGreaterThan(1e-4);
    expect(events[0]).toMatchObject({
      type: 'warning',
      source: 'energy-drift',
      system: 11,
      stage: 2,
      step: 110,
    });
    const message = (events[0] as { message: string }).message;
    expect(message).toContain(`system 11 drifted by ${drift.toPrecision(3)} eV/atom since step 5`);
    expect(message).toContain('tolerance of 0.0001 eV/atom, at step 110');
    // Still drifted at the next checks: no second warning for that system.
    await hook.run(hookContext(engine, slots, { stageStep: 15, step: 115 }));
    expect(events).toHaveLength(1);
    // Another system drifts later: its own warning.
    await heat(engine, 80, 128, 0.5);
    await hook.run(hookContext(engine, slots, { stageStep: 20, step: 120 }));
    expect(events.map((e) => (e as { system?: number }).system)).toEqual([11, 12]);
  });

  it('stops the run with reason error in stop mode', async () => {
    const { engine, slots, events, hook } = await setUp('stop');
    await hook.run(hookContext(engine, slots));
    await heat(engine, 0, 32, 2);
    const ctx = hookContext(engine, slots, { stageStep: 10, step: 10 });
    await hook.run(ctx);
    expect(events).toEqual([]);
    expect(ctx.stops).toHaveLength(1);
    expect(ctx.stops[0]).toMatchObject({ reason: 'error' });
    expect(ctx.stops[0]?.message).toMatch(/^total energy of system 10 drifted by .* at step 10/);
  });

  it('takes a new reference when the slot re-enters the stage or holds another system', async () => {
    const { engine, slots, events, hook } = await setUp('warn');
    slots.stageSteps.fill(5);
    await hook.run(hookContext(engine, slots));
    await heat(engine, 0, 128, 1.5);
    // Slot 0: stage step counter went back (re-entered). Slot 1: another system. Slot 2: drifted.
    slots.stageSteps.set([2, 10, 10]);
    slots.systemIds[1] = 99;
    await hook.run(hookContext(engine, slots));
    expect(events.map((e) => (e as { system?: number }).system)).toEqual([12]);
  });

  it('acts only on slots of its status code and never on empty slots', async () => {
    const { engine, slots, events, hook } = await setUp('warn');
    slots.status.set([0, 1, 1]);
    slots.systemIds[2] = -1;
    await hook.run(hookContext(engine, slots, { statusCode: 1 }));
    await heat(engine, 0, 128, 1.5);
    await hook.run(hookContext(engine, slots, { statusCode: 1 }));
    expect(events.map((e) => (e as { system?: number }).system)).toEqual([11]);
    // Slot 0 enters sub-stage 1: its first check there is its reference, however far it is.
    slots.status[0] = 1;
    await hook.run(hookContext(engine, slots, { statusCode: 1 }));
    expect(events).toHaveLength(1);
  });
});
