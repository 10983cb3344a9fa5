/**
 * Node launch of a domain decomposition: each rank is a worker_threads Worker running
 * ./node.worker.ts (through ./node.worker.bootstrap.mjs, which registers tsx and the WGSL loader in
 * the thread: no build step, under vitest and `node --import tsx` alike); links between ranks are
 * worker_threads MessageChannels. Backend `cpu`: the f64 reference; `webgpu`: Dawn for Node, one
 * device per thread.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nodeChannel, spawnNodeWorker } from '../workers/nodeEndpoint.ts';
import type { DomainBackend, DomainLaunch, FromRank, RankEndpoint, ToRank } from './launch.ts';

export interface NodeDomainLaunchOptions {
  /** Where the ranks compute forces (default cpu: the f64 reference). */
  backend?: DomainBackend;
  /**
   * Module of the worker (default: in a bundle made by vite.node.config.ts, the bundled
   * domain-rank-worker.js beside it; else ./node.worker.bootstrap.mjs next to this file).
   */
  workerUrl?: URL;
}

/** The worker module: the bundled one where this code runs from dist-node/, else the tsx bootstrap. */
function defaultWorkerUrl(): URL {
  if (import.meta.url.endsWith('.js')) {
    // This module may sit in the bundle's root or in its assets/ chunks.
    for (const path of ['./domain-rank-worker.js', '../domain-rank-worker.js']) {
      const bundled = new URL(path, import.meta.url);
      if (existsSync(fileURLToPath(bundled))) return bundled;
    }
  }
  return new URL('./node.worker.bootstrap.mjs', import.meta.url);
}

/** A {@link DomainLaunch} of worker_threads Workers. */
export function nodeDomainLaunch(options: NodeDomainLaunchOptions = {}): DomainLaunch {
  const url = options.workerUrl ?? defaultWorkerUrl();
  return {
    backend: options.backend ?? 'cpu',
    spawn: (rank: number): RankEndpoint => spawnNodeWorker<ToRank, FromRank>(url, `domain rank ${rank}`),
    channel: nodeChannel,
  };
}
