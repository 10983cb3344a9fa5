// Bootstrap of a Node pipeline worker thread: registers tsx's loader in this thread, then runs the
// TypeScript entry. (A worker_threads Worker cannot start from a .ts file on Node 20 even with
// `execArgv: ['--import', 'tsx']`: the entry's extension is checked before the hooks apply.)
import { register } from 'tsx/esm/api';

register();
await import('./node.worker.ts');
