/**
 * Single-point evaluation and whole-spec runs on any engine backend: what the CLI, the headless page
 * and tests share.
 */
import type { StageSpec } from '../io/spec.ts';
import type { AtomState, EngineListener, Frame, RunEnd, SystemStats } from './api.ts';
import type { Batch } from './batch.ts';
import { cellVolume } from './cell.ts';
import type { Engine } from './gpu/types.ts';
import { StageRunner } from './runner.ts';
import { HostMemorySink } from './sinks/hostMemory.ts';

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

/** Result of a whole run. */
export interface RunOutcome {
  end: RunEnd;
  message?: string;
  /** Frames written by snapshot hooks (the newest `sinkCapacity`). */
  frames: Frame[];
  /** State at the end. */
  final: AtomState;
}

/** Runs a chain of stages on an engine to its end, streaming events to `listener`. */
export async function runOn<C>(
  engine: Engine<C>,
  stages: readonly StageSpec[],
  atomsPtr: Int32Array,
  listener: EngineListener,
  sinkCapacity = 100_000,
): Promise<RunOutcome> {
  const sink = new HostMemorySink(sinkCapacity);
  let message: string | undefined;
  const runner = new StageRunner(
    {
      engine,
      stages,
      sink,
      viewFrameIntervalMs: 0,
      listener: (e) => {
        if (e.type === 'end' && e.message) message = e.message;
        listener(e);
      },
    },
    atomsPtr,
  );
  const end = await runner.run();
  const final = await engine.readAtoms();
  return { end, frames: sink.read(), final, ...(message ? { message } : {}) };
}
