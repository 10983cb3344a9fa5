import { describe, expect, it } from 'vitest';
import type { EngineEvent, SystemStats } from '../api.ts';
import { CpuEngine } from '../cpu/engine.ts';
import {
  argonSystems,
  computeForces,
  contextRecord,
  hookContext,
  nveStage,
  runHookedSteps,
  slotsOfBatch,
  TEST_ARGON,
} from './context.testing.ts';
import { findNonFinite, nanDetectorHook } from './nanDetector.ts';

const nve = nveStage(2);

/** Three argon systems on the f64 engine after `steps` NVE steps with a detector every 5 steps. */
async function setUp(steps = 10) {
  const batch = argonSystems();
  const engine = new CpuEngine(batch, TEST_ARGON);
  computeForces(engine);
  const slots = slotsOfBatch(batch);
  const events: EngineEvent[] = [];
  const hook = nanDetectorHook({ kind: 'nan-detector', every: 5 }, { emit: (e) => events.push(e) });
  const dynamics = engine.createDynamics(nve);
  const run = await runHookedSteps(engine, dynamics, [hook], slots, { steps, dt: 2 });
  return { batch, engine, slots, events, hook, dynamics, run };
}

/** Positions and velocities of the engine with one value replaced. */
async function poison(engine: CpuEngine, field: 'positions' | 'velocities', index: number, value: number) {
  const atoms = await engine.readAtoms();
  const positions = Float64Array.from(atoms.positions);
  const velocities = Float64Array.from(atoms.velocities);
  (field === 'positions' ? positions : velocities)[index] = value;
  engine.writeAtoms(positions, velocities);
  computeForces(engine);
}

describe('nan-detector hook', () => {
  it('passes finite steps and keeps the last checked state, reusing its arrays', async () => {
    const { engine, events, hook, run } = await setUp(10);
    expect(run.stops).toEqual([]);
    expect(events).toEqual([]);
    const good = hook.lastGood();
    expect(good).toMatchObject({ step: 10, stageStep: 10, time: 20 });
    const atoms = await engine.readAtoms();
    expect(good?.positions).toEqual(atoms.positions);
    expect(good?.velocities).toEqual(atoms.velocities);
    expect(Array.from(good?.systemIds ?? [])).toEqual([10, 11, 12]);
    expect(Array.from(good?.atomsPtr ?? [])).toEqual([0, 32, 80, 128]);
    const positions = good?.positions;
    await runHookedSteps(engine, engine.createDynamics(nve), [hook], slotsOfBatch(argonSystems()), {
      steps: 5,
      first: 10,
    });
    expect(hook.lastGood()?.step).toBe(15);
    expect(hook.lastGood()?.positions).toBe(positions);
  });

  it('names system, atom, step and what was not finite, sends the last good state and stops', async () => {
    const { engine, slots, events, hook } = await setUp(10);
    // Atom 7 of the second system (slot 1, id 11, atoms 32..79): y position.
    await poison(engine, 'positions', 3 * (32 + 7) + 1, Number.NaN);
    const ctx = hookContext(engine, slots, { stage: 1, stageStep: 11, step: 41 });
    await hook.run(ctx);
    expect(ctx.stops).toHaveLength(1);
    const { reason, message } = ctx.stops[0]!;
    expect(reason).toBe('nan');
    expect(message).toMatch(
      /^non-finite position.* \(NaN\) of atom 7 of system 11 at step 41 \(stage 2, step 11 of the stage\)/,
    );
    expect(message).toMatch(/smaller time step/);
    expect(message).toMatch(/last good state \(step 10\)/);
    expect(events).toHaveLength(1);
    const event = events[0]!;
    if (event.type !== 'nan-detected') throw new Error(`unexpected ${event.type}`);
    expect(event).toMatchObject({ stage: 1, step: 41, system: 11, atom: 7, message });
    // The event carries a copy of the last good state, finite where the engine now has a NaN.
    expect(event.lastGood?.step).toBe(10);
    expect(event.lastGood?.positions).not.toBe(hook.lastGood()?.positions);
    expect(event.lastGood?.positions.every(Number.isFinite)).toBe(true);
    // The failed check did not overwrite the last good state.
    expect(hook.lastGood()?.step).toBe(10);
  });

  it('finds a non-finite velocity and an infinite value', async () => {
    const { engine, slots, hook } = await setUp(5);
    await poison(engine, 'velocities', 3 * (80 + 47) + 2, Number.POSITIVE_INFINITY);
    const ctx = hookContext(engine, slots, { stageStep: 6, step: 6 });
    await hook.run(ctx);
    expect(ctx.stops[0]?.message).toMatch(
      /^non-finite velocity \(Infinity\) of atom 47 of system 12 at step 6/,
    );
  });

  it('acts only on slots of its status code and never on empty slots', async () => {
    const { engine, slots, hook } = await setUp(5);
    await poison(engine, 'positions', 3 * (32 + 7), Number.NaN);
    // Slot 1 in sub-stage 1: a hook of sub-stage 0 does not look at it, one of sub-stage 1 does.
    slots.status.set([0, 1, 0]);
    const sub0 = hookContext(engine, slots, { statusCode: 0 });
    await hook.run(sub0);
    expect(sub0.stops).toEqual([]);
    const sub1 = hookContext(engine, slots, { statusCode: 1 });
    await hook.run(sub1);
    expect(sub1.stops).toHaveLength(1);
    // An empty slot (system id −1) holding garbage is ignored.
    slots.systemIds[1] = -1;
    const plain = hookContext(engine, slots);
    await hook.run(plain);
    expect(plain.stops).toEqual([]);
  });

  it('reports a non-finite system energy when every atom is finite (atom −1)', async () => {
    const { engine, slots } = await setUp(0);
    const atoms = await engine.readAtoms();
    const stats: SystemStats = {
      potentialEnergy: Float64Array.of(-1, Number.NEGATIVE_INFINITY, -1),
      kineticEnergy: Float64Array.of(0, 0, 0),
      temperature: Float64Array.of(0, 0, 0),
      maxForce: Float64Array.of(0, 0, Number.NaN),
      virial: new Float64Array(27),
    };
    expect(findNonFinite(stats, atoms, slots, null)).toEqual({
      slot: 1,
      atom: -1,
      what: ['potential energy'],
      value: Number.NEGATIVE_INFINITY,
    });
    expect(findNonFinite(stats, atoms, slots, 0)).toMatchObject({ slot: 1 });
    slots.status[1] = 3;
    expect(findNonFinite(stats, atoms, slots, 0)).toMatchObject({ slot: 2, what: ['max force'] });
    const record = contextRecord();
    const hook = nanDetectorHook({ kind: 'nan-detector', every: 1 }, { emit: (e) => record.events.push(e) });
    const ctx = hookContext(engine, slots, { record });
    await hook.run(ctx);
    expect(record.stops).toEqual([]);
  });
});
