/**
 * The `decomposition` benchmark as a bundle for machines with a real GPU and no node_modules but
 * `webgpu` (Dawn for Node): `npm run build:node`, then
 *   node dist-node/decompositionDawn.js [options of `npm run bench -- decomposition`]
 * Ranks are worker_threads running dist-node/domain-rank-worker.js, each with its own Dawn device.
 * Writes bench/results/decomposition.json (beside the bundle's bench/results when run from a copy)
 * and prints the table.
 */
import { create, globals } from 'webgpu';
import { benchDecomposition } from './decomposition.ts';
import { formatTable } from './results.ts';

Object.assign(globalThis, globals);
// The probe inside benchDecomposition imports 'webgpu' itself; creating an instance here first makes
// a missing driver fail loudly before any worker starts.
if (!(await create([]).requestAdapter())) throw new Error('Dawn for Node found no GPU adapter');
const result = await benchDecomposition(process.argv.slice(2));
process.stdout.write(`${formatTable(result)}\n${JSON.stringify(result)}\n`);
process.exit(0);
