/**
 * Browser launch of a pipeline: each worker is a module Web Worker running workers/pipeline.worker.ts
 * (WebGPU by default, each worker with its own GPUDevice; or the f64 CPU engine); links are
 * MessageChannels. A terminated Web Worker sends no event: the coordinator's heartbeat watch sees it.
 */
import type { PipelineEndpoint, PipelineLaunch } from './coordinator.ts';
import type { FromWorker, PipelineBackend } from './protocol.ts';

export interface BrowserLaunchOptions {
  /** Engine of the workers (default webgpu). */
  backend?: PipelineBackend;
}

/** A {@link PipelineLaunch} of module Web Workers. */
export function browserPipelineLaunch(options: BrowserLaunchOptions = {}): PipelineLaunch {
  return {
    backend: options.backend ?? 'webgpu',
    spawn(index: number): PipelineEndpoint {
      const worker = new Worker(new URL('../../../workers/pipeline.worker.ts', import.meta.url), {
        type: 'module',
        name: `pipeline worker ${index}`,
      });
      return {
        post: (message, transfer) => worker.postMessage(message, (transfer ?? []) as Transferable[]),
        onMessage: (handler) => {
          worker.addEventListener('message', (e: MessageEvent<FromWorker>) => handler(e.data));
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
    },
    channel() {
      const { port1, port2 } = new MessageChannel();
      return [port1, port2];
    },
  };
}
