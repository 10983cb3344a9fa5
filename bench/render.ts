/**
 * `npm run bench -- render` (DESIGN §9): frame time of the viewer (the real AtomViewer: instanced
 * impostor spheres) with 10,000, 100,000 and 1,000,000 atoms in headless Chromium while the camera
 * orbits, and the time from opening the page to the first rendered frame of the default example in
 * the production build (vite build + vite preview; the viewer sets a `performance.mark` when it first
 * draws atoms). Node only.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.ts';
import { FIRST_FRAME_MARK } from '../src/ui/viewer/atomViewer.ts';
import { runBenchPage } from './browser.ts';
import type { RenderPageResult } from './renderPage.ts';
import { type BenchCase, type BenchResult, cpuName } from './results.ts';

export const renderUsage = `npm run bench -- render [options]
  --atoms LIST     atom counts, comma-separated (default 10000,100000,1000000)
  --frames N       timed frames per count (default 60; counts of 1,000,000 and more take a quarter)
  --width N        canvas width, px (default 960)
  --height N       canvas height, px (default 540)
  --loads N        page loads timed to the first frame of the default example (default 3; 0 skips)`;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Builds the app into a temporary folder, serves it with vite preview and times `loads` page loads. */
async function firstFrameTimes(loads: number): Promise<{ times: number[]; atoms: number }> {
  const outDir = await mkdtemp(join(tmpdir(), 'md-render-bench-'));
  try {
    await build({
      root,
      configFile: join(root, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    const server = await preview({
      root,
      configFile: join(root, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port: 4190, strictPort: false },
    });
    const url = server.resolvedUrls?.local[0];
    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    const times: number[] = [];
    let atoms = 0;
    try {
      if (!url) throw new Error('vite preview did not report a local URL');
      for (let k = 0; k < loads; k++) {
        // A fresh context each time: nothing cached from the previous load.
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(url.replace('localhost', '127.0.0.1'));
        const handle = await page.waitForFunction(
          (mark) => {
            const e = performance.getEntriesByName(mark)[0] as PerformanceMark | undefined;
            return e ? { ms: e.startTime, atoms: (e.detail as { atoms: number }).atoms } : null;
          },
          FIRST_FRAME_MARK,
          { timeout: 180_000, polling: 50 },
        );
        const mark = (await handle.jsonValue()) as { ms: number; atoms: number };
        times.push(mark.ms);
        atoms = mark.atoms;
        console.log(`  load ${k + 1}: first frame of ${mark.atoms} atoms at ${mark.ms.toFixed(0)} ms`);
        await context.close();
      }
    } finally {
      await browser.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    }
    return { times, atoms };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

export async function benchRender(argv: string[]): Promise<BenchResult> {
  const { values } = parseArgs({
    args: argv,
    options: {
      atoms: { type: 'string', default: '10000,100000,1000000' },
      frames: { type: 'string', default: '60' },
      width: { type: 'string', default: '960' },
      height: { type: 'string', default: '540' },
      loads: { type: 'string', default: '3' },
    },
  });
  const counts = values.atoms.split(',').map((s) => Number(s.trim()));
  if (counts.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`--atoms: not a list of counts: ${values.atoms}`);
  const frames = Number(values.frames);
  const loads = Number(values.loads);
  const cases: BenchCase[] = [];
  let renderer = 'unknown';
  for (const atoms of counts) {
    const n = atoms >= 1_000_000 ? Math.max(8, Math.round(frames / 4)) : frames;
    console.log(`viewer, ${atoms} atoms, ${n} frames…`);
    const r = await runBenchPage<RenderPageResult>(
      { bench: 'render', atoms, frames: n, width: values.width, height: values.height },
      { timeoutMs: 900_000 },
    );
    renderer = r.renderer;
    const details = {
      frames: r.frames,
      canvas: `${r.width}×${r.height}`,
      setSystemMs: r.setSystemMs,
      firstFrameMs: r.firstFrameMs,
      pickMs: r.pickMs,
    };
    cases.push(
      {
        case: `viewer frame, ${atoms} atoms, median`,
        atoms,
        metric: 'frame time',
        value: r.medianMs,
        unit: 'ms',
        details,
      },
      {
        case: `viewer frame, ${atoms} atoms, p95`,
        atoms,
        metric: 'frame time p95',
        value: r.p95Ms,
        unit: 'ms',
      },
      { case: `pick an atom, ${atoms} atoms`, atoms, metric: 'pick time', value: r.pickMs, unit: 'ms' },
    );
  }
  if (loads > 0) {
    console.log(`first rendered frame of the default example (production build), ${loads} loads…`);
    const { times, atoms } = await firstFrameTimes(loads);
    cases.push({
      case: 'open page → first rendered frame, default example, median',
      atoms,
      metric: 'time to first frame',
      value: median(times),
      unit: 'ms',
      details: { loads: times.length, times: times.map((t) => t.toFixed(0)).join(', ') },
    });
  }
  return {
    name: 'render',
    date: new Date().toISOString(),
    machine: { cpu: cpuName(), adapter: `WebGL: ${renderer}` },
    cases,
  };
}
