/**
 * The stage runner: runs a chain of stages (FIRE → NVT → NVE ...) on a GPU engine, firing hooks at the
 * nine insertion points of each step and ending a stage early when its convergence criteria hold.
 *
 * Steps on which no hook fires are encoded back to back into one command encoder and submitted as a
 * chunk: no CPU round trip inside a step. A step on which hooks fire is split at the hook points that
 * need it, and the GPU is read only when a hook asks for data.
 */
import type { StageSpec } from '../io/spec.ts';
import { isMinimizer, stageName } from '../io/spec.ts';
import type { AtomState, EngineListener, RunEnd, SystemStats } from './api.ts';
import type { Dynamics, Engine } from './gpu/types.ts';
import { criteriaFromSpec, hooksFromSpec, logRecord, nanGuardHook } from './hooks/fromSpec.ts';
import type { ConvergenceCriterion, Hook, HookContext, HookPoint } from './hooks/hook.ts';
import { hookFires } from './hooks/hook.ts';
import type { HostMemorySink } from './sinks/hostMemory.ts';

/** Where a run stands: used to resume after a pause, a restart or a device loss. */
export interface RunPosition {
  /** Index of the current stage. */
  stage: number;
  /** Steps completed in the current stage. */
  stageStep: number;
  /** Steps completed over the run. */
  step: number;
  /** Simulated time, fs. */
  time: number;
}

export interface StageRunnerOptions<C> {
  engine: Engine<C>;
  stages: readonly StageSpec[];
  listener: EngineListener;
  /** Sink of the snapshot hooks. */
  sink: HostMemorySink;
  /** Where to start (default: the beginning). */
  start?: RunPosition;
  /** Extra hooks per stage index, added to those of the spec (tests, tools). */
  extraHooks?: (stage: number) => Hook[];
  /** Least wall time between two live frames sent to the viewer, ms (0: none). */
  viewFrameIntervalMs?: number;
  /** Wall time one chunk of steps should take, ms: bounds the latency of pause and stop. */
  chunkTargetMs?: number;
  /** Rank of this worker (0 on one worker). */
  rank?: number;
}

/** Status code of the systems a stage updates; converged systems move to {@link CONVERGED_STATUS}. */
const ACTIVE_STATUS = 0;
const CONVERGED_STATUS = 1;
/** Largest number of steps encoded into one command encoder. */
const MAX_CHUNK = 1000;

export class StageRunner<C> {
  private readonly engine: Engine<C>;
  private readonly stages: readonly StageSpec[];
  private readonly emit: EngineListener;
  private readonly sink: HostMemorySink;
  private readonly atomsPerSystem: Int32Array;
  private position: RunPosition;
  private stopRequest: { reason: RunEnd; message: string } | null = null;
  private pauseGate: { promise: Promise<void>; release: () => void } | null = null;
  private chunkSize = 4;
  private lastFrameAt = 0;
  private forcesValid = false;

  constructor(
    private readonly options: StageRunnerOptions<C>,
    atomsPtr: Int32Array,
  ) {
    this.engine = options.engine;
    this.stages = options.stages;
    this.emit = options.listener;
    this.sink = options.sink;
    this.atomsPerSystem = Int32Array.from(
      { length: atomsPtr.length - 1 },
      (_, s) => atomsPtr[s + 1]! - atomsPtr[s]!,
    );
    this.position = { ...(options.start ?? { stage: 0, stageStep: 0, step: 0, time: 0 }) };
  }

  /** A copy of where the run stands. */
  where(): RunPosition {
    return { ...this.position };
  }

  pause(): void {
    if (this.pauseGate) return;
    let release = () => {};
    const promise = new Promise<void>((r) => {
      release = r;
    });
    this.pauseGate = { promise, release };
  }

  resume(): void {
    const gate = this.pauseGate;
    this.pauseGate = null;
    gate?.release();
  }

  /** Ends the run after the current chunk. */
  stop(): void {
    this.abort('stopped', 'stopped by the user');
  }

  /** Ends the run after the current chunk with a reason (e.g. the device was lost). */
  abort(reason: RunEnd, message: string): void {
    this.stopRequest ??= { reason, message };
    this.resume();
  }

