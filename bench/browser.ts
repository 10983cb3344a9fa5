/**
 * Runs a benchmark page in headless Chromium (src/cli/headless.ts: the project served by Vite,
 * Chromium with the flags of scripts/chromium.ts); the page leaves its result in
 * `globalThis.benchResult`. Node only.
 */
import { openHeadlessPage } from '../src/cli/headless.ts';
import type { BenchPageGlobals } from './page.ts';

/**
 * Opens /bench/index.html?<query> and returns what the page reports, or throws its error.
 * `inputs` (JSON-like data too large for the query, e.g. a potential file) is handed to the page as
 * `globalThis.benchInputs` once it has loaded.
 */
export async function runBenchPage<T>(
  query: Record<string, string | number>,
  options: { timeoutMs: number; inputs?: unknown },
): Promise<T> {
  const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const { page, close } = await openHeadlessPage(`/bench/index.html?${search}`, (line) =>
    console.log(`  [page] ${line}`),
  );
  try {
    if (options.inputs !== undefined) {
      await page.evaluate((inputs) => {
        (globalThis as BenchPageGlobals).benchInputs = inputs;
      }, options.inputs);
    }
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
    await close();
  }
}
