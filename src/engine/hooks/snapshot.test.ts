import { describe, expect, it } from 'vitest';
import { parseSpec, type StageSpec } from '../../io/spec.ts';
import { MemoryStore } from '../../io/zarr/store.ts';
import { readTrajectory } from '../../io/zarr/trajectoryReader.ts';
import type { EngineEvent, SystemStats } from '../api.ts';
import type { Batch } from '../batch.ts';
import { CpuEngine } from '../cpu/engine.ts';
import type { HostMemorySink } from '../sinks/hostMemory.ts';
import { SinkSet, snapshotHookSpecs } from '../sinks/sinkSet.ts';
import { buildFcc, concatenateBatches } from '../structures/index.ts';
import type { Hook, HookContext, HookPoint, SlotView } from './hook.ts';
import { convergedSnapshotHook, snapshotHook } from './snapshot.ts';

const argon = { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 6, shift: true } as const;

/** Two small argon crystals (ids 10, 11) and an empty slot (id −1: one NULL atom). */
function testBatch(): Batch {
  const crystal = (repeat: [number, number, number], seed: number, id: number) => {
    const b = buildFcc({
      kind: 'fcc',
      element: 'Ar',
      mass: 39.948,
      latticeConstant: 5.26,
      repeat,
      voidRadius: 0,
      jitter: 0.2,
      temperature: 40,
      seed,
    });
    b.systemIds[0] = id;
    return b;
  };
  const empty: Batch = {
    nAtoms: 1,
    nSystems: 1,
    atomsPtr: Int32Array.of(0, 1),
    positions: new Float64Array(3),
    velocities: new Float64Array(3),
    masses: Float64Array.of(1),
    types: Int32Array.of(-1),
    atomicNumbers: Int32Array.of(0),
    cells: Float64Array.of(10, 0, 0, 0, 10, 0, 0, 0, 10),
    pbc: Uint8Array.of(0, 0, 0),
    systemIds: Int32Array.of(-1),
  };
  const b = concatenateBatches([crystal([2, 2, 2], 1, 10), crystal([3, 2, 2], 2, 11), empty]);
  b.pbc.set([1, 1, 0], 3);
  return b;
}

/** A hook context over the CPU engine, as the runner makes one (stats and atoms read on demand). */
function context(
  engine: CpuEngine,
  batch: Batch,
  at: { step: number; point: HookPoint; status: Int32Array; statusCode?: number; newlyConverged?: number[] },
  events: EngineEvent[],
  slotFields: Partial<SlotView> = {},
): HookContext {
  const slots: SlotView = {
    systemIds: batch.systemIds,
    atomsPtr: batch.atomsPtr,
    status: at.status,
    atoms: Int32Array.from({ length: batch.nSystems }, (_, s) => batch.atomsPtr[s + 1]! - batch.atomsPtr[s]!),
    stageSteps: new Int32Array(batch.nSystems).fill(at.step),
    atomicNumbers: batch.atomicNumbers,
    cells: batch.cells,
    pbc: batch.pbc,
    ...slotFields,
  };
  let stats: Promise<SystemStats> | null = null;
  return {
    engine,
    stage: 1,
    stageStep: at.step,
    step: 100 + at.step,
    time: 5 * at.step,
    point: at.point,
    converged: [],
    rank: 0,
    slots,
    statusCode: at.statusCode ?? null,
    newlyConverged: at.newlyConverged ?? [],
    emit: (e) => events.push(e),
    stats: () => {
      stats ??= (() => {
        const c = engine.begin('stats');
        engine.encodeStats(c);
        engine.submit(c);
        return engine.readStats();
      })();
      return stats;
    },
    atoms: () => engine.readAtoms(),
    requestStop: () => {},
  };
}

/** The hooks of a stage spec's snapshot entries, in order. */
function hooksOf(stage: StageSpec, sinks: SinkSet, events: EngineEvent[]): Hook[] {
  const emit = (e: EngineEvent) => events.push(e);
  return stage.hooks.flatMap((h) =>
    h.kind === 'snapshot'
      ? [snapshotHook(h, { emit, sinks })]
      : h.kind === 'converged-snapshot'
        ? [convergedSnapshotHook(h, { emit, sinks })]
        : [],
  );
}

