/**
 * Runs a benchmark page in headless Chromium: a Vite dev server (the project's vite.config.ts) serves
 * bench/index.html, Chromium gets the flags of scripts/chromium.ts, and the page leaves its result
 * in `globalThis.benchResult`. Node only.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.ts';
import type { BenchPageGlobals } from './page.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Opens /bench/index.html?<query> and returns what the page reports, or throws its error. */
export async function runBenchPage<T>(
  query: Record<string, string | number>,
  options: { timeoutMs: number },
): Promise<T> {
  const server = await createServer({
    configFile: join(root, 'vite.config.ts'),
    root,
    logLevel: 'warn',
    clearScreen: false,
    server: { host: '127.0.0.1', port: 5190, strictPort: false, hmr: false },
  });
  await server.listen();
  const base = server.resolvedUrls?.local[0];
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    if (!base) throw new Error('the Vite server did not report a local URL');
    const page = await browser.newPage();
    page.on('console', (m) => console.log(`  [page] ${m.text()}`));
    page.on('pageerror', (e) => console.log(`  [page error] ${e.message}`));
    const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    await page.goto(`${base}bench/index.html?${search}`);
    await page.waitForFunction(
      () => {
        const g = globalThis as BenchPageGlobals;
        return g.benchResult !== undefined || g.benchError !== undefined;
      },
      undefined,
      { timeout: options.timeoutMs, polling: 500 },
    );
    const { result, error } = await page.evaluate(() => {
      const g = globalThis as BenchPageGlobals;
      return { result: g.benchResult, error: g.benchError };
    });
    if (error !== undefined) throw new Error(`benchmark page failed: ${error}`);
    return result as T;
  } finally {
    await browser.close();
    await server.close();
  }
}
