/**
 * Single-point evaluation and whole-spec runs on any engine backend: what the CLI, the headless page
 * and tests share.
 */
import type { BatchingSpec, PipelineSpec, SegmentSpec } from '../io/spec.ts';
import { MemoryStore } from '../io/zarr/store.ts';
import type { TrajectoryFrame } from '../io/zarr/trajectoryFrame.ts';
import type { AtomState, EngineListener, RunEnd, SystemStats } from './api.ts';
import type { Batch } from './batch.ts';
import { cellVolume } from './cell.ts';
import type { Engine } from './gpu/types.ts';
import { StageRunner, type StageRunnerOptions } from './runner.ts';
import { SinkSet, snapshotHookSpecs } from './sinks/sinkSet.ts';

/** Energies, forces, virial and stress of a structure. */
export interface Evaluation {
  backend: string;
  /** Potential energy per system, eV. */
  energy: number[];
  /** Per-atom potential energy, eV. */
  energies: number[];
  /** Forces, eV/Å, xyz interleaved. */
  forces: number[];
  /** Virial W per system (row-major 3×3), eV. */
  virial: number[][];
  /** Stress per system (row-major 3×3), eV/Å³, ASE's sign: −W/V (potential part; atoms at rest). */
  stress: number[][];
}

/** Evaluates the batch the engine holds once. */
export async function evaluateOn<C>(engine: Engine<C>, batch: Batch): Promise<Evaluation> {
  const commands = engine.begin('evaluate');
  engine.encodeCompute(commands);
  engine.encodeStats(commands);
  engine.submit(commands);
  const stats: SystemStats = await engine.readStats();
  const atoms = await engine.readAtoms();
  const virial: number[][] = [];
  const stress: number[][] = [];
  for (let s = 0; s < batch.nSystems; s++) {
    const w = Array.from(stats.virial.subarray(9 * s, 9 * s + 9));
    const v = cellVolume(batch.cells.subarray(9 * s, 9 * s + 9));
    virial.push(w);
    stress.push(w.map((x) => (v > 0 ? -x / v : Number.NaN)));
  }
  return {
    backend: engine.backend,
    energy: Array.from(stats.potentialEnergy),
    energies: Array.from(atoms.energies),
    forces: Array.from(atoms.forces),
    virial,
    stress,
  };
}

/** What a run needs besides the engine: the pipeline's segments, its systems, and batching. */
export interface RunInput {
  stages: readonly SegmentSpec[];
  /** The systems (the engine's batch without batching; see engineBatch in runner.ts). */
  systems: Batch;
  batching?: BatchingSpec;
}

/** The run input of a parsed spec over `systems`. */
export function runInput(spec: Pick<PipelineSpec, 'stages' | 'batching'>, systems: Batch): RunInput {
  return { stages: spec.stages, systems, ...(spec.batching ? { batching: spec.batching } : {}) };
}

/** Result of a whole run. */
export interface RunOutcome {
  end: RunEnd;
  message?: string;
  /** Frames held in host memory by snapshot hooks, by step. */
  frames: TrajectoryFrame[];
  /** State of the engine's batch at the end. */
  final: AtomState;
  /** With batching: every system as it left the last segment, in the order they finished. */
  finished: readonly Batch[];
}

/**
 * Runs a pipeline on an engine to its end, streaming events to `listener`. Snapshot hooks write to
 * `options.sinks`, or to sinks made here (host rings; Zarr in memory).
 */
export async function runOn<C>(
  engine: Engine<C>,
  input: RunInput,
  listener: EngineListener,
  options: { sinks?: SinkSet; extraHooks?: StageRunnerOptions<C>['extraHooks'] } = {},
): Promise<RunOutcome> {
  const sinks =
    options.sinks ??
    (await SinkSet.create(snapshotHookSpecs(input.stages), { zarrStore: new MemoryStore() }));
  let message: string | undefined;
  const runner = new StageRunner({
    engine,
    stages: input.stages,
    systems: input.systems,
    ...(input.batching ? { batching: input.batching } : {}),
    hookDeps: { sinks },
    viewFrameIntervalMs: 0,
    ...(options.extraHooks ? { extraHooks: options.extraHooks } : {}),
    listener: (e) => {
      if (e.type === 'end' && e.message) message = e.message;
      listener(e);
    },
  });
  const end = await runner.run();
  await sinks.flush();
  const final = await engine.readAtoms();
  return {
    end,
    frames: sinks.hostFrames(),
    final,
    finished: runner.finishedSystems(),
    ...(message ? { message } : {}),
  };
}
