/**
 * A spec with `placement.kind === 'pipeline'` run by the CLI (and the benchmarks): one worker per
 * segment (browser Web Workers in the Chromium backend's page, Node worker_threads in the reference
 * backend), coordinated here; snapshot frames of every worker go to one set of sinks. The outcome
 * has the shape of a one-worker run's (src/engine/evaluate.ts).
 */
import type { EngineListener } from '../engine/api.ts';
import type { Batch } from '../engine/batch.ts';
import type { RunOutcome } from '../engine/evaluate.ts';
import { PipelineCoordinator, type PipelineLaunch } from '../engine/pipeline/coordinator.ts';
import type { EamTabulation } from '../engine/potentials/eamTabulation.ts';
import { SinkSet, snapshotHookSpecs } from '../engine/sinks/sinkSet.ts';
import type { GnnModel } from '../io/gnnWeights.ts';
import type { PipelineSpec } from '../io/spec.ts';
import { MemoryStore } from '../io/zarr/store.ts';

/**
 * The systems as they left the pipeline, put back in the order of `initial` (by system id), as one
 * state: positions and velocities of each system that arrived, the starting ones of any that did not
 * (a failed run). Forces are not carried out of the pipeline: they are left empty.
 */
export function finalState(
  initial: Batch,
  finished: readonly Batch[],
): {
  positions: Float32Array;
  velocities: Float32Array;
  forces: Float32Array;
  energies: Float32Array;
  missing: number;
} {
  const byId = new Map<number, { batch: Batch; slot: number }>();
  for (const batch of finished)
    for (let s = 0; s < batch.nSystems; s++) byId.set(batch.systemIds[s]!, { batch, slot: s });
  const positions = Float32Array.from(initial.positions);
  const velocities = Float32Array.from(initial.velocities);
  let missing = 0;
  for (let s = 0; s < initial.nSystems; s++) {
    const found = byId.get(initial.systemIds[s]!);
    if (!found) {
      missing++;
      continue;
    }
    const from = 3 * found.batch.atomsPtr[found.slot]!;
    const to = 3 * found.batch.atomsPtr[found.slot + 1]!;
    const at = 3 * initial.atomsPtr[s]!;
    if (to - from !== 3 * (initial.atomsPtr[s + 1]! - initial.atomsPtr[s]!))
      throw new Error(
        `system ${initial.systemIds[s]} came out of the pipeline with a different number of atoms`,
      );
    positions.set(found.batch.positions.subarray(from, to), at);
    velocities.set(found.batch.velocities.subarray(from, to), at);
  }
  return { positions, velocities, forces: new Float32Array(0), energies: new Float32Array(0), missing };
}

/** Runs `spec` (placement pipeline) over `systems` with workers from `launch`. */
export async function runPipeline(
  spec: PipelineSpec,
  systems: Batch,
  tables: EamTabulation | undefined,
  listener: EngineListener,
  launch: PipelineLaunch,
  gnnModel?: GnnModel,
): Promise<RunOutcome> {
  const sinks = await SinkSet.create(snapshotHookSpecs(spec.stages), { zarrStore: new MemoryStore() });
  const coordinator = new PipelineCoordinator({
    spec,
    systems,
    ...(tables ? { tables } : {}),
    ...(gnnModel ? { gnnModel } : {}),
    listener,
    launch,
    sinks,
  });
  try {
    await coordinator.start();
    const result = await coordinator.run();
    await sinks.flush();
    const finished = result.finished.map((f) => f.system);
    const { missing, ...final } = finalState(systems, finished);
    const message =
      result.message ??
      (missing > 0 ? `${missing} system(s) did not reach the end of the pipeline` : undefined);
    return {
      end: result.end,
      frames: sinks.hostFrames(),
      final,
      finished,
      ...(message ? { message } : {}),
    };
  } finally {
    coordinator.destroy();
  }
}
