/**
 * Test helpers for hooks and criteria: a {@link HookContext} over any real engine for given slots,
 * and a small step driver that fires hooks at their points the way the stage runner does (one step
 * at a time, no chunking). For tests only: no mocks, the engine does the physics.
 */
import type { StageSpec } from '../../io/spec.ts';
import type { AtomState, EngineEvent, SystemStats } from '../api.ts';
import type { Batch } from '../batch.ts';
import type { Dynamics, Engine } from '../gpu/types.ts';
import { buildFcc, concatenateBatches } from '../structures/index.ts';
import type { Hook, HookContext, HookPoint, SlotView } from './hook.ts';
import { hookFires } from './hook.ts';

/**
 * Slots over the systems of `batch` (tests may change the arrays' contents between steps) (slot s holds system `batch.systemIds[s]`), status 0, no steps
 * made, per-atom types included; `emptySlots` lists slots to mark empty (system id −1).
 */
export function slotsOfBatch(batch: Batch, emptySlots: readonly number[] = []): SlotView {
  const systemIds = batch.systemIds.slice();
  for (const s of emptySlots) systemIds[s] = -1;
  return {
    systemIds,
    atomsPtr: batch.atomsPtr.slice(),
    status: new Int32Array(batch.nSystems),
    atoms: Int32Array.from({ length: batch.nSystems }, (_, s) => batch.atomsPtr[s + 1]! - batch.atomsPtr[s]!),
    stageSteps: new Int32Array(batch.nSystems),
    types: batch.types.slice(),
  };
}

/** What a test context recorded. */
export interface ContextRecord {
  /** Events sent through `ctx.emit` (hooks built with `deps.emit = record.events.push` add theirs too). */
  readonly events: EngineEvent[];
  /** Calls of `ctx.requestStop`, in order. */
  readonly stops: { reason: 'nan' | 'stopped' | 'error'; message: string }[];
}

/** Options of {@link hookContext}; unnamed fields take step 1 of stage 0 at after-step. */
export interface HookContextOptions {
  stage?: number;
  stageStep?: number;
  step?: number;
  time?: number;
  point?: HookPoint;
  statusCode?: number | null;
  newlyConverged?: readonly number[];
  converged?: readonly boolean[];
  /** Where events and stop requests go (a fresh record by default). */
  record?: ContextRecord;
}

/** A fresh record of events and stops. */
export function contextRecord(): ContextRecord {
  return { events: [], stops: [] };
}

/**
 * A hook context over `engine` at one point of one step. `stats()` encodes the engine's reductions
 * on first use (the engine must have computed forces); `atoms()` reads the state back once.
 */
export function hookContext(
  engine: Engine<unknown>,
  slots: SlotView,
  options: HookContextOptions = {},
): HookContext & ContextRecord {
  const record = options.record ?? contextRecord();
  let stats: Promise<SystemStats> | null = null;
  let atoms: Promise<AtomState> | null = null;
  return {
    engine,
    stage: options.stage ?? 0,
    stageStep: options.stageStep ?? 1,
    step: options.step ?? options.stageStep ?? 1,
    time: options.time ?? 0,
    point: options.point ?? 'after-step',
    converged: options.converged ?? Array.from(slots.systemIds, () => false),
    rank: 0,
    slots,
    statusCode: options.statusCode ?? null,
    newlyConverged: options.newlyConverged ?? [],
    events: record.events,
    stops: record.stops,
    emit: (event) => record.events.push(event),
    stats: () => {
      stats ??= (() => {
        const commands = engine.begin('test stats');
        engine.encodeStats(commands);
        engine.submit(commands);
        return engine.readStats();
      })();
      return stats;
    },
    atoms: () => {
      atoms ??= engine.readAtoms();
      return atoms;
    },
    requestStop: (reason, message) => {
      record.stops.push({ reason, message });
    },
  };
}

/** Evaluates forces once (what the runner does at the start of a stage). */
export function computeForces(engine: Engine<unknown>): void {
  const commands = engine.begin('test compute');
  engine.encodeCompute(commands);
  engine.submit(commands);
}

/** Options of {@link runHookedSteps}. */
export interface HookedStepsOptions {
  /** Steps to run. */
  steps: number;
  /** Stage index (default 0). */
  stage?: number;
  /** Steps already made in the stage (default 0): the first step is number first + 1. */
  first?: number;
  /** Status code the dynamics updates (default 0) and that sub-stage hooks see as `statusCode` (default null). */
  dynamicsStatus?: number;
  statusCode?: number | null;
  /** Time step, fs (for ctx.time; default 0). */
  dt?: number;
  /** Called after each step (after the after-step hooks), e.g. to change slots. */
  afterStep?: (stageStep: number) => void | Promise<void>;
  record?: ContextRecord;
}

/**
 * Runs `steps` steps of `dynamics` on `engine` the way the stage runner does, firing hooks at the
 * points where they fire (`hookFires`), advancing `slots.stageSteps` of the slots the dynamics
 * updates, and stopping after a step where a hook requested a stop. The engine must have forces
 * (see {@link computeForces}). Returns the record and the number of steps made.
 */
