// Bootstrap of a Node domain worker thread: registers tsx's loader and the WGSL `?raw` loader in
// this thread, then runs the TypeScript entry. (A worker_threads Worker cannot start from a .ts file
// on Node 20 even with `execArgv: ['--import', 'tsx']`: the entry's extension is checked before the
// hooks apply.)
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register('../../../scripts/raw-loader.mjs', import.meta.url);
await import('./node.worker.ts');
