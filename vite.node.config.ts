/**
 * Bundles the Node entry points (the CLI, the Dawn benchmarks and the domain rank worker) into dist-node/, for machines that get
 * a copy of the program but not node_modules (e.g. a GPU server): only `webgpu` (Dawn) must be there;
 * Vite and Playwright are needed only by the Chromium backend.
 *   npm run build:node && node dist-node/md-workbench.js eval ... --backend dawn
 */
import { defineConfig } from 'vite';

const external = ['webgpu', 'vite', 'playwright-core'];

export default defineConfig({
  ssr: { noExternal: true, external },
  build: {
    ssr: true,
    outDir: 'dist-node',
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: {
      input: {
        'md-workbench': 'src/cli/main.ts',
        ljDawn: 'bench/ljDawn.ts',
        gnnDawn: 'bench/gnnDawn.ts',
        decompositionDawn: 'bench/decompositionDawn.ts',
        // Spawned by launchNode.ts as a worker_threads Worker (found beside the bundle).
        'domain-rank-worker': 'src/engine/decomposition/node.worker.ts',
      },
      external,
    },
  },
});
