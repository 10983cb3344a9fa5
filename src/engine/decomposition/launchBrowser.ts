/**
 * Browser launch of a domain decomposition: each rank is a module Web Worker running
 * workers/domain.worker.ts (WebGPU by default, each worker with its own GPUDevice; or the f64
 * reference); links between ranks are MessageChannels. A terminated Web Worker sends no event: the
 * coordinator's heartbeat watch sees it.
 */
import { webChannel, webWorkerEndpoint } from '../workers/endpoint.ts';
import type { DomainBackend, DomainLaunch, FromRank, RankEndpoint, ToRank } from './launch.ts';

export interface BrowserDomainLaunchOptions {
  /** Where the ranks compute forces (default webgpu). */
  backend?: DomainBackend;
}

/** A {@link DomainLaunch} of module Web Workers. */
export function browserDomainLaunch(options: BrowserDomainLaunchOptions = {}): DomainLaunch {
  return {
    backend: options.backend ?? 'webgpu',
    spawn(rank: number): RankEndpoint {
      const worker = new Worker(new URL('../../../workers/domain.worker.ts', import.meta.url), {
        type: 'module',
        name: `domain rank ${rank}`,
      });
      return webWorkerEndpoint<ToRank, FromRank>(worker);
    },
    channel: webChannel,
  };
}
