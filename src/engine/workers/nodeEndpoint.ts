/**
 * Node twin of ./endpoint.ts's Web Worker endpoint: workers are worker_threads Workers, links are
 * worker_threads MessageChannels.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import type { TransferablePort } from '../transport/port.ts';
import type { WorkerEndpoint } from './endpoint.ts';

/**
 * Starts a worker_threads Worker on module `url` (named `name` in debuggers) and returns its
 * endpoint. The worker does not keep the process alive once the run is over.
 */
export function spawnNodeWorker<To, From>(url: URL, name: string): WorkerEndpoint<To, From> {
  const worker = new Worker(url, { execArgv: [], name });
  // A worker must not keep the process alive once the run is over.
  worker.unref();
  return {
    // worker_threads takes its own Transferable type; ports and ArrayBuffers are both accepted.
    post: (message, transfer) => worker.postMessage(message, (transfer ?? []) as never[]),
    onMessage: (handler) => {
      worker.on('message', (data: From) => handler(data));
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
}

/** A connected pair of worker_threads MessageChannel ports, for a worker-to-worker link. */
export function nodeChannel(): [TransferablePort, TransferablePort] {
  const { port1, port2 } = new MessageChannel();
  return [port1, port2];
}
