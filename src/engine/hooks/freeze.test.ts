import { describe, expect, it } from 'vitest';
import type { Batch } from '../batch.ts';
import { CpuEngine } from '../cpu/engine.ts';
import { concatenateBatches } from '../structures/index.ts';
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
import { freezeHook } from './freeze.ts';

const nve = nveStage(2);
const emit = () => {};

function setUp(forward: boolean) {
  const batch = argonSystems();
  const cpu = new CpuEngine(batch, TEST_ARGON);
  const engine = new RecordingEngine(cpu, forward);
  computeForces(engine);
  const slots = slotsOfBatch(batch);
  // Types for the hook only (the potential has one type): type 1 at atoms 5 and 40, 2 at atom 100.
  const types = new Int32Array(batch.nAtoms);
  types[5] = 1;
  types[40] = 1;
  types[100] = 2;
  return { batch, cpu, engine, slots: { ...slots, types } };
}

/** Indices of the set entries of a mask. */
const held = (mask: Uint8Array | null | undefined) =>
  mask ? Array.from(mask.keys()).filter((i) => mask[i]) : mask;

describe('freeze hook', () => {
  it('holds listed atoms of each system (indices past a system skipped) and atoms of listed types', async () => {
    const { engine, slots } = setUp(false);
    const hook = freezeHook({ kind: 'freeze', atoms: [0, 31, 40], types: [1] }, { emit });
    await runHookedSteps(engine, engine.createDynamics(nve), [hook], slots, { steps: 3 });
    expect(engine.calls).toHaveLength(1);
    const call = engine.calls[0]!;
    if (call.kind !== 'setConstraints') throw new Error(call.kind);
    expect(call.maxForce).toBeUndefined();
    expect(call.frozen).toHaveLength(128);
    // Slot 0 (atoms 0..31): 0 and 31, index 40 is past its end; type 1 at atom 5.
    // Slot 1 (32..79): 32, 63, 72; type 1 at atom 40. Slot 2 (80..127): 80, 111, 120.
    expect(held(call.frozen)).toEqual([0, 5, 31, 32, 40, 63, 72, 80, 111, 120]);
    hook.dispose?.(engine);
    expect(engine.calls[1]).toEqual({ kind: 'setConstraints', frozen: null });
  });

  it('acts on the slots of its status code only, never on empty slots, and follows status changes', async () => {
    const { engine, slots } = setUp(false);
    const hook = freezeHook({ kind: 'freeze', atoms: [1], types: [2] }, { emit });
    slots.status.set([1, 1, 1]);
    slots.systemIds[0] = -1;
    const step = () => hook.run(hookContext(engine, slots, { point: 'before-step', statusCode: 1 }));
    await step();
    await step();
    expect(engine.calls.map((c) => c.kind === 'setConstraints' && held(c.frozen))).toEqual([[33, 81, 100]]);
    slots.status[1] = 2;
    await step();
    expect(engine.calls.map((c) => c.kind === 'setConstraints' && held(c.frozen))).toEqual([
      [33, 81, 100],
      [81, 100],
    ]);
    // Nothing of its status left: an empty mask (all zeros), not a lifted constraint.
    slots.status[2] = 2;
    await step();
    expect(engine.calls.at(-1)).toEqual({ kind: 'setConstraints', frozen: new Uint8Array(128) });
  });

  it('stops with an error when it must freeze by type and the runner gave no types', async () => {
    const { engine, slots } = setUp(false);
    const { types: _, ...untyped } = slots;
    const ctx = hookContext(engine, untyped, { point: 'before-step' });
    await freezeHook({ kind: 'freeze', atoms: [], types: [0] }, { emit }).run(ctx);
    expect(ctx.stops[0]?.reason).toBe('error');
    expect(engine.calls).toEqual([]);
    // By index only, types are not needed.
    await freezeHook({ kind: 'freeze', atoms: [0], types: [] }, { emit }).run(hookContext(engine, untyped));
    expect(engine.calls).toHaveLength(1);
  });

  it('on the f64 engine: frozen atoms keep their positions through NVE steps', async () => {
    const { cpu, engine, slots } = setUp(true);
    const before = await cpu.readAtoms();
    const hook = freezeHook({ kind: 'freeze', atoms: [3], types: [1] }, { emit });
    await runHookedSteps(engine, engine.createDynamics(nve), [hook], slots, { steps: 10 });
    const after = await cpu.readAtoms();
    const frozen = [3, 5, 35, 40, 83];
    for (let i = 0; i < cpu.nAtoms; i++) {
      const moved = [0, 1, 2].some((k) => after.positions[3 * i + k] !== before.positions[3 * i + k]);
      expect(moved, `atom ${i}`).toBe(!frozen.includes(i));
      if (frozen.includes(i)) for (let k = 0; k < 3; k++) expect(after.velocities[3 * i + k]).toBe(0);
    }
    hook.dispose?.(engine);
  });

  it('on the f64 engine: after a reload the masks follow the new layout, never applying a stale one', async () => {
    const { batch, cpu, engine, slots } = setUp(true);
    const constraints = new ConstraintBoard();
    const first = freezeHook({ kind: 'freeze', atoms: [0], types: [] }, { emit, constraints });
    const second = freezeHook({ kind: 'freeze', atoms: [1], types: [] }, { emit, constraints });
    const dynamics = engine.createDynamics(nve);
    await runHookedSteps(engine, dynamics, [first, second], slots, { steps: 2 });
    expect(engine.calls.map((c) => c.kind === 'setConstraints' && held(c.frozen))).toEqual([
      [0, 32, 80],
      [0, 1, 32, 33, 80, 81],
    ]);
    // Inflight batching puts system 12 in slot 0 and system 10 in slot 2: atoms 0..47, 48..95, 96..127.
    const parts = [2, 1, 0].map((s) => systemBatch(batch, s));
    const reloaded = concatenateBatches(parts);
    cpu.reload(reloaded);
    computeForces(cpu);
    const view = slotsOfBatch(reloaded);
    await runHookedSteps(engine, dynamics, [first, second], view, { steps: 3, first: 2 });
    expect(engine.calls.slice(2).map((c) => c.kind === 'setConstraints' && held(c.frozen))).toEqual([
      [0, 48, 96],
      [0, 1, 48, 49, 96, 97],
    ]);
    // Atom 33 (held before the reload, free after it) kept moving: no stale mask reached the engine.
    const atoms = await cpu.readAtoms();
    expect(Math.hypot(...[0, 1, 2].map((k) => atoms.velocities[3 * 33 + k]!))).toBeGreaterThan(0);
    for (const i of [0, 1, 48, 49, 96, 97]) {
      expect([0, 1, 2].map((k) => atoms.velocities[3 * i + k])).toEqual([0, 0, 0]);
      expect([0, 1, 2].map((k) => atoms.positions[3 * i + k])).toEqual(
        [0, 1, 2].map((k) => Math.fround(reloaded.positions[3 * i + k]!)),
      );
    }
  });
});

/** System `s` of `batch` as a batch of its own. */
function systemBatch(batch: Batch, s: number): Batch {
  const a = batch.atomsPtr[s]!;
  const b = batch.atomsPtr[s + 1]!;
  return {
    nAtoms: b - a,
    nSystems: 1,
    atomsPtr: Int32Array.of(0, b - a),
    positions: batch.positions.slice(3 * a, 3 * b),
    velocities: batch.velocities.slice(3 * a, 3 * b),
    masses: batch.masses.slice(a, b),
    types: batch.types.slice(a, b),
    atomicNumbers: batch.atomicNumbers.slice(a, b),
    cells: batch.cells.slice(9 * s, 9 * s + 9),
    pbc: batch.pbc.slice(3 * s, 3 * s + 3),
    systemIds: batch.systemIds.slice(s, s + 1),
  };
}
