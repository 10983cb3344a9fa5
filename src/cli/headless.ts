/**
 * Headless Chromium with software (or real) WebGPU driving a page of this project served by Vite:
 * the Chromium backend of the CLI and the benchmarks use it. Node only.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { createServer } from 'vite';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A page of the project open in headless Chromium; `close` ends the browser and the server. */
export interface HeadlessPage {
  page: Page;
  close(): Promise<void>;
}

/**
 * Serves the project with Vite and opens `path` (e.g. `/src/cli/page.html?x=1`) in headless Chromium.
 * @param onConsole receives the page's console lines (default: dropped)
 */
export async function openHeadlessPage(
  path: string,
  onConsole?: (line: string) => void,
): Promise<HeadlessPage> {
  let server: ViteDevServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await createServer({
      configFile: join(root, 'vite.config.ts'),
      root,
      logLevel: 'error',
      clearScreen: false,
      server: { host: '127.0.0.1', port: 5190, strictPort: false, hmr: false },
    });
    await server.listen();
    const base = server.resolvedUrls?.local[0];
    if (!base) throw new Error('the Vite server did not report a local URL');
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    const page = await browser.newPage();
    if (onConsole) {
      page.on('console', (m) => onConsole(m.text()));
      page.on('pageerror', (e) => onConsole(`page error: ${e.message}`));
    }
    await page.goto(new URL(path.replace(/^\//, ''), base).href);
    const b = browser;
    const s = server;
    return {
      page,
      async close() {
        await b.close();
        await s.close();
      },
    };
  } catch (e) {
    await browser?.close();
    await server?.close();
    throw e;
  }
}
