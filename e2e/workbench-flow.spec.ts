/**
 * A person's whole path through the workbench (issue 7): build FIRE fused with Langevin NVT, piped
 * into NVE on the next worker, by pointer drag and drop; attach a convergence criterion and a
 * snapshot hook recorded to Zarr; run; watch systems migrate between stages in the node counters;
 * pause; scrub back to the first recorded frame; export the Zarr zip; load it in a fresh page, where
 * the same frame shows the same atoms to the last bit.
 */
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { parseXyz } from '../src/io/xyz.ts';
import { buildFusedPipeline, node, useSmallClusters } from './composerFlow.ts';
import { collectPageErrors } from './helpers.ts';

test.use({ viewport: { width: 1400, height: 1000 } });

async function download(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

/** The frame the viewer shows, as its extXYZ download. */
async function shownFrame(page: Page) {
  const file = await download(page, 'download-extxyz');
  const [frame] = parseXyz(file.bytes.toString('utf8'), file.name);
  if (!frame) throw new Error(`${file.name} holds no frame`);
  return frame;
}

/** Scrubs to the first frame with every system of it overlaid; returns the step shown. */
async function showFirstFrame(page: Page): Promise<string> {
  await expect(page.getByTestId('trajectory-scrubber')).toBeVisible();
  await page.getByTestId('trajectory-frame').fill('0');
  await expect(page.getByTestId('trajectory-frame-index')).toHaveText('1');
  const systems = page.getByTestId('trajectory-system');
  if ((await systems.count()) > 0) await systems.selectOption('all');
  await expect(page.getByTestId('viewer-canvas')).toHaveAttribute('data-source', 'trajectory');
  return (await page.getByTestId('trajectory-step').textContent()) ?? '';
}

test('compose by drag and drop, run on two workers, pause, scrub back, export and reload the trajectory', async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  const errors = collectPageErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('run')).toBeEnabled();
  await useSmallClusters(page);
  await buildFusedPipeline(page);

  // NVE long enough to pause in it; its snapshots go to the run's Zarr trajectory.
  await node(page, 'stages[1]').click();
  await page.getByTestId('field-stages[1].steps').fill('600');
  await page.getByTestId('record-zarr').check();
  // The pipe link means the next worker: one worker per piped segment.
  await page.getByTestId('placement').selectOption('pipeline');
  await expect(page.getByTestId('spec-json')).toContainText('"kind": "pipeline"');
  await expect(page.getByTestId('run')).toBeEnabled();

  await page.getByTestId('run').click();
  await expect(page.getByTestId('workers-panel').locator('.worker-card')).toHaveCount(2);
  // Systems leave the fused stage for NVE: the counters on both segments show it.
  const nve = page.getByTestId('node-counts-stages[1]');
  await expect(nve).toContainText(/[1-9]\d* active/, { timeout: 90_000 });
  await expect(page.getByTestId('node-counts-stages[0].stages[1]')).toContainText(/[1-9]\d* converged/);

  // Pause, and scrub back through what was recorded so far.
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('pause')).toContainText('Resume');
  await page.getByTestId('follow-recorded').click();
  const recordedAtPause = Number(await page.getByTestId('trajectory-frame-count').textContent());
  expect(recordedAtPause).toBeGreaterThan(0);
  const step = await showFirstFrame(page);
  const shown = await shownFrame(page);
  expect(shown.positions.length).toBeGreaterThan(0);

  // Back to live, resume, and run to the end; then export the trajectory.
  await page.getByTestId('follow-live').click();
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('end-reason')).toHaveText('(completed)', { timeout: 180_000 });
  await expect(nve).toContainText('6 done');
  const archive = await download(page, 'download-trajectory');
  expect(archive.name).toMatch(/\.zarr\.zip$/);
  expect(errors).toEqual([]);

  // A fresh page (its own storage) loads the archive: the frame shown before is there, bit for bit.
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  try {
    const fresh = await context.newPage();
    const freshErrors = collectPageErrors(fresh);
    await fresh.goto('/');
    await expect(fresh.getByTestId('run')).toBeEnabled();
    await fresh.getByTestId('trajectory-input').setInputFiles({
      name: archive.name,
      mimeType: 'application/zip',
      buffer: archive.bytes,
    });
    const frames = Number(await fresh.getByTestId('trajectory-frame-count').textContent());
    expect(frames).toBeGreaterThanOrEqual(recordedAtPause);
    expect(await showFirstFrame(fresh)).toBe(step);
    const reloaded = await shownFrame(fresh);
    expect(reloaded.positions).toEqual(shown.positions);
    expect(reloaded.symbols).toEqual(shown.symbols);
    expect(freshErrors).toEqual([]);
  } finally {
    await context.close();
  }
});
