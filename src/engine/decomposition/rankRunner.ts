/**
 * Everything one rank of a domain decomposition does for a run (DESIGN §5): it takes its share of
 * the system, builds the {@link DomainEngine} over its DomainRank and force field, and runs the
 * spec's segments with the unchanged StageRunner. Every rank runs the same runner; rank 0's events go
 * to the page, the others run silently (their snapshot hooks write nowhere).
 *
 * Keeping the ranks in step. The runner makes collectives (statistics, gathers) wherever its hooks
 * and criteria ask, which depends only on step numbers and on reduced (identical) statistics; what
 * depends on the wall clock is made deterministic: a control hook fires after the post-update of
 * every step on every rank (so every chunk is one step), and in it every rank applies rank 0's control
 * word — pause, resume, step, stop, new view options, "send a live frame now" — to its own runner at
 * that same step. The runner's own throttled view frames are off; live frames are
 * gathered in the control hook when rank 0 asks. The word rides on the allreduce every force
 * evaluation makes anyway (the displacement check), so the hook itself sends nothing. While paused no
 * collective runs: the other ranks wait for rank 0's next word (resume, step, stop, view options),
 * broadcast when the user acts.
 */
import type { PipelineSpec } from '../../io/spec.ts';
import { isMinimizer, subStages } from '../../io/spec.ts';
import type { EngineEvent, Frame, RunEnd, ViewOptions } from '../api.ts';
import type { Batch } from '../batch.ts';
import { GpuRingSink } from '../gpu/ringSink.ts';
import type { Hook, HookContext } from '../hooks/hook.ts';
import { StageRunner } from '../runner.ts';
import type { FrameSink } from '../sinks/sink.ts';
import type { SinkSet } from '../sinks/sinkSet.ts';
import { snapshotHookSpecs } from '../sinks/sinkSet.ts';
import { type DomainCommands, DomainEngine, type GatheredAtoms } from './domainEngine.ts';
import type { RankForceField } from './forceField.ts';
import { rankCoords } from './grid.ts';
import type { RankTransport } from './transport.ts';

/** What one rank reports about itself about every 250 ms (the data of the `rank` event). */
export interface RankStatus {
  rank: number;
  /** Grid coordinates of the rank's box. */
  coords: [number, number, number];
  state: 'starting' | 'running' | 'done' | 'failed';
  /** Atoms this rank owns (NULL atoms included). */
  owned: number;
  /** Ghost rows it holds. */
  ghosts: number;
  /** NULL atoms among the owned ones. */
  nullOwned: number;
  /** Steps completed over the run. */
  step: number;
  /** Wall ms per step in exchanges (forward, migrate, borders, reductions) since the last report. */
  exchangeMs: number;
  /** Wall ms per step in force evaluation since the last report (exchanges inside the potential included). */
  computeMs: number;
  /** Steps per second since the last report. */
  stepsPerSecond: number;
}

/** Options of {@link runDomainRank}. */
export interface DomainRankOptions {
  /** This rank's transport (decomposition/transport.ts). */
  transport: RankTransport;
  /** The grid [Px, Py, Pz] (spec.placement.grid); Px·Py·Pz = transport.size. */
  dims: [number, number, number];
  /** The parsed run spec (src/io/spec.ts). */
  spec: PipelineSpec;
  /** The whole one-system batch (every rank gets all of it; each keeps the atoms of its box). */
  system: Batch;
  /** This rank's force field (forceField.ts); destroyed when the run ends. */
  forceField: RankForceField;
  /** Rank 0: the runner's events (frames carry the whole system and `owner`); other ranks: never called. */
  onEvent(event: EngineEvent): void;
  /** Every rank, about every 250 ms and at start and end: the `rank` event's data. */
  onStatus(status: RankStatus): void;
  /**
   * Rank 0 only: the run's sinks (snapshot hooks; host or zarr, not GPU rings). Other ranks'
   * snapshot hooks gather with rank 0 and write nowhere.
   */
  sinks?: Pick<SinkSet, 'sinkFor'>;
  /** Least wall time between two live view frames, ms (rank 0 decides; default 50; 0: none). */
  viewFrameIntervalMs?: number;
  /** Least wall time between two status reports, ms (default 250). */
  statusIntervalMs?: number;
  /** Check at every re-neighbouring that every atom id is owned exactly once (tests, debugging). */
  verifyIds?: boolean;
}

