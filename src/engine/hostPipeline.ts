/**
 * Pipeline mode of the engine host (spec `placement.kind === 'pipeline'`): the host's worker becomes
 * the coordinator of one worker per segment (src/engine/pipeline/), which it starts as nested Web
 * Workers. Every worker's events reach the page through the host's one listener; their snapshot
 * frames go to the host's sinks (one Zarr trajectory per run).
 *
 * Live view: each worker sends view frames of its own resident batch. The page shows one batch at a
 * time, so the view follows the furthest-along worker that has sent frames (the frames of workers
 * upstream of it are dropped): at the start that is the first worker, and once systems reach the
 * last segment, the last worker.
 */

import type { GnnModel } from '../io/gnnWeights.ts';
import type { PipelineSpec } from '../io/spec.ts';
import type { EngineEvent, EngineListener } from './api.ts';
import type { Batch } from './batch.ts';
import { browserPipelineLaunch } from './pipeline/browserLaunch.ts';
import { PipelineCoordinator, type PipelineLaunch } from './pipeline/coordinator.ts';
import type { EamTabulation } from './potentials/eamTabulation.ts';
import type { SinkSet } from './sinks/sinkSet.ts';
import { HostWorkerRun, startCoordinator } from './workers/hostWorkerRun.ts';

/** Whether `spec` runs as a pipeline of workers. */
export function isPipelinePlacement(spec: PipelineSpec): boolean {
  return spec.placement.kind === 'pipeline';
}

/**
 * Passes `listener` the events of a pipeline run, keeping only the view frames of the furthest
 * worker that has sent any (see the module comment).
 */
export function followFurthestWorker(listener: EngineListener): EngineListener {
  let furthest = -1;
  return (e: EngineEvent) => {
    if (e.type === 'frame') {
      const at = e.frame.rank ?? e.frame.stage;
      if (at < furthest) return;
      furthest = at;
    }
    listener(e);
  };
}

export interface HostPipelineOptions {
  spec: PipelineSpec;
  systems: Batch;
  tables?: EamTabulation;
  /** The model of a GNN potential. */
  gnnModel?: GnnModel;
  listener: EngineListener;
  sinks: SinkSet;
  /** Default: nested Web Workers running workers/pipeline.worker.ts. */
  launch?: PipelineLaunch;
}

/** One loaded pipeline run: started workers, ready to run. */
export class HostPipeline extends HostWorkerRun<PipelineCoordinator> {
  /** Spawns the workers, wires their links and loads each one's segment; rejects with the reason. */
  static async start(options: HostPipelineOptions): Promise<HostPipeline> {
    const coordinator = new PipelineCoordinator({
      spec: options.spec,
      systems: options.systems,
      ...(options.tables ? { tables: options.tables } : {}),
      ...(options.gnnModel ? { gnnModel: options.gnnModel } : {}),
      listener: followFurthestWorker(options.listener),
      launch: options.launch ?? browserPipelineLaunch(),
      sinks: options.sinks,
    });
    return new HostPipeline(await startCoordinator(coordinator));
  }
}
