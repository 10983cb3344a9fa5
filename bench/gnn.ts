/**
 * The GPU side of the `gnn` benchmark, run in the page (headless Chromium) or under Dawn for Node:
 * NVE with the shipped copper GNN (public/models/cu-mishin1.*) on an fcc Cu supercell, slightly
 * thermalised, neighbor list checked every step on the GPU (rebuild when an atom moved more than
 * skin/2), whole chunks of steps per command encoder (bench/gpuNve.ts). tools/gnn/bench_torch.py
 * runs the same problem (lattice, temperature, dt, skin, rebuild rule) in PyTorch.
 */
import { requestGpuDevice } from '../src/engine/device.ts';
import { createGpuEngine, type WebGpuEngine } from '../src/engine/gpu/engine.ts';
import type { GpuGnn } from '../src/engine/gpu/gnn.ts';
import { BOLTZMANN_EV_PER_K } from '../src/engine/units.ts';
import { GNN_BENCH, GNN_SPEC, type GnnModelFiles, gnnBenchBatch, parseBenchModel } from './gnnProblem.ts';
import { type GpuNveResult, timeGpuNve } from './gpuNve.ts';

/** Options of one timed GNN NVE run. */
export interface GpuGnnOptions {
  /** fcc cells per axis (4·cells³ atoms). */
  cells: number;
  /** Untimed steps before the timed ones. */
  warmup: number;
  /** Timed steps. */
  steps: number;
  /** Steps encoded per command encoder (one submit each). */
  chunk: number;
  model: GnnModelFiles;
  /** WebGPU entry point (default navigator.gpu; Dawn's in Node). */
  gpu?: GPU;
}

/** What one GNN run measured: the NVE timing plus the GNN's neighbor statistics. */
export interface GpuGnnResult extends GpuNveResult {
  maxNeighbors: number;
  truncatedAtoms: number;
}

/** The engine's GNN potential (for its neighbor status). */
export function gnnOf(engine: WebGpuEngine): GpuGnn {
  // The potential is a private field of the engine; the benchmark reads its status only.
  return (engine as unknown as { potential: GpuGnn }).potential;
}

/** Times `steps` NVE steps of the copper GNN on `4·cells³` atoms; energies in eV, temperature in K. */
export async function runGpuGnn(o: GpuGnnOptions, log: (line: string) => void): Promise<GpuGnnResult> {
  const setupStart = performance.now();
  const { device, adapter } = await requestGpuDevice(o.gpu);
  const model = parseBenchModel(o.model);
  const batch = gnnBenchBatch(o.cells);
  log(`gnn: ${batch.nAtoms} atoms on ${adapter}`);
  device.pushErrorScope('validation');
  const engine = await createGpuEngine(device, batch, GNN_SPEC, { skin: GNN_BENCH.skin, gnnModel: model });
  // The neighbor statistics of the starting structure (one evaluation before the timed run).
  const probe = device.createCommandEncoder({ label: 'gnn status probe' });
  engine.encodeCompute(probe);
  device.queue.submit([probe.finish()]);
  const { maxNeighbors, truncatedAtoms } = await gnnOf(engine).readStatus();
  const result = await timeGpuNve(
    {
      label: 'gnn',
      device,
      adapter,
      engine,
      dt: GNN_BENCH.dt,
      warmup: o.warmup,
      steps: o.steps,
      chunk: o.chunk,
      energyUnit: { ev: 1, name: 'eV' },
      temperatureUnit: BOLTZMANN_EV_PER_K,
      setupStart,
    },
    log,
  );
  device.destroy();
  return { ...result, maxNeighbors, truncatedAtoms };
}

/** The page's side (bench/page.ts, `?bench=gnn&cells=&warmup=&steps=&chunk=`): fetches the model and runs. */
export async function runBenchPageGnn(
  params: URLSearchParams,
  log: (line: string) => void,
): Promise<GpuGnnResult> {
  const fetchOk = async (url: string) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response;
  };
  const model: GnnModelFiles = {
    configText: await (await fetchOk(`/models/${GNN_BENCH.model}.json`)).text(),
    tensors: new Uint8Array(await (await fetchOk(`/models/${GNN_BENCH.model}.safetensors`)).arrayBuffer()),
  };
  return runGpuGnn(
    {
      cells: Number(params.get('cells') ?? 10),
      warmup: Number(params.get('warmup') ?? 5),
      steps: Number(params.get('steps') ?? 100),
      chunk: Number(params.get('chunk') ?? 10),
      model,
    },
    log,
  );
}
