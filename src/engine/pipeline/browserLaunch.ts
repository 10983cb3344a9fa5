/**
 * Browser launch of a pipeline: each worker is a module Web Worker running workers/pipeline.worker.ts
 * (WebGPU by default, each worker with its own GPUDevice; or the f64 CPU engine); links are
 * MessageChannels. A terminated Web Worker sends no event: the coordinator's heartbeat watch sees it.
 */
import { webChannel, webWorkerEndpoint } from '../workers/endpoint.ts';
import type { PipelineEndpoint, PipelineLaunch } from './coordinator.ts';
import type { FromWorker, PipelineBackend, ToWorker } from './protocol.ts';

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
      return webWorkerEndpoint<ToWorker, FromWorker>(worker);
    },
    channel: webChannel,
  };
}
