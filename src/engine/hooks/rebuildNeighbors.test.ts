import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../cpu/engine.ts';
import {
  argonSystems,
  computeForces,
  hookContext,
  nveStage,
  RecordingEngine,
  runHookedSteps,
  slotsOfBatch,
  TEST_ARGON,
} from './context.testing.ts';
import { rebuildNeighborsHook } from './rebuildNeighbors.ts';
import { wrapHook } from './wrap.ts';

const nve = nveStage(2);
const emit = () => {};

function setUp() {
  const batch = argonSystems();
  const engine = new RecordingEngine(new CpuEngine(batch, TEST_ARGON), false);
  computeForces(engine);
  return { engine, slots: slotsOfBatch(batch) };
}

describe('rebuild-neighbors and wrap hooks', () => {
  it('ask for a rebuild every N steps: rebuild-neighbors before the step, wrap after it', async () => {
    const { engine, slots } = setUp();
    const rebuild = rebuildNeighborsHook({ kind: 'rebuild-neighbors', every: 4 }, { emit });
    const wrap = wrapHook({ kind: 'wrap', every: 5 }, { emit });
    expect(rebuild.points).toEqual(['before-step']);
    expect(wrap.points).toEqual(['after-step']);
    const seen: string[] = [];
    const tagged = [rebuild, wrap].map((h) => ({
      ...h,
      run: async (ctx: Parameters<typeof h.run>[0]) => {
        const before = engine.calls.length;
        await h.run(ctx);
        if (engine.calls.length > before) seen.push(`${h.name}@${ctx.stageStep}:${ctx.point}`);
      },
    }));
    await runHookedSteps(engine, engine.createDynamics(nve), tagged, slots, { steps: 12 });
    expect(seen).toEqual([
      'rebuild-neighbors@4:before-step',
      'wrap@5:after-step',
      'rebuild-neighbors@8:before-step',
      'wrap@10:after-step',
      'rebuild-neighbors@12:before-step',
    ]);
    expect(engine.calls.every((c) => c.kind === 'requestRebuild')).toBe(true);
  });

  it('ask for nothing when no slot of their status code holds a system', async () => {
    const { engine, slots } = setUp();
    slots.status.set([0, 2, 2]);
    slots.systemIds[0] = -1;
    for (const hook of [
      rebuildNeighborsHook({ kind: 'rebuild-neighbors', every: 1 }, { emit }),
      wrapHook({ kind: 'wrap', every: 1 }, { emit }),
    ]) {
      await hook.run(hookContext(engine, slots, { statusCode: 0 }));
      await hook.run(hookContext(engine, slots, { statusCode: 1 }));
      expect(engine.calls).toEqual([]);
      await hook.run(hookContext(engine, slots, { statusCode: 2 }));
      await hook.run(hookContext(engine, slots));
      expect(engine.calls).toHaveLength(2);
      engine.calls.length = 0;
    }
  });
});
