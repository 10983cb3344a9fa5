/**
 * Time per stage of one GNN evaluation (the stages of GpuGnn.encodeStage) on the benchmark's copper
 * crystal: each stage submitted alone `repeat` times after one full evaluation, timed to
 * onSubmittedWorkDone, so it includes one submit's overhead. Run by `gnnDawn.js profile`.
 */
import { requestGpuDevice } from '../src/engine/device.ts';
import { createGpuEngine } from '../src/engine/gpu/engine.ts';
import { gnnEvaluationStages } from '../src/engine/gpu/gnn.ts';
import type { GpuGnnPairs } from '../src/engine/gpu/gnnPairs.ts';
import { gnnOf } from './gnn.ts';
import { GNN_BENCH, GNN_SPEC, type GnnModelFiles, gnnBenchBatch, parseBenchModel } from './gnnProblem.ts';

/** Milliseconds per stage (label → ms) for 4·cells³ atoms. */
export async function profileGnn(
  o: { cells: number; repeat: number; model: GnnModelFiles; gpu?: GPU },
  log: (line: string) => void,
): Promise<{ atoms: number; stages: Record<string, number> }> {
  const { device } = await requestGpuDevice(o.gpu);
  const model = parseBenchModel(o.model);
  const batch = gnnBenchBatch(o.cells);
  const engine = await createGpuEngine(device, batch, GNN_SPEC, { skin: GNN_BENCH.skin, gnnModel: model });
  const gnn = gnnOf(engine);
  const full = device.createCommandEncoder();
  engine.encodeCompute(full);
  device.queue.submit([full.finish()]);
  await device.queue.onSubmittedWorkDone();
  const stages = gnnEvaluationStages(model.config.nLayers);
  const result: Record<string, number> = {};
  const time = async (label: string, encode: (e: GPUCommandEncoder) => void) => {
    const start = performance.now();
    for (let k = 0; k < o.repeat; k++) {
      const encoder = device.createCommandEncoder();
      encode(encoder);
      device.queue.submit([encoder.finish()]);
    }
    await device.queue.onSubmittedWorkDone();
    result[label] = (performance.now() - start) / o.repeat;
  };
  const pairs = gnn as Partial<GpuGnnPairs>;
  for (const stage of stages) {
    const label = 'layer' in stage ? `${stage.stage} ${stage.layer}` : stage.stage;
    await time(label, (e) => gnn.encodeStage(e, stage));
    for (let k = 0; pairs.encodeStagePass; k++) {
      const probe = device.createCommandEncoder();
      const pass = pairs.encodeStagePass(probe, stage, k);
      if (!pass) break;
      await time(`${label}: ${pass}`, (e) => pairs.encodeStagePass?.(e, stage, k));
    }
  }
  await time('whole evaluation', (e) => engine.encodeCompute(e));
  const storage = device.limits.maxComputeWorkgroupStorageSize;
  log(`gnn profile, ${batch.nAtoms} atoms (workgroup storage ${storage} B): ${JSON.stringify(result)}`);
  engine.destroy();
  device.destroy();
  return { atoms: batch.nAtoms, stages: result };
}
