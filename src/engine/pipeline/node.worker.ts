/**
 * Node twin of workers/pipeline.worker.ts: a pipeline worker on a worker_threads thread, running the
 * f64 CPU engine (Node has no WebGPU). Started by nodeLaunch.ts with `execArgv: ['--import', 'tsx']`
 * so that the thread runs these TypeScript sources as they are (tests, the CLI, benchmarks).
 */
import { parentPort } from 'node:worker_threads';
import { CpuEngine } from '../cpu/engine.ts';
import { servePipelineWorker } from './worker.ts';

if (!parentPort) throw new Error('node.worker.ts runs as a worker_threads Worker');

servePipelineWorker(parentPort, {
  async createEngine(spec, batch, tables, backend, _onDeviceLost, gnnModel) {
    if (backend !== 'cpu') throw new Error(`a Node pipeline worker runs the CPU engine, not ${backend}`);
    return {
      engine: new CpuEngine(batch, spec.potential, tables, gnnModel),
      adapter: 'f64 CPU engine (Node worker)',
    };
  },
});