  /** Runs the remaining stages; resolves with the reason the run ended. */
  async run(): Promise<RunEnd> {
    this.emit({ type: 'state', state: 'running' });
    try {
      if (!this.forcesValid) {
        const commands = this.engine.begin('initial compute');
        this.engine.encodeCompute(commands);
        this.engine.submit(commands);
        this.forcesValid = true;
      }
      while (this.position.stage < this.stages.length && !this.stopRequest) {
        await this.runStage(this.position.stage);
        if (this.stopRequest) break;
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
      this.emit({ type: 'state', state: 'idle' });
    }
  }

  private async runStage(index: number): Promise<void> {
    const spec = this.stages[index]!;
    const engine = this.engine;
    const dynamics = engine.createDynamics(spec);
    try {
      const deps = { emit: this.emit, sink: this.sink, atomsPerSystem: this.atomsPerSystem };
      const hooks = [
        ...hooksFromSpec(spec.hooks, deps),
        nanGuardHook(Math.min(100, ...spec.hooks.map((h) => h.every))),
        ...(this.options.extraHooks?.(index) ?? []),
      ];
      const criteria = criteriaFromSpec(spec.convergence);
      const converged = new Array<boolean>(engine.nSystems).fill(false);
      engine.writeStatus(new Int32Array(engine.nSystems).fill(ACTIVE_STATUS));
      if (this.position.stageStep === 0) {
        dynamics.reset();
        engine.resetStepCounters();
        if (isMinimizer(spec)) await engine.zeroVelocities();
      }
      this.emit({ type: 'stage', stage: index, name: stageName(spec, index), step: this.position.step });
      await this.emitStageStartLog(index);

      while (this.position.stageStep < spec.steps && !this.stopRequest && converged.includes(false)) {
        if (this.pauseGate) {
          this.emit({ type: 'state', state: 'paused' });
          await this.pauseGate.promise;
          if (this.stopRequest) break;
          this.emit({ type: 'state', state: 'running' });
        }
        const t0 = performance.now();
        const first = this.position.stageStep + 1;
        const last = this.chunkEnd(first, spec.steps, hooks, criteria);
        // Steps first..last-1 fire nothing: encode them back to back.
        if (last > first) {
          const enc = engine.begin(`steps ${first}..${last - 1}`);
          for (let n = first; n < last; n++) {
            dynamics.encodePreUpdate(enc, ACTIVE_STATUS);
            engine.encodeCompute(enc);
            dynamics.encodePostUpdate(enc, ACTIVE_STATUS);
          }
          engine.submit(enc);
          this.advance(spec, last - first);
        }
        await this.hookedStep(index, spec, dynamics, hooks, criteria, converged);
        await this.sendViewFrame(false);
        this.adaptChunk(last - first + 1, performance.now() - t0);
      }
      if (isMinimizer(spec)) await engine.zeroVelocities();
    } finally {
      dynamics.destroy();
    }
  }

  /** Last step of the next chunk: the first step from `first` on where a hook or criterion fires. */
  private chunkEnd(
    first: number,
    steps: number,
    hooks: readonly Hook[],
    criteria: readonly ConvergenceCriterion[],
  ): number {
    const cap = Math.min(steps, first + this.chunkSize - 1);
    let end = cap;
    for (const every of [...hooks.map((h) => h.every), ...criteria.map((c) => c.every)]) {
      const next = Math.ceil(first / every) * every;
      if (next < end) end = next;
    }
    return end;
  }

  private advance(spec: StageSpec, steps: number): void {
    this.position.stageStep += steps;
    this.position.step += steps;
    if (!isMinimizer(spec)) this.position.time += steps * spec.dt;
  }

  /** Runs one step split at the hook points where hooks fire, then checks convergence. */
  private async hookedStep(
    stage: number,
    spec: StageSpec,
    dynamics: Dynamics<C>,
    hooks: readonly Hook[],
    criteria: readonly ConvergenceCriterion[],
    converged: boolean[],
  ): Promise<void> {
    const engine = this.engine;
    const n = this.position.stageStep + 1;
    const globalStep = this.position.step + 1;
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
    const context = (point: HookPoint): HookContext => ({
      engine,
      stage,
      stageStep: n,
      step: globalStep,
      time: this.position.time,
      point,
      converged,
      rank: this.options.rank ?? 0,
      stats: () => {
        stats ??= (() => {
          const e = encoder();
          engine.encodeStats(e);
          flush();
          return engine.readStats();
        })();
        return stats;
      },
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
    const fire = async (point: HookPoint, stepForFrequency: number) => {
      for (const hook of hooks) {
        if (!hookFires(hook, point, stepForFrequency)) continue;
        flush();
        await hook.run(context(point));
      }
    };

    await fire('before-step', n);
    await fire('before-pre-update', n);
    dynamics.encodePreUpdate(encoder(), ACTIVE_STATUS);
    invalidate();
    await fire('after-pre-update', n);
    await fire('before-compute', n);
    engine.encodeCompute(encoder());
    invalidate();
    await fire('after-compute', n);
    await fire('before-post-update', n);
    dynamics.encodePostUpdate(encoder(), ACTIVE_STATUS);
    invalidate();
    this.advance(spec, 1);
    await fire('after-post-update', n);
    flush();

    const due = criteria.filter((c) => n % c.every === 0);
    let newly: number[] = [];
    if (due.length > 0) {
      const s = await context('after-step').stats();
      const holds = due.map((c) => c.test(s));
      newly = converged.flatMap((was, sys) => (!was && holds.every((h) => h[sys]) ? [sys] : []));
    }
    await fire('after-step', n);
    if (newly.length > 0) {
      for (const sys of newly) converged[sys] = true;
      engine.writeStatus(Int32Array.from(converged, (c) => (c ? CONVERGED_STATUS : ACTIVE_STATUS)));
      this.emit({ type: 'converged', stage, step: this.position.step, systems: newly });
      // on-converge hooks fire whenever systems converge, whatever their frequency.
      for (const hook of hooks)
        if (hook.points.includes('on-converge')) await hook.run(context('on-converge'));
    }
  }

  /** Sends a log record of the state a stage starts from, so plots show where each stage begins. */
  private async emitStageStartLog(stage: number): Promise<void> {
    const commands = this.engine.begin('stage start stats');
    this.engine.encodeStats(commands);
    this.engine.submit(commands);
    const stats = await this.engine.readStats();
    this.emit({ type: 'log', record: logRecord({ ...this.position, stage }, stats, this.atomsPerSystem) });
  }

  private async sendViewFrame(force: boolean): Promise<void> {
    const interval = this.options.viewFrameIntervalMs ?? 50;
    if (interval <= 0 && !force) return;
    const now = performance.now();
    if (!force && now - this.lastFrameAt < interval) return;
    this.lastFrameAt = now;
    const atoms = await this.engine.readAtoms();
    this.emit({ type: 'frame', frame: { ...this.position, positions: atoms.positions } });
  }

  private adaptChunk(steps: number, elapsedMs: number): void {
    const target = this.options.chunkTargetMs ?? 40;
    const perStep = Math.max(elapsedMs / steps, 1e-3);
    this.chunkSize = Math.max(1, Math.min(MAX_CHUNK, Math.round(target / perStep)));
  }
}
