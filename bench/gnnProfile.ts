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
  // TEMP: variants of the tile passes, timed per edge pass.
  const variants = JSON.parse(process.env.GNN_VARIANTS ?? '[]') as object[];
  for (const variant of variants) {
    (globalThis as Record<string, unknown>).__gnnTile = variant;
    const { device } = await requestGpuDevice(o.gpu);
    const model = parseBenchModel(o.model);
    const batch = gnnBenchBatch(o.cells);
    const engine = await createGpuEngine(device, batch, GNN_SPEC, { skin: GNN_BENCH.skin, gnnModel: model });
    const gnn = gnnOf(engine) as GpuGnnPairs;
    const full = device.createCommandEncoder();
    engine.encodeCompute(full);
    device.queue.submit([full.finish()]);
    await device.queue.onSubmittedWorkDone();
    const times: Record<string, number> = {};
    for (const stage of gnnEvaluationStages(model.config.nLayers)) {
      for (let k = 0; ; k++) {
        const probe = device.createCommandEncoder();
        const pass = gnn.encodeStagePass(probe, stage, k);
        if (!pass) break;
        const start = performance.now();
        for (let rep = 0; rep < o.repeat; rep++) {
          const encoder = device.createCommandEncoder();
          gnn.encodeStagePass(encoder, stage, k);
          device.queue.submit([encoder.finish()]);
        }
        await device.queue.onSubmittedWorkDone();
        const label = 'layer' in stage ? `${pass} ${stage.layer}` : pass;
        times[label] = +((performance.now() - start) / o.repeat).toFixed(3);
      }
    }
    const wall = device.createCommandEncoder();
    const start = performance.now();
    for (let rep = 0; rep < o.repeat; rep++) {
      const encoder = device.createCommandEncoder();
      engine.encodeCompute(encoder);
      device.queue.submit([encoder.finish()]);
    }
    await device.queue.onSubmittedWorkDone();
    times.whole = +((performance.now() - start) / o.repeat).toFixed(3);
    const timeIt = async (label: string, encode: (e: GPUCommandEncoder) => void) => {
      const t0 = performance.now();
      for (let rep = 0; rep < o.repeat; rep++) {
        const encoder = device.createCommandEncoder();
        encode(encoder);
        device.queue.submit([encoder.finish()]);
      }
      await device.queue.onSubmittedWorkDone();
      times[label] = +((performance.now() - t0) / o.repeat).toFixed(3);
    };
    await timeIt('gnnOnly', (e) => gnn.encode(e));
    await timeIt('empty submit', () => {});
    const inner = engine as unknown as {
      neighborList: { encode(p: GPUComputePassEncoder): void };
      constraints: { encode(e: GPUCommandEncoder): void };
    };
    await timeIt('listOnly', (e) => {
      const pass = e.beginComputePass();
      inner.neighborList.encode(pass);
      pass.end();
    });
    await timeIt('constraintsOnly', (e) => inner.constraints.encode(e));
    const g = globalThis as Record<string, unknown>;
    for (const upTo of [1, 2, 3, 4, 6, 10]) {
      g.__listUpTo = upTo;
      await timeIt(`list ${upTo}`, (e) => {
        const pass = e.beginComputePass();
        inner.neighborList.encode(pass);
        pass.end();
      });
    }
    g.__listUpTo = undefined;
    const t0 = performance.now();
    for (let rep = 0; rep < o.repeat; rep++) {
      const encoder = device.createCommandEncoder();
      engine.encodeCompute(encoder);
      device.queue.submit([encoder.finish()]);
    }
    times['whole cpu'] = +((performance.now() - t0) / o.repeat).toFixed(3);
    await device.queue.onSubmittedWorkDone();
    await timeIt('forces x1', (e) => gnn.encodeStagePass(e, { stage: 'forces' }, 1));
    await timeIt('forces x30', (e) => {
      for (let k = 0; k < 30; k++) gnn.encodeStagePass(e, { stage: 'forces' }, 1);
    });
    await timeIt('forces x30 one pass', (e) => {
      const pass = e.beginComputePass();
      for (let k = 0; k < 30; k++)
        (gnn as unknown as { record: (p: GPUComputePassEncoder, s: object, i: number) => void }).record(
          pass,
          { stage: 'forces' },
          1,
        );
      pass.end();
    });
    void wall;
    log(`variant ${JSON.stringify(variant)} ${batch.nAtoms}: ${JSON.stringify(times)}`);
    engine.destroy();
    device.destroy();
  }
  if (variants.length) return { atoms: 0, stages: {} };
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