function stageWith(hooks: unknown[]): StageSpec {
  const spec = parseSpec({
    version: 1,
    system: { kind: 'fcc', element: 'Ar', mass: 39.948, latticeConstant: 5.26, repeat: [2, 2, 2] },
    potential: argon,
    stages: [{ kind: 'nve', steps: 10, dt: 5, hooks }],
  });
  return spec.stages[0] as StageSpec;
}

/** Advances the CPU engine by one NVE step. */
function step(engine: CpuEngine, nve: ReturnType<CpuEngine['createDynamics']>): void {
  const c = engine.begin('step');
  nve.encodePreUpdate(c, 0);
  engine.encodeCompute(c);
  nve.encodePostUpdate(c, 0);
  engine.submit(c);
}

async function startEngine(batch: Batch): Promise<CpuEngine> {
  const engine = new CpuEngine(batch, argon);
  const c = engine.begin('initial');
  engine.encodeCompute(c);
  engine.submit(c);
  return engine;
}

describe('snapshot hooks on the CPU engine', () => {
  it('write the live slots with positions, velocities, forces, energy, status, ids and cells', async () => {
    const batch = testBatch();
    const stage = stageWith([
      { kind: 'snapshot', every: 2, sink: 'host', capacity: 3 },
      { kind: 'snapshot', every: 2, sink: 'zarr' },
    ]);
    const store = new MemoryStore();
    const events: EngineEvent[] = [];
    const sinks = await SinkSet.create(snapshotHookSpecs([stage]), {
      zarrStore: store,
      emit: (e) => events.push(e),
    });
    const hooks = hooksOf(stage, sinks, events);
    const engine = await startEngine(batch);
    const nve = engine.createDynamics(stage);
    const status = Int32Array.of(0, 0, 0);
    const expected = [];
    for (let n = 1; n <= 8; n++) {
      step(engine, nve);
      const ctx = context(engine, batch, { step: n, point: 'after-step', status }, events);
      for (const h of hooks) if (n % h.every === 0) await h.run(ctx);
      if (n % 2 === 0) {
        const atoms = await engine.readAtoms();
        const stats = await ctx.stats();
        const live = 3 * batch.atomsPtr[2]!;
        expected.push({
          step: 100 + n,
          time: 5 * n,
          stage: 1,
          stageStep: n,
          atomsPtr: batch.atomsPtr.slice(0, 3),
          systemIds: Int32Array.of(10, 11),
          atomicNumbers: batch.atomicNumbers.slice(0, batch.atomsPtr[2]!),
          cells: batch.cells.slice(0, 18),
          pbc: batch.pbc.slice(0, 6),
          positions: atoms.positions.slice(0, live),
          velocities: atoms.velocities.slice(0, live),
          forces: atoms.forces.slice(0, live),
          energy: stats.potentialEnergy.slice(0, 2),
          status: Int32Array.of(0, 0),
        });
      }
    }
    await sinks.close();
    const host = sinks.sinkFor(stage.hooks[0] as never) as HostMemorySink;
    expect(host.droppedFrames).toBe(1);
    expect(host.read()).toEqual(expected.slice(1));
    expect(sinks.lastFrame()).toEqual(expected[3]);
    expect(expected[0]!.energy[0]).toBeLessThan(0);
    // The Zarr trajectory holds all four, identical (energy read back as float64).
    expect((await readTrajectory(store)).frames).toEqual(expected);
    const snapshots = events.filter((e) => e.type === 'snapshot');
    expect(snapshots).toHaveLength(8);
    expect(snapshots.at(-1)).toEqual({
      type: 'snapshot',
      stage: 1,
      step: 108,
      framesInSink: 4,
      sink: 'zarr',
      systemIds: [10, 11],
    });
    expect(events.filter((e) => e.type === 'trajectory').at(-1)).toEqual({
      type: 'trajectory',
      frames: 4,
      samples: 8,
      atoms: 4 * batch.atomsPtr[2]!,
    });
  });

  it('a sub-stage hook writes only the slots of its status code', async () => {
    const batch = testBatch();
    const stage = stageWith([{ kind: 'snapshot', every: 1, sink: 'host' }]);
    const events: EngineEvent[] = [];
    const sinks = await SinkSet.create(snapshotHookSpecs([stage]));
    const [hook] = hooksOf(stage, sinks, events);
    const engine = await startEngine(batch);
    const status = Int32Array.of(0, 1, 1);
    await hook!.run(context(engine, batch, { step: 1, point: 'after-step', status, statusCode: 1 }, events));
    await hook!.run(context(engine, batch, { step: 2, point: 'after-step', status, statusCode: 2 }, events));
    const frames = sinks.hostFrames();
    expect(frames).toHaveLength(1);
    expect(Array.from(frames[0]!.systemIds)).toEqual([11]);
    expect(Array.from(frames[0]!.status!)).toEqual([1]);
    const atoms = await engine.readAtoms();
    expect(frames[0]!.positions).toEqual(
      atoms.positions.slice(3 * batch.atomsPtr[1]!, 3 * batch.atomsPtr[2]!),
    );
    expect(events).toHaveLength(1);
  });

  it('the converged snapshot writes exactly the newly converged systems, each once', async () => {
    const batch = testBatch();
    const stage = stageWith([{ kind: 'converged-snapshot', sink: 'zarr' }]);
    const store = new MemoryStore();
    const events: EngineEvent[] = [];
    const sinks = await SinkSet.create(snapshotHookSpecs([stage]), { zarrStore: store });
    const [hook] = hooksOf(stage, sinks, events);
    expect(hook!.points).toEqual(['on-converge']);
    const engine = await startEngine(batch);
    const nve = engine.createDynamics(stage);
    const status = Int32Array.of(1, 0, 0);
    const at = (n: number, newlyConverged: number[]) =>
      context(engine, batch, { step: n, point: 'on-converge', status, newlyConverged }, events);
    step(engine, nve);
    // Slot 0 converges (listed twice), the empty slot 2 is ignored.
    await hook!.run(at(1, [2, 0, 0]));
    const first = await engine.readAtoms();
    step(engine, nve);
    await hook!.run(at(2, []));
    step(engine, nve);
    // Slot 0 again (already written) and slot 1 for the first time.
    await hook!.run(at(3, [1, 0]));
    const third = await engine.readAtoms();
    await sinks.close();
    const { frames } = await readTrajectory(store);
    expect(frames.map((f) => [f.step, Array.from(f.systemIds)])).toEqual([
      [101, [10]],
      [103, [11]],
    ]);
    const [a, b] = [batch.atomsPtr[1]!, batch.atomsPtr[2]!];
    expect(frames[0]!.positions).toEqual(first.positions.slice(0, 3 * a));
    expect(frames[1]!.positions).toEqual(third.positions.slice(3 * a, 3 * b));
    expect(Array.from(frames[1]!.status!)).toEqual([0]);
    expect(events.map((e) => e.type === 'snapshot' && e.systemIds)).toEqual([[10], [11]]);
  });

  it('says what the runner must provide when the slot view lacks atomic numbers or cells', async () => {
    const batch = testBatch();
    const stage = stageWith([{ kind: 'snapshot', every: 1, sink: 'host' }]);
    const sinks = await SinkSet.create(snapshotHookSpecs([stage]));
    const [hook] = hooksOf(stage, sinks, []);
    const engine = await startEngine(batch);
    const ctx = context(engine, batch, { step: 1, point: 'after-step', status: new Int32Array(3) }, []);
    const { cells: _c, ...slots } = ctx.slots;
    await expect(hook!.run({ ...ctx, slots })).rejects.toThrow(/SlotView.atomicNumbers, cells and pbc/);
  });
});
