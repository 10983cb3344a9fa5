/**
 * Node launch of a pipeline: each worker is a worker_threads Worker running ./node.worker.ts (the f64
 * CPU engine); links are worker_threads MessageChannels. The thread starts from a tiny ES module,
 * ./node.worker.bootstrap.mjs, that registers tsx's loader (`register()` from 'tsx/esm/api') and
 * then imports the TypeScript entry: on Node 20 a Worker cannot start from a .ts file even with
 * `execArgv: ['--import', 'tsx']` (ERR_UNKNOWN_FILE_EXTENSION). This works under vitest and under
 * `node --import tsx` alike, with no build step.
 */
import { nodeChannel, spawnNodeWorker } from '../workers/nodeEndpoint.ts';
import type { PipelineEndpoint, PipelineLaunch } from './coordinator.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

export interface NodeLaunchOptions {
  /** Module of the worker (default: ./node.worker.bootstrap.mjs next to this file). */
  workerUrl?: URL;
}

/** A {@link PipelineLaunch} of worker_threads Workers running the CPU engine. */
export function nodePipelineLaunch(options: NodeLaunchOptions = {}): PipelineLaunch {
  const url = options.workerUrl ?? new URL('./node.worker.bootstrap.mjs', import.meta.url);
  return {
    backend: 'cpu',
    spawn: (index: number): PipelineEndpoint =>
      spawnNodeWorker<ToWorker, FromWorker>(url, `pipeline worker ${index}`),
    channel: nodeChannel,
  };
}