/** How a rank's run ended. */
export interface DomainRankEnd {
  reason: RunEnd;
  /** Steps run. */
  step: number;
  message?: string;
  /** Re-neighbourings over the run. */
  rebuilds: number;
  /**
   * The whole system in f64 at the end, gathered by id on every rank (the final view frame's
   * gather; absent when none was made, e.g. after a device loss).
   */
  atoms?: GatheredAtoms;
}

/** A running rank. Controls are called on rank 0 (elsewhere they do nothing) and reach every rank. */
export interface DomainRankRun {
  /**
   * Resolves when this rank's runner ended (the runner's reason: completed, stopped, nan…; its
   * step; its message). Rejects when the rank failed (its force field threw, a peer went out of
   * step, a transport error): the run cannot go on and the other ranks must be stopped.
   */
  done: Promise<DomainRankEnd>;
  pause(): void;
  resume(): void;
  /** While paused: one step on every rank, then paused again. */
  step(): void;
  stop(): void;
  /** What live frames carry (forces, velocities). */
  setViewOptions(options: ViewOptions): void;
}

/** The control word's command (low 3 bits). */
const Command = { None: 0, Pause: 1, Resume: 2, Step: 3, Stop: 4 } as const;
/** Control word flags. */
const FRAME = 8;
const VIEW = 16;
const VIEW_FORCES = 32;
const VIEW_VELOCITIES = 64;

type UserControl = { kind: 'pause' | 'resume' | 'step' | 'stop' } | { kind: 'view'; options: ViewOptions };

/**
 * Refuses, with a message naming the spec path, what a domain decomposition cannot run: inflight
 * batching, a system of more than one structure, a grid that does not match the spec's placement or
 * the number of ranks.
 */
export function checkDomainSpec(
  spec: PipelineSpec,
  system: Batch,
  dims: readonly [number, number, number],
  ranks: number,
): void {
  if (spec.batching) {
    throw new Error(
      'spec.batching: a domain decomposition runs one system split over its workers; remove batching (inflight batching needs placement single or pipeline)',
    );
  }
  if (system.nSystems !== 1) {
    throw new Error(
      `spec.system: a domain decomposition runs exactly one system; this one has ${system.nSystems} (use placement single or pipeline for many systems)`,
    );
  }
  if (spec.placement.kind === 'domain') {
    const g = spec.placement.grid;
    if (g[0] !== dims[0] || g[1] !== dims[1] || g[2] !== dims[2]) {
      throw new Error(
        `spec.placement.grid is ${g.join('×')} but the ranks were launched as ${dims.join('×')}`,
      );
    }
  }
  if (dims[0] * dims[1] * dims[2] !== ranks) {
    throw new Error(
      `spec.placement.grid ${dims.join('×')} needs ${dims[0] * dims[1] * dims[2]} ranks; ${ranks} were connected`,
    );
  }
}

/**
 * Rank 0's sinks, refusing GPU rings: a ring copies from a GPU engine's batch buffers instead of
 * gathering, and the other ranks would wait in a gather rank 0 never joins.
 */
function gatheringSinks(sinks: Pick<SinkSet, 'sinkFor'>): Pick<SinkSet, 'sinkFor'> {
  return {
    sinkFor: (hook) => {
      const sink = sinks.sinkFor(hook);
      if (sink instanceof GpuRingSink) {
        throw new Error(
          "a snapshot hook's GPU ring cannot record a domain decomposition (each rank holds a part of the system): give rank 0 host or zarr sinks",
        );
      }
      return sink;
    },
  };
}

/** Snapshot sinks of ranks other than 0: the hooks run (their gathers are collective) and write nowhere. */
const nowhere: Pick<SinkSet, 'sinkFor'> = {
  sinkFor: (hook): FrameSink => ({ kind: hook.sink, length: 0, write: () => {} }),
};

/**
 * Runs the spec's segments on this rank (see the file comment). Every rank of the grid calls it
 * with its own transport and force field and the same spec and system. Throws at once, before any
 * communication, on a spec a decomposition cannot run ({@link checkDomainSpec}). The force field
 * is destroyed when the run ends.
 */
