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
import { timingHook } from './timing.ts';

const nve = nveStage(2);

describe('timing hook', () => {
  it('reports ms per step and atom-steps/s over each interval after the first', async () => {
    const batch = argonSystems();
    const engine = new CpuEngine(batch, TEST_ARGON);
    computeForces(engine);
    const slots = slotsOfBatch(batch);
    const events: EngineEvent[] = [];
    // Fake clock: 3 ms per call, so every interval between two firings is 3 ms.
    let clock = 0;
    const hook = timingHook(
      { kind: 'timing', every: 4 },
      { emit: (e) => events.push(e), now: () => (clock += 3) },
    );
    await runHookedSteps(engine, engine.createDynamics(nve), [hook], slots, { steps: 12, stage: 2 });
    // Firings at 4 (starts the clock), 8 and 12: two reports of 4 steps in 3 ms over 128 atoms.
    expect(events).toEqual(
      [8, 12].map((step) => ({
        type: 'timing',
        stage: 2,
        step,
        msPerStep: 0.75,
        atomStepsPerSecond: (128 * 4 * 1000) / 3,
      })),
    );
  });

  it('counts the atoms of the slots of its status code only; a new stage restarts the clock', async () => {
    const batch = argonSystems();
    const engine = new CpuEngine(batch, TEST_ARGON);
    computeForces(engine);
    const slots = slotsOfBatch(batch);
    slots.status.set([1, 0, 1]);
    slots.systemIds[2] = -1;
    const events: EngineEvent[] = [];
    let clock = 0;
    const hook = timingHook(
      { kind: 'timing', every: 10 },
      { emit: (e) => events.push(e), now: () => (clock += 10) },
    );
    await hook.run(hookContext(engine, slots, { stageStep: 10, statusCode: 1 }));
    await hook.run(hookContext(engine, slots, { stageStep: 20, statusCode: 1 }));
    expect(events).toEqual([
      { type: 'timing', stage: 0, step: 20, msPerStep: 1, atomStepsPerSecond: 32 * 1000 },
    ]);
    await hook.run(hookContext(engine, slots, { stage: 1, stageStep: 10, statusCode: 1 }));
    expect(events).toHaveLength(1);
    hook.dispose?.(engine);
    await hook.run(hookContext(engine, slots, { stage: 1, stageStep: 20, statusCode: 1 }));
    expect(events).toHaveLength(1);
  });

  it('measures real time with the default clock', async () => {
    const batch = argonSystems();
    const engine = new CpuEngine(batch, TEST_ARGON);
    computeForces(engine);
    const events: EngineEvent[] = [];
    const hook = timingHook({ kind: 'timing', every: 2 }, { emit: (e) => events.push(e) });
    await runHookedSteps(engine, engine.createDynamics(nve), [hook], slotsOfBatch(batch), { steps: 4 });
    expect(events).toHaveLength(1);
    const e = events[0]!;
    if (e.type !== 'timing') throw new Error(e.type);
    expect(e.msPerStep).toBeGreaterThan(0);
    expect(e.atomStepsPerSecond).toBeCloseTo((128 * 1000) / e.msPerStep, 6);
  });
});
