/** Starts the engine worker (its own module graph; Vite bundles it from this literal URL). */
export function createEngineWorker(): Worker {
  return new Worker(new URL('../../../workers/engine.worker.ts', import.meta.url), {
    type: 'module',
    name: 'md-engine',
  });
}