export async function runHookedSteps(
  engine: Engine<unknown>,
  dynamics: Dynamics<unknown>,
  hooks: readonly Hook[],
  slots: SlotView,
  options: HookedStepsOptions,
): Promise<ContextRecord & { steps: number }> {
  const record = options.record ?? contextRecord();
  const code = options.dynamicsStatus ?? 0;
  const first = options.first ?? 0;
  engine.writeStatus(slots.status);
  for (let k = 1; k <= options.steps; k++) {
    const n = first + k;
    const ctxOptions = (point: HookPoint): HookContextOptions => ({
      stage: options.stage ?? 0,
      stageStep: n,
      step: n,
      time: n * (options.dt ?? 0),
      point,
      statusCode: options.statusCode ?? null,
      record,
    });
    const fire = async (point: HookPoint) => {
      for (const hook of hooks)
        if (hookFires(hook, point, n)) await hook.run(hookContext(engine, slots, ctxOptions(point)));
    };
    await fire('before-step');
    const commands = engine.begin(`test step ${n}`);
    dynamics.encodePreUpdate(commands, code);
    engine.encodeCompute(commands);
    dynamics.encodePostUpdate(commands, code);
    engine.submit(commands);
    for (let s = 0; s < slots.systemIds.length; s++)
      if (slots.systemIds[s]! >= 0 && slots.status[s] === code) slots.stageSteps[s]!++;
    await fire('after-step');
    await options.afterStep?.(n);
    if (record.stops.length > 0) return { ...record, steps: k };
  }
  return { ...record, steps: options.steps };
}

/** Argon with a 5 Å cutoff (below half the 10.52 Å box of a 2×2×2 fcc crystal). */
export const TEST_ARGON = {
  kind: 'lennard-jones',
  epsilon: 0.0104,
  sigma: 3.4,
  cutoff: 5,
  shift: false,
} as const;

/**
 * Three argon fcc crystals (32, 48 and 48 atoms, jittered, 40 K) with system ids 10, 11, 12, so
 * slot indices and system ids differ.
 */
export function argonSystems(): Batch {
  const crystal = (repeat: [number, number, number], seed: number) =>
    buildFcc({
      kind: 'fcc',
      element: 'Ar',
      mass: 39.948,
      latticeConstant: 5.26,
      repeat,
      voidRadius: 0,
      temperature: 40,
      jitter: 0.05,
      seed,
    });
  const batch = concatenateBatches([crystal([2, 2, 2], 1), crystal([2, 2, 3], 2), crystal([3, 2, 2], 3)]);
  batch.systemIds.set([10, 11, 12]);
  return batch;
}

/** A setConstraints or requestRebuild call seen by a {@link RecordingEngine}. */
export type EngineCall =
  | { kind: 'setConstraints'; frozen?: Uint8Array | null; maxForce?: Float64Array | null }
  | { kind: 'requestRebuild' };

/**
 * A real engine that records its setConstraints and requestRebuild calls (copies of the arrays) and,
 * with `forward`, passes them on.
 */
export class RecordingEngine<C> implements Engine<C> {
  readonly calls: EngineCall[] = [];
  constructor(
    readonly inner: Engine<C>,
    private readonly forward: boolean,
  ) {}
  get nAtoms(): number {
    return this.inner.nAtoms;
  }
  get nSystems(): number {
    return this.inner.nSystems;
  }
  get backend(): string {
    return this.inner.backend;
  }
  begin(label: string): C {
    return this.inner.begin(label);
  }
  submit(commands: C): void {
    this.inner.submit(commands);
  }
  encodeCompute(commands: C): void {
    this.inner.encodeCompute(commands);
  }
  encodeStats(commands: C): void {
    this.inner.encodeStats(commands);
  }
  readStats(): Promise<SystemStats> {
    return this.inner.readStats();
  }
  readAtoms(): Promise<AtomState> {
    return this.inner.readAtoms();
  }
  writeAtoms(positions: ArrayLike<number>, velocities: ArrayLike<number>): void {
    this.inner.writeAtoms(positions, velocities);
  }
  zeroVelocities(systems?: readonly number[]): Promise<void> {
    return this.inner.zeroVelocities(systems);
  }
  reload(batch: Batch): void {
    this.inner.reload(batch);
  }
  requestRebuild(): void {
    this.calls.push({ kind: 'requestRebuild' });
    if (this.forward) this.inner.requestRebuild();
  }
  setConstraints(constraints: { frozen?: Uint8Array | null; maxForce?: Float64Array | null }): void {
    const call: EngineCall = { kind: 'setConstraints' };
    if (constraints.frozen !== undefined) call.frozen = constraints.frozen?.slice() ?? null;
    if (constraints.maxForce !== undefined) call.maxForce = constraints.maxForce?.slice() ?? null;
    this.calls.push(call);
    if (this.forward) this.inner.setConstraints(constraints);
  }
  writeStatus(status: Int32Array): void {
    this.inner.writeStatus(status);
  }
  resetStepCounters(systems?: readonly number[]): void {
    this.inner.resetStepCounters(systems);
  }
  createDynamics(stage: StageSpec): Dynamics<C> {
    return this.inner.createDynamics(stage);
  }
  readRebuildCount(): Promise<number> {
    return this.inner.readRebuildCount();
  }
  destroy(): void {
    this.inner.destroy();
  }
}

/** A plain NVE stage spec with time step `dt`, fs. */
export function nveStage(dt = 2): StageSpec {
  return { kind: 'nve', steps: 100, dt, hooks: [], convergence: [] };
}
