/**
 * The stage runner: runs the segments of a pipeline (`pipe(a, b, …)`; each a stage or a fused stage
 * `fuse(x, y, …)`) on one engine, for a batch of many systems, with inflight batching when the spec
 * asks for it (DESIGN §4, seeds 000–002).
 *
 * A segment's sub-stages share one force evaluation per step; sub-stage i updates only the systems
 * whose status code is i (a plain stage is one sub-stage, code 0). A system whose criteria hold, or
 * whose step budget in its sub-stage is spent, moves to code i + 1; on reaching the exit code it
 * leaves the segment: without batching it waits (parked) until every system has left; with batching
 * its slot is refilled at once from the segment's queue by the size-aware sampler, and the system
 * joins the next segment's queue. A segment ends when every system has left and nobody waits, or at
 * its step limit.
 *
 * Steps on which nothing fires are encoded back to back into one command list and submitted as a
 * chunk (no CPU round trip inside a step). A step on which hooks fire is split at the points that
 * need it, and the GPU is read only when a hook, a criterion or a refill asks for data.
 *
 * Hook points. A plain stage's hooks fire at all nine points. In a fused stage, hooks of the fused
 * stage itself see the whole batch at all nine points; hooks of a sub-stage fire as the seed's
 * FusedStage specifies: before-step, after-compute, before-pre-update and after-post-update (both for
 * every sub-stage, even one without systems), after-step and on-converge; never before-compute,
 * after-pre-update or before-post-update. One deliberate difference of order: each sub-stage's
 * before-pre-update and pre-update come before the shared force evaluation and its post-update and
 * after-post-update after it, because velocity Verlet needs the new forces between its two half
 * kicks (the seed runs both halves after the evaluation, which makes VV first order).
 */
import type { BatchingSpec, SegmentSpec, StageSpec } from '../io/spec.ts';
import { isMinimizer, stageName, subStages } from '../io/spec.ts';
import type {
  AtomState,
  EngineListener,
  LeaveReason,
  RunEnd,
  StageVisit,
  SystemStats,
  ViewOptions,
} from './api.ts';
import type { Batch } from './batch.ts';
import { cloneBatch } from './batch.ts';
import { ResidentBatch, splitSystems } from './batching/residentBatch.ts';
import { SizeAwareSampler } from './batching/sampler.ts';
import type { Dynamics, Engine } from './gpu/types.ts';
import { ConstraintBoard } from './hooks/constraints.ts';
import { criterionFromSpec } from './hooks/criteria.ts';
import { type HookFactoryDeps, hooksFromSpec, implicitNanGuard, logRecord } from './hooks/fromSpec.ts';
import type { ConvergenceCriterion, Hook, HookContext, HookPoint, SlotView } from './hooks/hook.ts';
import { hookFires } from './hooks/hook.ts';

/** Where a run stands: used to resume after a pause, a restart or a device loss. */
export interface RunPosition {
  /** Index of the current segment (stage or fused stage). */
  stage: number;
  /** Steps completed in the current segment. */
  stageStep: number;
  /** Steps completed over the run. */
  step: number;
  /** Simulated time, fs. */
  time: number;
}

export interface StageRunnerOptions<C> {
  engine: Engine<C>;
  /** The pipeline's segments, in order. */
  stages: readonly SegmentSpec[];
  /**
   * The run's systems. Without batching they are the engine's batch (slot s = system s); with
   * batching the engine was created on {@link engineBatch} and these wait in the first queue.
   */
  systems: Batch;
  /** Inflight batching (see {@link engineBatch}). */
  batching?: BatchingSpec;
  listener: EngineListener;
  /** What hook factories need besides the events (sinks). */
  hookDeps?: Omit<HookFactoryDeps, 'emit'>;
  /** Where to start (default: the beginning; only without batching). */
  start?: RunPosition;
  /** Extra hooks per segment and sub-stage (null: the segment's own level), for tests and tools. */
  extraHooks?: (segment: number, subStage: number | null) => Hook[];
  /** Least wall time between two live frames sent to the viewer, ms (0: none). */
  viewFrameIntervalMs?: number;
  /** Wall time one chunk of steps should take, ms: bounds the latency of pause and stop. */
  chunkTargetMs?: number;
  /** Rank of this worker (0 on one worker). */
  rank?: number;
  /**
   * Streaming mode (a pipeline worker, issue 8): run only segment `stream.segment`, admitting systems
   * from `stream.source` and handing those that leave to `stream.outlet` (needs batching).
   */
  stream?: StreamOptions;
  /**
   * Called between chunks of steps in streaming mode, to let the event loop run (messages, timers);
   * a worker passes a macrotask yield.
   */
  yieldToEventLoop?: () => Promise<void>;
}

/** A system entering or leaving a streaming runner, with everything it carries besides its atoms. */
export interface StreamSystem {
  /** A one-system batch: positions (Å), velocities (Å/fs), masses, types, cell, pbc, id. */
  system: Batch;
  /** Segments it went through so far (the runner appends its own). */
  history: StageVisit[];
  /** Forces at the positions it leaves with, eV/Å (absent when entering from the sampler). */
  forces?: Float64Array;
  /** Status code it left its last segment with (its exit code). */
  status?: number;
}

