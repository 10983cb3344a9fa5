import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { collectPageErrors, countForegroundPixels, readInt, VIEWER_BACKGROUND_RGB } from './helpers.ts';

test('the default example loads, runs FIRE → Langevin NVT → NVE live, and pauses', async ({
  page,
}, testInfo) => {
  const errors = collectPageErrors(page);
  await page.goto('/');

  // Atoms are loaded and drawn before anything runs.
  const canvas = page.getByTestId('viewer-canvas');
  await expect(canvas).toHaveAttribute('data-atoms', /^[1-9]\d{2,}$/);
  const nAtoms = Number(await canvas.getAttribute('data-atoms'));
  await expect(page.getByTestId('atom-count')).toHaveText(String(nAtoms));
  await expect(page.getByTestId('stage-list').locator('li')).toHaveCount(3);

  const run = page.getByTestId('run');
  await expect(run).toBeEnabled();
  const t0 = Date.now();
  await run.click();

  const stageName = page.getByTestId('stage-name');
  const step = page.getByTestId('step');
  const plot = page.getByTestId('energy-plot');
  const points = async () => Number(await plot.getAttribute('data-points'));

  await expect(stageName).toHaveText('FIRE relaxation');
  await expect(page.getByTestId('stage-index')).toHaveText('1 of 3');
  await expect.poll(() => readInt(step)).toBeGreaterThan(0);
  await expect.poll(points).toBeGreaterThan(1);

  await expect(stageName).toHaveText('Langevin NVT 85 K', { timeout: 150_000 });
  await expect(page.getByTestId('stage-list').locator('li[aria-current="step"]')).toHaveText(
    'Langevin NVT 85 K',
  );
  const tNvt = Date.now();
  const stepNvt = await readInt(step);
  const pointsNvt = await points();

  await expect(stageName).toHaveText('NVE production', { timeout: 150_000 });
  await expect(page.getByTestId('stage-index')).toHaveText('3 of 3');
  const tNve = Date.now();
  await expect.poll(() => readInt(step)).toBeGreaterThan(stepNvt);
  await expect.poll(points).toBeGreaterThan(pointsNvt);
  await expect(page.getByTestId('temperature')).toHaveText(/^\d+\.\d+$/);
  await expect(page.getByTestId('potential-energy')).toHaveText(/^-\d+\.\d+$/);
  await expect(page.getByTestId('max-force')).toHaveText(/^\d+\.\d+$/);
  const timing = `${nAtoms} atoms: FIRE ${(tNvt - t0) / 1000} s (to step ${stepNvt}), Run → NVE ${(tNve - t0) / 1000} s`;
  testInfo.annotations.push({ type: 'timing', description: timing });
  console.log(`timing: ${timing}`);

  // The canvas shows atoms: many pixels differ from the background.
  const png = await canvas.screenshot();
  await testInfo.attach('foundation-canvas', { body: png, contentType: 'image/png' });
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/foundation-canvas.png', png);
  await page.screenshot({ path: 'test-results/foundation-page.png', fullPage: true });
  const { foreground, total } = await countForegroundPixels(page, png, VIEWER_BACKGROUND_RGB);
  expect(foreground / total).toBeGreaterThan(0.05);

  // Pause freezes the step counter; Resume lets it go on.
  const pause = page.getByTestId('pause');
  await pause.click();
  await expect(pause).toHaveText(/Resume/);
  await expect(page.getByTestId('run-phase')).toHaveText('paused');
  const frozen = await readInt(step);
  await page.waitForTimeout(1000);
  expect(await readInt(step)).toBe(frozen);
  await pause.click();
  await expect(pause).toHaveText(/Pause/);
  await expect.poll(() => readInt(step)).toBeGreaterThan(frozen);

  await page.getByTestId('stop').click();
  await expect(page.getByTestId('end-reason')).toHaveText('(stopped)');
  await expect(run).toBeEnabled();
  expect(errors).toEqual([]);
});