export function runDomainRank(options: DomainRankOptions): DomainRankRun {
  const { transport, spec, system, dims } = options;
  checkDomainSpec(spec, system, dims, transport.size);
  const root = transport.rank === 0;
  if (root && !options.sinks && snapshotHookSpecs(spec.stages).length > 0) {
    throw new Error(
      "spec.stages: a snapshot hook needs the run's sinks on rank 0 (runDomainRank options.sinks)",
    );
  }
  const engine = new DomainEngine({
    transport,
    dims,
    system,
    forceField: options.forceField,
    skin: spec.neighbor.skin,
    ...(options.verifyIds ? { verifyIds: true } : {}),
    controlSource: () => runningWord(),
  });
  const coords = rankCoords(engine.rank.grid, transport.rank);
  const frameInterval = options.viewFrameIntervalMs ?? 50;
  const statusInterval = options.statusIntervalMs ?? 250;

  // Rank 0: user controls waiting for the next control point.
  const pending: UserControl[] = [];
  let wakeUser: (() => void) | null = null;
  const control = (c: UserControl) => {
    if (!root) return;
    pending.push(c);
    wakeUser?.();
    wakeUser = null;
  };
  let viewOptions: ViewOptions = {};
  let lastFrameAt = Number.NEGATIVE_INFINITY;
  let endMessage: string | undefined;

  // Status reports (local, no communication).
  let mark = { at: performance.now(), step: 0, evaluations: 0, exchangeMs: 0, computeMs: 0 };
  let lastStep = 0;
  const report = (state: RankStatus['state'], step: number) => {
    const c = engine.counters();
    const t = performance.now();
    const evaluations = Math.max(1, c.evaluations - mark.evaluations);
    const seconds = (t - mark.at) / 1000;
    options.onStatus({
      rank: transport.rank,
      coords,
      state,
      owned: c.owned,
      ghosts: c.ghosts,
      nullOwned: c.nullOwned,
      step,
      exchangeMs: (c.exchangeMs - mark.exchangeMs) / evaluations,
      computeMs: (c.computeMs - mark.computeMs) / evaluations,
      stepsPerSecond: seconds > 0 ? (step - mark.step) / seconds : 0,
    });
    mark = { at: t, step, evaluations: c.evaluations, exchangeMs: c.exchangeMs, computeMs: c.computeMs };
  };

  /**
   * Rank 0's word for the next control point while running, sent with each force evaluation: the
   * first pending control (a stop before all others) and the frame flag. The control stays pending
   * until a control point applies it ({@link consume}): an evaluation outside a step (the runner's
   * initial one) sends it again with the next.
   */
  let offered: UserControl | null = null;
  const runningWord = (): number => {
    offered = pending.find((c) => c.kind === 'stop') ?? pending[0] ?? null;
    let word = offered ? encode(offered) : Command.None;
    if (frameInterval > 0 && performance.now() - lastFrameAt >= frameInterval) word |= FRAME;
    return word;
  };
  /** Rank 0, at a control point: the offered control is applied now; a frame was sent now. */
  const consume = (word: number) => {
    const at = offered ? pending.indexOf(offered) : -1;
    if (at >= 0 && (word & 7 || word & VIEW)) pending.splice(at, 1);
    offered = null;
    if (word & FRAME) lastFrameAt = performance.now();
  };

  /** Rank 0's next word while paused: waits for the user; pause while paused is dropped. */
  const pausedWord = async (): Promise<number> => {
    for (;;) {
      const next = pending.shift();
      if (next && next.kind !== 'pause') return encode(next);
      if (!next) await new Promise<void>((r) => (wakeUser = r));
    }
  };

  const withOwner = (frame: Frame): Frame => {
    const owner = engine.ownerAtLastGather();
    return owner && owner.length === frame.positions.length / 3 ? { ...frame, owner: owner.slice() } : frame;
  };

  let runner: StageRunner<DomainCommands>;

  /** Applies a control word on this rank (the same word, at the same point, on every rank). */
  const apply = async (word: number, ctx: HookContext | null): Promise<void> => {
    if (word & VIEW) {
      viewOptions = { forces: (word & VIEW_FORCES) !== 0, velocities: (word & VIEW_VELOCITIES) !== 0 };
      await runner.setViewOptions(viewOptions);
    }
    if (word & FRAME && ctx) await sendFrame(ctx);
    switch (word & 7) {
      case Command.Pause:
        runner.pause();
        break;
      case Command.Resume:
        runner.resume();
        break;
      case Command.Step:
        runner.step();
        break;
      case Command.Stop:
        runner.stop();
        break;
      default:
        break;
    }
  };

  /** A live frame of the state after this step's post-update (collective gather; rank 0 emits it). */
  const sendFrame = async (ctx: HookContext) => {
    const atoms = await ctx.atoms();
    if (!root) return;
    const segment = spec.stages[ctx.stage]!;
    const sub = subStages(segment)[ctx.slots.status[0]!];
    const dt = sub && !isMinimizer(sub) ? sub.dt : 0;
    options.onEvent({
      type: 'frame',
      frame: withOwner({
        stage: ctx.stage,
        stageStep: ctx.stageStep,
        step: ctx.step,
        time: ctx.time + dt,
        positions: atoms.positions,
        ...(viewOptions.forces ? { forces: atoms.forces } : {}),
        ...(viewOptions.velocities ? { velocities: atoms.velocities } : {}),
        slots: {
          systemIds: ctx.slots.systemIds.slice(),
          atomsPtr: ctx.slots.atomsPtr.slice(),
          status: ctx.slots.status.slice(),
        },
        rank: 0,
      }),
    });
  };

  const controlHook: Hook = {
    name: 'domain control',
    points: ['after-post-update'],
    every: 1,
    async run(ctx) {
      // The word came with this step's force evaluation: no communication here.
      const word = await engine.control();
      if (root) consume(word);
      lastStep = ctx.step;
      await apply(word, ctx);
      if (performance.now() - mark.at >= statusInterval) report('running', ctx.step);
    },
  };

  /** While paused: words from rank 0 until one that moves the runner (resume, step, stop). */
  const whilePaused = async () => {
    for (;;) {
      const [word] = await engine.broadcastFromRoot(Float64Array.of(root ? await pausedWord() : 0));
      await apply(word!, null);
      const command = word! & 7;
      if (command === Command.Resume || command === Command.Step || command === Command.Stop) return;
    }
  };

  runner = new StageRunner({
    engine,
    stages: spec.stages,
    systems: system,
    rank: transport.rank,
    viewFrameIntervalMs: 0,
    hookDeps: { sinks: root && options.sinks ? gatheringSinks(options.sinks) : nowhere },
    extraHooks: (segment, subStage) =>
      (subStage === null) === (spec.stages[segment]!.kind === 'fused') ? [controlHook] : [],
    listener: (event) => {
      if (event.type === 'state' && event.state === 'paused') {
        whilePaused().catch((e: unknown) =>
          runner.abort('error', e instanceof Error ? e.message : String(e)),
        );
      }
      if (event.type === 'end') endMessage = event.message;
      if (!root) return;
      options.onEvent(event.type === 'frame' ? { ...event, frame: withOwner(event.frame) } : event);
    },
  });

  report('starting', 0);
  const done = (async () => {
    try {
      const reason = await runner.run();
      const step = runner.where().step;
      // A failure the runner turned into an end (a broken chain seen after a stop) is still a failure.
      await engine.finish();
      report('done', step);
      const atoms = engine.lastGathered();
      return {
        reason,
        step,
        rebuilds: engine.rebuildCount(),
        ...(endMessage ? { message: endMessage } : {}),
        ...(atoms ? { atoms } : {}),
      };
    } catch (e) {
      report('failed', lastStep);
      throw e;
    } finally {
      engine.destroy();
    }
  })();
  return {
    done,
    pause: () => control({ kind: 'pause' }),
    resume: () => control({ kind: 'resume' }),
    step: () => control({ kind: 'step' }),
    stop: () => control({ kind: 'stop' }),
    setViewOptions: (o) => control({ kind: 'view', options: { ...o } }),
  };
}

function encode(c: UserControl): number {
  switch (c.kind) {
    case 'pause':
      return Command.Pause;
    case 'resume':
      return Command.Resume;
    case 'step':
      return Command.Step;
    case 'stop':
      return Command.Stop;
    case 'view':
      return VIEW | (c.options.forces ? VIEW_FORCES : 0) | (c.options.velocities ? VIEW_VELOCITIES : 0);
  }
}