/** Where a streaming runner takes systems from. */
export interface SystemSource {
  /**
   * Takes waiting systems (without waiting) to fill at most `freeSlots` slots holding at most
   * `freeAtoms` atoms in all; size-aware, in arrival order where they fit.
   */
  take(freeSlots: number, freeAtoms: number): StreamSystem[];
  /** Systems waiting. */
  readonly waiting: number;
  /** True when nothing waits and nothing more will come (upstream ended). */
  readonly closed: boolean;
  /** Resolves when a system arrives or the source closes. */
  arrival(): Promise<void>;
}

/** Where a streaming runner hands systems that left its segment. */
export interface SystemOutlet {
  /**
   * Offers systems in order; takes the first k that the receiver has room for now and returns k.
   * Those not taken stay parked in the runner (not stepping) and are offered again later.
   */
  offer(systems: readonly StreamSystem[]): number;
  /** Resolves when the outlet may have room again. */
  room(): Promise<void>;
}

export interface StreamOptions {
  /** Global index of the segment this runner runs. */
  segment: number;
  source: SystemSource;
  outlet: SystemOutlet;
}

/** An engine that can hand out its exact (f64) state, so that evicted systems keep every bit. */
interface ExactStateEngine {
  readExact(): { batch: Batch; forces: { forces: Float64Array } };
}

function hasExactState(engine: object): engine is ExactStateEngine {
  return typeof (engine as Partial<ExactStateEngine>).readExact === 'function';
}

/** Status code of empty slots: no dynamics ever updates it. */
export const VACANT_STATUS = 63;
/** Status code of systems that left the segment and wait for its end (without batching). */
export const PARKED_STATUS = 62;
/** Largest number of steps encoded into one command encoder. */
const MAX_CHUNK = 1000;

/** The batch to create the engine on for a run of `systems` under `batching` (all of them without). */
export function engineBatch(systems: Batch, batching?: BatchingSpec): Batch {
  return batching ? new ResidentBatch(batching.maxSystems, batching.maxAtoms).compose() : systems;
}

/** A sub-stage while its segment runs. */
interface SubStage<C> {
  spec: StageSpec;
  code: number;
  dynamics: Dynamics<C>;
  hooks: Hook[];
  criteria: ConvergenceCriterion[];
}

/** Why a system moved on. */
type Move = { slot: number; reason: 'converged' | 'budget' };

/** A gate that paused runs wait on. */
type Gate = { promise: Promise<void>; release: () => void };

function newGate(): Gate {
  let release = () => {};
  const promise = new Promise<void>((r) => {
    release = r;
  });
  return { promise, release };
}

export class StageRunner<C> {
  private readonly engine: Engine<C>;
  private readonly stages: readonly SegmentSpec[];
  private readonly emit: EngineListener;
  private position: RunPosition;
  private stopRequest: { reason: RunEnd; message: string } | null = null;
  private pauseGate: Gate | null = null;
  /** A single step was asked for while paused. */
  private singleStep = false;
  /** Resolvers of an idle streaming runner's wait (woken by pause, resume, step and stop). */
  private wakers: (() => void)[] = [];
  /** Segments each system went through, by system id. */
  private readonly visits = new Map<number, StageVisit[]>();
  /** Per slot: the visit of its system to the running segment. */
  private visitOf: (StageVisit | null)[];
  /** Streaming: slots of systems that left the segment and wait for room downstream, in order. */
  private readonly parked: number[] = [];
  /** Streaming: see {@link heldBackCount}. */
  private heldBack = 0;
  /** Streaming: forces of parked systems at the step they left, eV/Å. */
  private readonly parkedForces = new Map<number, Float64Array>();
  /** Streaming: the segment's step limit came; systems leave as they are. */
  private limitReached = false;
  private chunkSize = 4;
  private lastFrameAt = 0;
  private forcesValid = false;
  private viewOptions: ViewOptions = {};
  /** Inside run(): steps may be in flight. */
  private active = false;

  // Slots: one per engine system.
  private readonly nSlots: number;
  private readonly systemIds: Int32Array;
  private readonly status: Int32Array;
  private readonly stageSteps: Int32Array;
  private atomsPtr: Int32Array;
  private atomsPerSlot: Int32Array;
  private composed: Batch;
  private readonly resident: ResidentBatch | null;
  /** Queue of each segment (batching only); the last entry collects systems done with the pipeline. */
  private readonly queues: SizeAwareSampler[] = [];
  private readonly finished: Batch[] = [];
  /** Per slot: converged in its current sub-stage (the hook context's mask). */
  private converged: boolean[];
  /** Hooks of the running segment (disposed at its end). */
  private segmentHooks: Hook[] = [];
  /** Where the running segment's constraint hooks post (re-sent after a reload lifts them). */
  private constraints = new ConstraintBoard();

