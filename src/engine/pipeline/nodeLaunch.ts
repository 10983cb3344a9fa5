/**
 * Node launch of a pipeline: each worker is a worker_threads Worker running ./node.worker.ts (the f64
 * CPU engine); links are worker_threads MessageChannels. The thread starts from a tiny ES module,
 * ./node.worker.bootstrap.mjs, that registers tsx's loader (`register()` from 'tsx/esm/api') and
 * then imports the TypeScript entry: on Node 20 a Worker cannot start from a .ts file even with
 * `execArgv: ['--import', 'tsx']` (ERR_UNKNOWN_FILE_EXTENSION). This works under vitest and under
 * `node --import tsx` alike, with no build step.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import type { PipelineEndpoint, PipelineLaunch } from './coordinator.ts';
import type { FromWorker } from './protocol.ts';

export interface NodeLaunchOptions {
  /** Module of the worker (default: ./node.worker.bootstrap.mjs next to this file). */
  workerUrl?: URL;
}

/** A {@link PipelineLaunch} of worker_threads Workers running the CPU engine. */
export function nodePipelineLaunch(options: NodeLaunchOptions = {}): PipelineLaunch {
  const url = options.workerUrl ?? new URL('./node.worker.bootstrap.mjs', import.meta.url);
  return {
    backend: 'cpu',
    spawn(index: number): PipelineEndpoint {
      const worker = new Worker(url, { execArgv: [], name: `pipeline worker ${index}` });
      // A worker must not keep the process alive once the run is over.
      worker.unref();
      return {
        // worker_threads takes its own Transferable type; ports and ArrayBuffers are both accepted.
        post: (message, transfer) => worker.postMessage(message, (transfer ?? []) as never[]),
        onMessage: (handler) => {
          worker.on('message', (data: FromWorker) => handler(data));
        },
        onError: (handler) => {
          worker.on('error', (e: Error) => handler(e.message));
        },
        onExit: (handler) => {
          worker.on('exit', handler);
        },
        terminate: () => {
          void worker.terminate();
        },
      };
    },
    channel() {
      const { port1, port2 } = new MessageChannel();
      return [port1, port2];
    },
  };
}
