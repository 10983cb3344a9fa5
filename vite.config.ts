import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** Cross-origin isolation: lets workers share memory (SharedArrayBuffer) later on. */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Content security policy of the built page: scripts, workers, styles and requests from the app's
 * own origin only; no inline script and no `eval`/`Function` (a shared link is data, never code).
 * `'wasm-unsafe-eval'` lets the Zarr codecs (blosc, zstd, lz4 from zarrita) compile their
 * WebAssembly when a trajectory written by other tools is loaded; it does not allow JavaScript eval.
 * Images may be `data:`/`blob:` (screenshots, the viewer's canvas exports).
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * Writes the policy into the built index.html (so any static server delivers it). Only in builds:
 * the dev server's React refresh preamble is an inline script, so `npm start` runs without it.
 */
function cspMeta(): Plugin {
  return {
    name: 'md-workbench-csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  plugins: [react(), cspMeta()],
  server: { headers: isolationHeaders },
  preview: {
    headers: {
      ...isolationHeaders,
      // The header adds what a <meta> policy cannot carry: who may frame the page.
      'Content-Security-Policy': `${contentSecurityPolicy}; frame-ancestors 'none'`,
    },
  },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
});