  constructor(private readonly options: StageRunnerOptions<C>) {
    this.engine = options.engine;
    this.stages = options.stages;
    this.emit = options.listener;
    this.nSlots = options.engine.nSystems;
    this.systemIds = new Int32Array(this.nSlots);
    this.status = new Int32Array(this.nSlots).fill(VACANT_STATUS);
    this.stageSteps = new Int32Array(this.nSlots);
    this.converged = new Array<boolean>(this.nSlots).fill(false);
    this.visitOf = new Array<StageVisit | null>(this.nSlots).fill(null);
    if (options.stream && !options.batching) throw new Error('streaming mode needs batching');
    const systems = options.systems;
    if (options.batching) {
      if (options.start) throw new Error('a batched run cannot resume from a position');
      this.resident = new ResidentBatch(options.batching.maxSystems, options.batching.maxAtoms);
      if (this.resident.nSlots !== this.nSlots || this.resident.nAtoms !== options.engine.nAtoms)
        throw new Error('with batching, create the engine on engineBatch(systems, batching)');
      for (let k = 0; k <= this.stages.length; k++)
        this.queues.push(new SizeAwareSampler(options.batching.maxAtoms));
      this.queues[0]!.push(...splitSystems(systems));
      this.composed = this.resident.compose();
      this.systemIds.fill(-1);
    } else {
      if (systems.nSystems !== this.nSlots || systems.nAtoms !== options.engine.nAtoms)
        throw new Error('without batching, the engine must hold exactly the run’s systems');
      this.resident = null;
      this.composed = systems;
      this.systemIds.set(systems.systemIds);
    }
    this.atomsPtr = this.composed.atomsPtr.slice();
    this.atomsPerSlot = slotSizes(this.atomsPtr);
    this.position = { ...(options.start ?? { stage: 0, stageStep: 0, step: 0, time: 0 }) };
    if (options.stream) this.position.stage = options.stream.segment;
  }

  /** The segments each system went through so far, by system id. */
  histories(): ReadonlyMap<number, readonly StageVisit[]> {
    return this.visits;
  }

  /** Streaming: systems parked (left the segment, waiting for room downstream). */
  get parkedCount(): number {
    return this.parked.length;
  }

  /** Streaming: systems so far that the outlet had no room for when they left (back-pressure). */
  get heldBackCount(): number {
    return this.heldBack;
  }

  /** Systems resident (parked ones included) and their atoms (batching only). */
  occupancy(): { systems: number; atoms: number } {
    if (!this.resident) return { systems: this.nSlots, atoms: this.engine.nAtoms };
    return { systems: this.resident.occupiedSlots().length, atoms: this.resident.usedAtoms };
  }

  /** A copy of where the run stands. */
  where(): RunPosition {
    return { ...this.position };
  }

  /** Systems that went through every segment (batching only), in the order they finished. */
  finishedSystems(): readonly Batch[] {
    return this.finished;
  }

  pause(): void {
    if (this.pauseGate) return;
    this.pauseGate = newGate();
    this.wake();
  }

  resume(): void {
    const gate = this.pauseGate;
    this.pauseGate = null;
    this.singleStep = false;
    gate?.release();
    this.wake();
  }

  /** While paused: runs exactly one step, then stays paused. No effect while running. */
  step(): void {
    const gate = this.pauseGate;
    if (!gate) return;
    this.singleStep = true;
    this.pauseGate = newGate();
    gate.release();
    this.wake();
  }

