/**
 * What the engine host's pipeline and domain modes share (DESIGN §5): one loaded run of a
 * coordinator of workers, whose run controls the host forwards as they are.
 */
import type { RunEnd } from '../api.ts';

/** The coordinator of a run over workers, as the host drives it. */
export interface WorkerRunCoordinator {
  /** Spawns and loads the workers; rejects with the reason. */
  start(): Promise<void>;
  run(): Promise<{ end: RunEnd }>;
  pause(): void;
  resume(): void;
  stop(): void;
  step(): void;
  /** Testing aid: ends worker `index` abruptly. */
  kill(index: number): void;
  /** Terminates every worker. */
  destroy(): void;
}

/**
 * Starts `coordinator` (spawns and loads its workers); on failure destroys it and rejects with the
 * reason.
 */
export async function startCoordinator<C extends WorkerRunCoordinator>(coordinator: C): Promise<C> {
  try {
    await coordinator.start();
  } catch (e) {
    coordinator.destroy();
    throw e;
  }
  return coordinator;
}

/** One loaded run over workers: started workers, ready to run. */
export class HostWorkerRun<C extends WorkerRunCoordinator> {
  protected constructor(protected readonly coordinator: C) {}

  /** Runs until every worker is done, one fails, or the run is stopped. */
  async run(): Promise<RunEnd> {
    return (await this.coordinator.run()).end;
  }

  pause(): void {
    this.coordinator.pause();
  }

  resume(): void {
    this.coordinator.resume();
  }

  stop(): void {
    this.coordinator.stop();
  }

  step(): void {
    this.coordinator.step();
  }

  /** Testing aid: ends worker `index` abruptly. */
  kill(index: number): void {
    this.coordinator.kill(index);
  }

  destroy(): void {
    this.coordinator.destroy();
  }
}
