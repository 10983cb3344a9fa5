/**
 * The launch abstraction shared by the worker runtimes (pipeline, domain decomposition; DESIGN §5):
 * a coordinator's handle on one started worker, the same over browser Web Workers and Node
 * worker_threads, and its Web Worker implementation. The Node one is in ./nodeEndpoint.ts (it
 * imports node:worker_threads, which browser bundles cannot).
 */
import type { TransferablePort } from '../transport/port.ts';

/** The coordinator's handle on one started worker: messages `To` go in, messages `From` come out. */
export interface WorkerEndpoint<To, From> {
  /** Sends a message; ArrayBuffers and ports in `transfer` move. */
  post(message: To, transfer?: readonly object[]): void;
  onMessage(handler: (message: From) => void): void;
  /** An uncaught error in the worker (its message). */
  onError(handler: (message: string) => void): void;
  /** The worker's thread ended (Node; browsers report no exit: silence shows it). */
  onExit(handler: (code: number) => void): void;
  /** Ends the worker at once. */
  terminate(): void;
}

/**
 * The endpoint of a started Web Worker. A terminated Web Worker sends no event (no exit): the
 * coordinator's heartbeat watch sees it. The Worker itself is made by the caller, with its
 * `new Worker(new URL('…', import.meta.url))` written out, so that Vite bundles the worker module.
 */
export function webWorkerEndpoint<To, From>(worker: Worker): WorkerEndpoint<To, From> {
  return {
    post: (message, transfer) => worker.postMessage(message, (transfer ?? []) as Transferable[]),
    onMessage: (handler) => {
      worker.addEventListener('message', (e: MessageEvent<From>) => handler(e.data));
    },
    onError: (handler) => {
      worker.addEventListener('error', (e: ErrorEvent) => {
        e.preventDefault();
        handler(e.message || 'an uncaught error in the worker');
      });
      worker.addEventListener('messageerror', () => handler('a message could not be read'));
    },
    onExit: () => {},
    terminate: () => worker.terminate(),
  };
}

/** A connected pair of browser MessageChannel ports, for a worker-to-worker link. */
export function webChannel(): [TransferablePort, TransferablePort] {
  const { port1, port2 } = new MessageChannel();
  return [port1, port2];
}