  private wake(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const w of wakers) w();
  }

  /** A promise that resolves at the next pause, resume, step or stop. */
  private woken(): Promise<void> {
    return new Promise<void>((r) => this.wakers.push(r));
  }

  /** Ends the run after the current chunk. */
  stop(): void {
    this.abort('stopped', 'stopped by the user');
  }

  /** Ends the run after the current chunk with a reason (e.g. the device was lost). */
  abort(reason: RunEnd, message: string): void {
    this.stopRequest ??= { reason, message };
    this.resume();
    this.wake();
  }

  /**
   * What live view frames carry from now on. When no step can be in flight (not running, or paused)
   * a frame with them is sent at once, so the view need not wait for the run to go on.
   */
  async setViewOptions(options: ViewOptions): Promise<void> {
    this.viewOptions = { ...options };
    if (this.active && !this.pauseGate) return;
    if (!this.forcesValid) this.computeForces('forces for the view');
    await this.sendViewFrame(true);
  }

  /** Runs the remaining segments; resolves with the reason the run ended. */
  async run(): Promise<RunEnd> {
    this.emit({ type: 'state', state: 'running' });
    this.active = true;
    try {
      if (!this.forcesValid) this.computeForces('initial compute');
      while (this.position.stage < this.stages.length && !this.stopRequest) {
        await this.runSegment(this.position.stage);
        if (this.stopRequest || this.options.stream) break;
        this.position = { ...this.position, stage: this.position.stage + 1, stageStep: 0 };
      }
      const end = this.stopRequest ?? { reason: 'completed' as const, message: '' };
      if (end.reason !== 'device-lost') await this.sendViewFrame(true);
      this.emit({
        type: 'end',
        reason: end.reason,
        step: this.position.step,
        ...(end.message ? { message: end.message } : {}),
      });
      return end.reason;
    } finally {
      this.active = false;
      this.emit({ type: 'state', state: 'idle' });
    }
  }

  private computeForces(label: string): void {
    const commands = this.engine.begin(label);
    this.engine.encodeCompute(commands);
    this.engine.submit(commands);
    this.forcesValid = true;
  }

  private slotView(): SlotView {
    return {
      systemIds: this.systemIds,
      atomsPtr: this.atomsPtr,
      status: this.status,
      atoms: this.atomsPerSlot,
      stageSteps: this.stageSteps,
      types: this.composed.types,
      atomicNumbers: this.composed.atomicNumbers,
      cells: this.composed.cells,
      pbc: this.composed.pbc,
    };
  }

  private async runSegment(index: number): Promise<void> {
    const segment = this.stages[index]!;
    const engine = this.engine;
    const fused = segment.kind === 'fused';
    const specs = subStages(segment);
    const entry = segment.kind === 'fused' ? segment.entryStatus : 0;
    const exit = segment.kind === 'fused' ? (segment.exitStatus ?? specs.length) : 1;
    const maxSteps = segment.kind === 'fused' ? segment.steps : Number.POSITIVE_INFINITY;
    this.constraints = new ConstraintBoard();
    const deps: HookFactoryDeps = {
      ...this.options.hookDeps,
      emit: this.emit,
      constraints: this.constraints,
    };
    const subs: SubStage<C>[] = [];
    try {
      for (let code = entry; code < exit; code++) {
        const spec = specs[code]!;
        subs.push({
          spec,
          code,
          dynamics: engine.createDynamics(spec),
          hooks: [...hooksFromSpec(spec.hooks, deps), ...(this.options.extraHooks?.(index, code) ?? [])],
          criteria: spec.convergence.map(criterionFromSpec),
        });
      }
      const ownHooks = fused
        ? [...hooksFromSpec(segment.hooks, deps), ...(this.options.extraHooks?.(index, null) ?? [])]
        : [];
      const everyHook = [...ownHooks, ...subs.flatMap((s) => s.hooks)];
      ownHooks.push(implicitNanGuard(everyHook));
      this.segmentHooks = [...ownHooks, ...subs.flatMap((s) => s.hooks)];

      this.emit({ type: 'stage', stage: index, name: stageName(segment, index), step: this.position.step });
      await this.enterSegment(index, subs, entry);
      // Resuming (after a device loss): systems keep the steps they made in the segment.
      if (this.position.stageStep > 0) this.stageSteps.fill(this.position.stageStep);
      await this.settle(index, subs, exit, []);
      await this.emitStageStartLog(index);

      const stream = this.options.stream;
      while (
        !this.stopRequest &&
        (stream
          ? this.segmentBusy(subs) || this.parked.length > 0 || !stream.source.closed
          : this.position.stageStep < maxSteps && this.segmentBusy(subs))
      ) {
        let one = false;
        if (this.pauseGate) {
          if (this.singleStep) {
            this.singleStep = false;
            one = true;
          } else {
            // The view shows exactly where the run stopped (the last chunk's frame may have been
            // throttled), so that Step moves the readouts by one.
            await this.sendViewFrame(true);
            this.emit({ type: 'state', state: 'paused' });
            await this.pauseGate.promise;
            if (this.stopRequest) break;
            if (!this.pauseGate) this.emit({ type: 'state', state: 'running' });
            continue;
          }
        }
        if (stream) {
          await this.options.yieldToEventLoop?.();
          if (this.stopRequest) break;
          if (await this.streamTurn(index, subs, entry, exit, maxSteps)) continue;
        }
        const t0 = performance.now();
        const first = this.position.stageStep + 1;
        const last = one ? first : this.chunkEnd(first, maxSteps, ownHooks, subs);
        if (last > first) {
          // Steps first..last-1 fire nothing and move no system: encode them back to back.
          const enc = engine.begin(`steps ${first}..${last - 1}`);
          for (let n = first; n < last; n++) {
            for (const s of subs) s.dynamics.encodePreUpdate(enc, s.code);
            engine.encodeCompute(enc);
            for (const s of subs) s.dynamics.encodePostUpdate(enc, s.code);
          }
          engine.submit(enc);
          this.advance(subs, last - first);
        }
        await this.hookedStep(index, fused, ownHooks, subs, exit);
        await this.sendViewFrame(one);
        this.adaptChunk(last - first + 1, performance.now() - t0);
      }
      if (!this.stopRequest) await this.leaveSegment(index, subs, exit);
    } finally {
      for (const s of subs) s.dynamics.destroy();
      for (const hook of this.segmentHooks) hook.dispose?.(engine);
      this.segmentHooks = [];
    }
  }

  /** Whether the segment still has systems to step. */
  private segmentBusy(subs: readonly SubStage<C>[]): boolean {
    const codes = new Set(subs.map((s) => s.code));
    return this.status.some((c) => codes.has(c));
  }

  /** Puts the segment's systems at the entry code: all of them without batching, the first admitted with. */
  private async enterSegment(index: number, subs: readonly SubStage<C>[], entry: number): Promise<void> {
    if (this.resident) {
      await this.refill(index, subs, entry);
      return;
    }
    const all = Array.from({ length: this.nSlots }, (_, s) => s);
    await this.enterSubStage(subs, all, entry, null);
  }

  /**
   * Moves `slots` into the sub-stage of `code` (they come from sub-stage `from`, or from outside when
   * null): fresh per-system dynamics state, step counters and criteria, and rest for minimizers.
   */
  private async enterSubStage(
    subs: readonly SubStage<C>[],
    slots: readonly number[],
    code: number,
    from: SubStage<C> | null,
  ): Promise<void> {
    if (slots.length === 0) return;
    const sub = subs.find((s) => s.code === code);
    if (from === null) for (const s of slots) this.openVisit(s);
    for (const s of slots) {
      this.status[s] = code;
      this.stageSteps[s] = 0;
      this.converged[s] = false;
    }
    if (!sub) return;
    sub.dynamics.reset(slots);
    this.engine.resetStepCounters(slots);
    for (const c of sub.criteria) c.reset?.(slots);
    // Minimizers start from rest; a system leaving one starts the next stage from rest too.
    if (isMinimizer(sub.spec) || (from && isMinimizer(from.spec))) await this.engine.zeroVelocities(slots);
  }

  /** The last step of the next chunk: the first step from `first` on where anything happens. */
  private chunkEnd(
    first: number,
    maxSteps: number,
    ownHooks: readonly Hook[],
    subs: readonly SubStage<C>[],
  ): number {
    let end = Math.min(maxSteps, first + this.chunkSize - 1);
    const everies = [
      ...ownHooks.map((h) => h.every),
      ...subs.flatMap((s) => [...s.hooks.map((h) => h.every), ...s.criteria.map((c) => c.every)]),
    ];
    for (const every of everies) end = Math.min(end, Math.ceil(first / every) * every);
    // A step budget running out moves a system: that step must be a hooked one.
    for (let slot = 0; slot < this.nSlots; slot++) {
      const sub = subs.find((s) => s.code === this.status[slot]);
      if (sub) end = Math.min(end, first - 1 + Math.max(1, sub.spec.steps - this.stageSteps[slot]!));
    }
    return Math.max(first, end);
  }

  private advance(subs: readonly SubStage<C>[], steps: number): void {
    this.position.stageStep += steps;
    this.position.step += steps;
    let dt = 0;
    for (let slot = 0; slot < this.nSlots; slot++) {
      const sub = subs.find((s) => s.code === this.status[slot]);
      if (!sub) continue;
      this.stageSteps[slot]! += steps;
      // Simulated time follows the first MD sub-stage that has systems (minimizer steps take none).
      if (dt === 0 && !isMinimizer(sub.spec)) dt = sub.spec.dt;
    }
    this.position.time += steps * dt;
  }

  /** One step split at the points where hooks fire, then convergence, migration and refill. */
  private async hookedStep(
    segment: number,
    fused: boolean,
    ownHooks: readonly Hook[],
    subs: readonly SubStage<C>[],
    exit: number,
  ): Promise<void> {
    const engine = this.engine;
    const n = this.position.stageStep + 1;
    let enc: C | null = null;
    const encoder = (): C => {
      enc ??= engine.begin(`step ${n}`);
      return enc;
    };
    const flush = () => {
      if (enc !== null) engine.submit(enc);
      enc = null;
    };
    let stats: Promise<SystemStats> | null = null;
    let atoms: Promise<AtomState> | null = null;
    const invalidate = () => {
      stats = null;
      atoms = null;
    };
    const readStats = (): Promise<SystemStats> => {
      stats ??= (() => {
        engine.encodeStats(encoder());
        flush();
        return engine.readStats();
      })();
      return stats;
    };
    let newlyConverged: readonly number[] = [];
    const context = (point: HookPoint, statusCode: number | null): HookContext => ({
      engine,
      stage: segment,
      stageStep: n,
      step: this.position.step + (point === 'after-step' || point === 'on-converge' ? 0 : 1),
      time: this.position.time,
      point,
      converged: this.converged,
      rank: this.options.rank ?? 0,
      slots: this.slotView(),
      statusCode,
      newlyConverged: point === 'on-converge' ? newlyConverged : [],
      emit: this.emit,
      stats: readStats,
      atoms: () => {
        if (!atoms) {
          flush();
          atoms = engine.readAtoms();
        }
        return atoms;
      },
      requestStop: (reason, message) => {
        this.stopRequest ??= { reason, message };
      },
    });
    const fire = async (hooks: readonly Hook[], point: HookPoint, statusCode: number | null) => {
      for (const hook of hooks) {
        if (!hookFires(hook, point, n)) continue;
        flush();
        await hook.run(context(point, statusCode));
      }
    };
    /** Hooks of a sub-stage at a point: all nine in a plain stage, the seed's six in a fused one. */
    const fireSub = (s: SubStage<C>, point: HookPoint) =>
      fused && (point === 'before-compute' || point === 'after-pre-update' || point === 'before-post-update')
        ? Promise.resolve()
        : fire(s.hooks, point, s.code);
    const fireAll = async (point: HookPoint) => {
      await fire(ownHooks, point, null);
      for (const s of subs) await fireSub(s, point);
    };

    await fireAll('before-step');
    await fire(ownHooks, 'before-pre-update', null);
    for (const s of subs) {
      await fireSub(s, 'before-pre-update');
      s.dynamics.encodePreUpdate(encoder(), s.code);
      invalidate();
      if (!fused) await fireSub(s, 'after-pre-update');
    }
    await fire(ownHooks, 'after-pre-update', null);
    await fireAll('before-compute');
    engine.encodeCompute(encoder());
    invalidate();
    await fireAll('after-compute');
    await fire(ownHooks, 'before-post-update', null);
    for (const s of subs) {
      if (!fused) await fireSub(s, 'before-post-update');
      s.dynamics.encodePostUpdate(encoder(), s.code);
      invalidate();
      await fireSub(s, 'after-post-update');
    }
    await fire(ownHooks, 'after-post-update', null);
    this.advance(subs, 1);
    flush();

    // Convergence and budgets, per sub-stage, on the systems it holds.
    const moves = new Map<SubStage<C>, Move[]>();
    for (const s of subs) {
      const slots = this.slotsWithStatus(s.code);
      if (slots.length === 0) continue;
      const list: Move[] = [];
      if (s.criteria.some((c) => n % c.every === 0)) {
        const st = await readStats();
        const view = this.slotView();
        const holds = s.criteria.map((c) => c.test(st, view));
        for (const slot of slots) if (holds.every((h) => h[slot])) list.push({ slot, reason: 'converged' });
      }
      for (const slot of slots) {
        if (this.stageSteps[slot]! >= s.spec.steps && !list.some((m) => m.slot === slot))
          list.push({ slot, reason: 'budget' });
      }
      if (list.length > 0) moves.set(s, list);
    }
    await fireAll('after-step');
    if (moves.size === 0) return;

    // on-converge: the converged systems of each sub-stage, while they still carry its status.
    const allConverged: number[] = [];
    for (const [s, list] of moves) {
      const slots = list.filter((m) => m.reason === 'converged').map((m) => m.slot);
      if (slots.length === 0) continue;
      for (const slot of slots) this.converged[slot] = true;
      allConverged.push(...slots);
      this.emit({
        type: 'converged',
        stage: segment,
        subStage: s.code,
        step: this.position.step,
        systems: slots.map((slot) => this.systemIds[slot]!),
      });
      newlyConverged = slots;
      for (const hook of s.hooks)
        if (hook.points.includes('on-converge')) await hook.run(context('on-converge', s.code));
    }
    if (allConverged.length > 0) {
      newlyConverged = allConverged;
      for (const hook of ownHooks)
        if (hook.points.includes('on-converge')) await hook.run(context('on-converge', null));
    }

    for (const [s, list] of moves) for (const m of list) this.recordLeave(m.slot, s.code, m.reason);
    // Migrate, last sub-stage first so that no system moves twice in one step.
    const leaving: number[] = [];
    for (const s of [...subs].reverse()) {
      const slots = (moves.get(s) ?? []).map((m) => m.slot);
      if (slots.length === 0) continue;
      const to = s.code + 1;
      if (to >= exit) leaving.push(...slots);
      else await this.enterSubStage(subs, slots, to, s);
      this.emit({
        type: 'migrated',
        stage: segment,
        step: this.position.step,
        from: s.code,
        to: to >= exit ? 'exit' : to,
        systems: slots.map((slot) => this.systemIds[slot]!),
      });
    }
    await this.settle(segment, subs, exit, leaving);
  }

  /**
   * Lets systems that entered a sub-stage with a budget of 0 steps pass through it, graduates those
   * that reached the exit (refilling their slots, whose newcomers may pass through again), and
   * writes the status codes.
   */
  private async settle(
    segment: number,
    subs: readonly SubStage<C>[],
    exit: number,
    leaving: number[],
  ): Promise<void> {
    let out = leaving;
    for (;;) {
      for (const s of subs) {
        if (s.spec.steps > 0) continue;
        const slots = this.slotsWithStatus(s.code);
        if (slots.length === 0) continue;
        for (const slot of slots) this.recordLeave(slot, s.code, 'budget');
        if (s.code + 1 >= exit) out.push(...slots);
        else await this.enterSubStage(subs, slots, s.code + 1, s);
      }
      if (out.length === 0) break;
      await this.graduate(segment, subs, out);
      out = [];
    }
    this.writeStatus();
  }

  private slotsWithStatus(code: number): number[] {
    const out: number[] = [];
    for (let s = 0; s < this.nSlots; s++) if (this.status[s] === code) out.push(s);
    return out;
  }

  /**
   * Systems in `slots` reached the exit code. Without batching they park until the segment ends;
   * with batching they leave for the next segment's queue and their slots are refilled.
   */
  private async graduate(
    segment: number,
    subs: readonly SubStage<C>[],
    slots: readonly number[],
  ): Promise<void> {
    // A system leaving a minimizer leaves at rest, as it would moving on to another sub-stage.
    const atRest = slots.filter((slot) => {
      const sub = subs.find((s) => s.code === this.status[slot]);
      return sub !== undefined && isMinimizer(sub.spec);
    });
    if (atRest.length > 0) await this.engine.zeroVelocities(atRest);
    this.emit({
      type: 'graduated',
      stage: segment,
      step: this.position.step,
      systems: slots.map((s) => this.systemIds[s]!),
    });
    if (!this.resident) {
      for (const s of slots) this.status[s] = PARKED_STATUS;
      return;
    }
    if (this.options.stream) {
      // Parked until the outlet takes them: they keep their slot (back-pressure) and do not step.
      await this.storeResidentState();
      const forces = await this.readForces();
      for (const s of slots) {
        this.status[s] = PARKED_STATUS;
        const begin = 3 * this.atomsPtr[s]!;
        this.parkedForces.set(
          s,
          Float64Array.from(forces.subarray(begin, begin + 3 * this.atomsPerSlot[s]!)),
        );
        this.parked.push(s);
      }
      this.offerParked();
      this.heldBack += slots.filter((s) => this.parked.includes(s)).length;
      await this.refill(segment, subs, subs[0]!.code);
      return;
    }
    await this.evict(slots, this.queues[segment + 1]!);
    const entry = subs[0]!.code;
    await this.refill(segment, subs, entry);
  }

  /** Moves the systems of `slots`, in their current state, from the resident batch into `queue`. */
  private async evict(slots: readonly number[], queue: SizeAwareSampler): Promise<void> {
    if (slots.length === 0) return;
    await this.storeResidentState();
    for (const s of slots) {
      queue.push(this.resident!.remove(s));
      this.status[s] = VACANT_STATUS;
      this.systemIds[s] = -1;
      this.visitOf[s] = null;
    }
  }

  /** Copies the resident systems' current state from the engine into the resident batch. */
  private async storeResidentState(): Promise<void> {
    // An engine with an exact state (the f64 CPU engine) keeps every bit through eviction and refill.
    const atoms = hasExactState(this.engine) ? this.engine.readExact().batch : await this.engine.readAtoms();
    this.resident!.update(atoms.positions, atoms.velocities, this.atomsPtr);
  }

  /** Forces of every atom row, eV/Å (exact on an engine with an exact state). */
  private async readForces(): Promise<
    ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> }
  > {
    return hasExactState(this.engine)
      ? this.engine.readExact().forces.forces
      : (await this.engine.readAtoms()).forces;
  }

  /** Starts the record of the system in `slot` visiting the running segment. */
  private openVisit(slot: number): void {
    const id = this.systemIds[slot]!;
    const visit: StageVisit = {
      segment: this.position.stage,
      worker: this.options.rank ?? 0,
      steps: 0,
      subStages: [],
    };
    let list = this.visits.get(id);
    if (!list) {
      list = [];
      this.visits.set(id, list);
    }
    list.push(visit);
    this.visitOf[slot] = visit;
  }

  /** Records that the system in `slot` left sub-stage `code` after its current steps there. */
  private recordLeave(slot: number, code: number, reason: LeaveReason): void {
    const visit = this.visitOf[slot];
    if (!visit) return;
    const steps = this.stageSteps[slot]!;
    visit.subStages.push({ code, steps, reason });
    visit.steps += steps;
  }

  /**
   * Streaming: offers the parked systems to the outlet, in the order they left; those it takes leave
   * the resident batch (their slots become free). Returns how many left.
   */
  private offerParked(): number {
    if (this.parked.length === 0) return 0;
    const resident = this.resident!;
    const offered = this.parked.map((slot) => {
      const system = resident.occupant(slot)!;
      const id = system.systemIds[0]!;
      const forces = this.parkedForces.get(slot);
      return {
        system: cloneBatch(system),
        history: (this.visits.get(id) ?? []).map((v) => ({
          ...v,
          subStages: v.subStages.map((x) => ({ ...x })),
        })),
        ...(forces ? { forces } : {}),
        status: this.status[slot]!,
      } satisfies StreamSystem;
    });
    const taken = Math.max(0, Math.min(offered.length, this.options.stream!.outlet.offer(offered)));
    for (const slot of this.parked.splice(0, taken)) {
      const id = resident.remove(slot).systemIds[0]!;
      this.visits.delete(id);
      this.parkedForces.delete(slot);
      this.status[slot] = VACANT_STATUS;
      this.systemIds[slot] = -1;
      this.visitOf[slot] = null;
    }
    return taken;
  }

  /**
   * Streaming, between chunks: hands parked systems on, admits arrivals into free slots, and, when no
   * system is left to step, waits for room downstream, an arrival or a control (pause, step, stop).
   * Returns true when no step should run now (the caller loops again).
   */
  private async streamTurn(
    index: number,
    subs: readonly SubStage<C>[],
    entry: number,
    exit: number,
    maxSteps: number,
  ): Promise<boolean> {
    const stream = this.options.stream!;
    this.offerParked();
    await this.refill(index, subs, entry);
    if (this.position.stageStep >= maxSteps) {
      // The step limit came: systems leave as they are (now and whenever they arrive).
      const active = subs.flatMap((s) => this.slotsWithStatus(s.code));
      if (!this.limitReached) {
        this.limitReached = true;
        this.emit({
          type: 'warning',
          stage: index,
          step: this.position.step,
          source: 'step-limit',
          message: `${stageName(this.stages[index]!, index)}: step limit reached; systems still in it and those arriving later go on as they are`,
        });
      }
      for (const slot of active) this.recordLeave(slot, this.status[slot]!, 'limit');
      if (active.length > 0) await this.graduate(index, subs, active);
    }
    await this.settle(index, subs, exit, []);
    if (this.segmentBusy(subs) && this.position.stageStep < maxSteps) return false;
    if (this.parked.length === 0 && stream.source.closed) return true;
    const waits: Promise<void>[] = [this.woken()];
    if (this.parked.length > 0) waits.push(stream.outlet.room());
    if (!stream.source.closed && this.resident!.freeSlots().length > 0) waits.push(stream.source.arrival());
    await Promise.race(waits);
    return true;
  }

  /**
   * Admits waiting systems of segment `index` into free slots (size-aware sampler), reloads the
   * engine in place, and puts the new systems at the entry code. Survivors keep their slots.
   */
  private async refill(index: number, subs: readonly SubStage<C>[], entry: number): Promise<void> {
    const resident = this.resident!;
    const queue = this.queues[index]!;
    const free = resident.freeSlots();
    const stream = this.options.stream;
    let admitted: Batch[];
    if (stream) {
      const incoming = stream.source.take(free.length, resident.maxAtoms - resident.usedAtoms);
      for (const x of incoming) this.visits.set(x.system.systemIds[0]!, x.history.slice());
      admitted = incoming.map((x) => x.system);
    } else admitted = queue.take(free.length, resident.maxAtoms - resident.usedAtoms);
    // Nothing admitted: the engine's layout stays (vacated slots keep their atoms, never updated).
    if (admitted.length === 0) return;
    if (resident.occupiedSlots().length > 0) await this.storeResidentState();
    const placed = admitted.map((system, k) => {
      resident.place(free[k]!, system);
      return free[k]!;
    });
    this.composed = resident.compose();
    this.engine.reload(this.composed);
    this.constraints.invalidate();
    this.atomsPtr = this.composed.atomsPtr.slice();
    this.atomsPerSlot = slotSizes(this.atomsPtr);
    for (let s = 0; s < this.nSlots; s++) {
      this.systemIds[s] = this.composed.systemIds[s]!;
      if (this.systemIds[s] === -1) this.status[s] = VACANT_STATUS;
    }
    await this.enterSubStage(subs, placed, entry, null);
    this.computeForces('forces after refill');
    this.emit({
      type: 'batch',
      stage: index,
      step: this.position.step,
      admitted: placed.map((s) => this.systemIds[s]!),
      resident: resident.occupiedSlots().length,
      residentAtoms: resident.usedAtoms,
      waiting: stream ? stream.source.waiting : queue.waiting,
    });
  }

  /**
   * At the end of a segment: without batching every system goes on to the next segment where it is
   * (parked ones included); with batching, systems still resident or waiting at the step limit join
   * the next queue as they are.
   */
  private async leaveSegment(index: number, subs: readonly SubStage<C>[], exit: number): Promise<void> {
    // Streaming: the loop ends only once every system has left through the outlet.
    if (this.options.stream) return;
    for (let slot = 0; slot < this.nSlots; slot++)
      if (subs.some((s) => s.code === this.status[slot])) this.recordLeave(slot, this.status[slot]!, 'limit');
    if (!this.resident) {
      const unfinished = this.status.reduce((n, c) => n + (subs.some((s) => s.code === c) ? 1 : 0), 0);
      if (unfinished > 0) {
        this.emit({
          type: 'warning',
          stage: index,
          step: this.position.step,
          source: 'step-limit',
          message: `${stageName(this.stages[index]!, index)}: ${unfinished} system(s) had not reached status ${exit} at the step limit; they go on as they are`,
        });
      }
      return;
    }
    const left = this.resident.occupiedSlots();
    const waiting = this.queues[index]!.drain();
    const next = this.queues[index + 1]!;
    await this.evict(left, next);
    next.push(...waiting);
    if (left.length + waiting.length > 0) {
      this.emit({
        type: 'warning',
        stage: index,
        step: this.position.step,
        source: 'step-limit',
        message: `${stageName(this.stages[index]!, index)}: step limit reached with ${left.length} system(s) unfinished and ${waiting.length} never admitted; they go on as they are`,
      });
    }
    if (index === this.stages.length - 1) this.finished.push(...next.drain());
  }

  /** Writes the host's status codes to the engine. */
  private writeStatus(): void {
    this.engine.writeStatus(this.status);
  }

  /** Sends a log record of the state a segment starts from, so plots show where each begins. */
  private async emitStageStartLog(stage: number): Promise<void> {
    const commands = this.engine.begin('stage start stats');
    this.engine.encodeStats(commands);
    this.engine.submit(commands);
    const stats = await this.engine.readStats();
    this.emit({ type: 'log', record: logRecord({ ...this.position, stage }, stats, this.slotView()) });
  }

  private async sendViewFrame(force: boolean): Promise<void> {
    const interval = this.options.viewFrameIntervalMs ?? 50;
    if (interval <= 0 && !force) return;
    const now = performance.now();
    if (!force && now - this.lastFrameAt < interval) return;
    this.lastFrameAt = now;
    const atoms = await this.engine.readAtoms();
    const view = this.viewOptions;
    this.emit({
      type: 'frame',
      frame: {
        ...this.position,
        positions: atoms.positions,
        ...(view.forces ? { forces: atoms.forces } : {}),
        ...(view.velocities ? { velocities: atoms.velocities } : {}),
        slots: {
          systemIds: this.systemIds.slice(),
          atomsPtr: this.atomsPtr.slice(),
          status: this.status.slice(),
        },
        rank: this.options.rank ?? 0,
        ...(this.resident
          ? { atomicNumbers: this.composed.atomicNumbers.slice(), types: this.composed.types.slice() }
          : {}),
      },
    });
  }

  private adaptChunk(steps: number, elapsedMs: number): void {
    const target = this.options.chunkTargetMs ?? 40;
    const perStep = Math.max(elapsedMs / steps, 1e-3);
    this.chunkSize = Math.max(1, Math.min(MAX_CHUNK, Math.round(target / perStep)));
  }
}

function slotSizes(atomsPtr: Int32Array): Int32Array {
  return Int32Array.from({ length: atomsPtr.length - 1 }, (_, s) => atomsPtr[s + 1]! - atomsPtr[s]!);
}
