import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../cpu/engine.ts';
import { ConstraintBoard } from './constraints.ts';
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
import { forceClampHook } from './forceClamp.ts';

const INF = Number.POSITIVE_INFINITY;
const nve = nveStage(2);
const emit = () => {};

function setUp(forward: boolean) {
  const batch = argonSystems();
  const cpu = new CpuEngine(batch, TEST_ARGON);
  const engine = new RecordingEngine(cpu, forward);
  computeForces(engine);
  return { batch, cpu, engine, slots: slotsOfBatch(batch) };
}

describe('force-clamp hook', () => {
  it('sets the per-slot clamp at the first before-step, then only when it changes; lifts it on dispose', async () => {
    const { engine, slots } = setUp(false);
    slots.systemIds[1] = -1; // empty slot: never clamped
    const hook = forceClampHook({ kind: 'force-clamp', maxForce: 0.5 }, { emit });
    expect(hook.points).toEqual(['before-step']);
    expect(hook.every).toBe(1);
    const dynamics = engine.createDynamics(nve);
    await runHookedSteps(engine, dynamics, [hook], slots, { steps: 5 });
    expect(engine.calls).toEqual([{ kind: 'setConstraints', maxForce: Float64Array.of(0.5, INF, 0.5) }]);
    hook.dispose?.(engine);
    expect(engine.calls[1]).toEqual({ kind: 'setConstraints', maxForce: null });
    // A second dispose has nothing to lift.
    hook.dispose?.(engine);
    expect(engine.calls).toHaveLength(2);
  });

  it('follows the status of the slots for a sub-stage hook, and resends after the layout changed', async () => {
    const { engine, slots } = setUp(false);
    const hook = forceClampHook({ kind: 'force-clamp', maxForce: 2 }, { emit });
    slots.status.set([0, 1, 0]);
    const step = () => hook.run(hookContext(engine, slots, { point: 'before-step', statusCode: 0 }));
    await step();
    await step();
    expect(engine.calls).toEqual([{ kind: 'setConstraints', maxForce: Float64Array.of(2, INF, 2) }]);
    slots.status[0] = 1; // slot 0 moved on to sub-stage 1
    await step();
    expect(engine.calls[1]).toEqual({ kind: 'setConstraints', maxForce: Float64Array.of(INF, INF, 2) });
    // Same vector, but slot 1 now holds another system (a reload, which lifted the constraints).
    slots.systemIds[1] = 42;
    await step();
    expect(engine.calls[2]).toEqual({ kind: 'setConstraints', maxForce: Float64Array.of(INF, INF, 2) });
    await step();
    expect(engine.calls).toHaveLength(3);
  });

  it('combines with the clamp of another sub-stage through a shared board (tightest wins)', async () => {
    const { engine, slots } = setUp(false);
    const constraints = new ConstraintBoard();
    const loose = forceClampHook({ kind: 'force-clamp', maxForce: 5 }, { emit, constraints });
    const tight = forceClampHook({ kind: 'force-clamp', maxForce: 1 }, { emit, constraints });
    slots.status.set([0, 1, 1]);
    await loose.run(hookContext(engine, slots, { point: 'before-step', statusCode: 1 }));
    await tight.run(hookContext(engine, slots, { point: 'before-step', statusCode: 0 }));
    expect(engine.calls.at(-1)).toEqual({ kind: 'setConstraints', maxForce: Float64Array.of(1, 5, 5) });
    tight.dispose?.(engine);
    expect(engine.calls.at(-1)).toEqual({ kind: 'setConstraints', maxForce: Float64Array.of(INF, 5, 5) });
    loose.dispose?.(engine);
    expect(engine.calls.at(-1)).toEqual({ kind: 'setConstraints', maxForce: null });
  });

  it('on the f64 engine: every force read back is at most maxForce, direction kept', async () => {
    const { cpu, engine, slots } = setUp(true);
    // Squeeze slot 2's crystal so its forces are large.
    const atoms = await cpu.readAtoms();
    const positions = Float64Array.from(atoms.positions);
    positions[3 * 80]! += 1.2;
    cpu.writeAtoms(positions, Float64Array.from(atoms.velocities));
    computeForces(cpu);
    const free = await cpu.readAtoms();
    const hook = forceClampHook({ kind: 'force-clamp', maxForce: 0.05 }, { emit });
    slots.status.set([1, 1, 0]);
    await hook.run(hookContext(engine, slots, { point: 'before-step', statusCode: 0 }));
    computeForces(cpu);
    const clamped = await cpu.readAtoms();
    let scaled = 0;
    for (let i = 0; i < cpu.nAtoms; i++) {
      const f = [0, 1, 2].map((k) => free.forces[3 * i + k]!);
      const g = [0, 1, 2].map((k) => clamped.forces[3 * i + k]!);
      const nf = Math.hypot(...f);
      const ng = Math.hypot(...g);
      if (i >= 80 && nf > 0.05) {
        scaled++;
        expect(ng).toBeCloseTo(0.05, 6);
        for (let k = 0; k < 3; k++) expect(g[k]!).toBeCloseTo((f[k]! * 0.05) / nf, 6);
      } else {
        for (let k = 0; k < 3; k++) expect(g[k]).toBe(f[k]);
      }
    }
    expect(scaled).toBeGreaterThan(0);
    hook.dispose?.(engine);
    computeForces(cpu);
    expect((await cpu.readAtoms()).forces).toEqual(free.forces);
  });
});
