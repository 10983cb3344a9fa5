/**
 * Domain mode of the engine host (spec placement `domain`): the host's worker becomes the
 * coordinator of one worker per rank of the grid (src/engine/decomposition/), which it starts as
 * nested Web Workers, each with its own GPUDevice. Rank 0's runner events reach the page through the
 * host's one listener (its frames carry the whole system and the owner of each atom), with a `rank`
 * event per rank about every 250 ms; rank 0's snapshot frames go to the host's sinks (one Zarr
 * trajectory per run), as in pipeline mode.
 */
import type { GnnModel } from '../io/gnnWeights.ts';
import type { PipelineSpec } from '../io/spec.ts';
import type { EngineListener, ViewOptions } from './api.ts';
import type { Batch } from './batch.ts';
import { DomainCoordinator, type DomainLaunch, domainDims } from './decomposition/coordinator.ts';
import { browserDomainLaunch } from './decomposition/launchBrowser.ts';
import type { EamTabulation } from './potentials/eamTabulation.ts';
import type { SinkSet } from './sinks/sinkSet.ts';
import { HostWorkerRun, startCoordinator } from './workers/hostWorkerRun.ts';

/** Whether `spec` runs as a domain decomposition over a grid of workers. */
export function isDomainPlacement(spec: PipelineSpec): boolean {
  return domainDims(spec) !== null;
}

export interface HostDomainOptions {
  spec: PipelineSpec;
  /** The one system of the run. */
  system: Batch;
  tables?: EamTabulation;
  gnnModel?: GnnModel;
  listener: EngineListener;
  sinks: SinkSet;
  /** Default: nested Web Workers running workers/domain.worker.ts on WebGPU. */
  launch?: DomainLaunch;
}

/** One loaded domain run: started workers, ready to run. */
export class HostDomain extends HostWorkerRun<DomainCoordinator> {
  /** Spawns the workers, wires every pair of ranks and loads them; rejects with the reason. */
  static async start(options: HostDomainOptions): Promise<HostDomain> {
    const coordinator = new DomainCoordinator({
      spec: options.spec,
      system: options.system,
      ...(options.tables ? { tables: options.tables } : {}),
      ...(options.gnnModel ? { gnnModel: options.gnnModel } : {}),
      listener: options.listener,
      launch: options.launch ?? browserDomainLaunch(),
      sinks: options.sinks,
    });
    return new HostDomain(await startCoordinator(coordinator));
  }

  /** What rank 0's live view frames carry from now on (forces, velocities). */
  setViewOptions(options: ViewOptions): void {
    this.coordinator.setViewOptions(options);
  }
}
