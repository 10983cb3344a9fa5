import { expect, test } from '@playwright/test';
import { collectPageErrors, readInt } from './helpers.ts';

test('after a device loss the run restarts from the last snapshot and goes on', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('run')).toBeEnabled();
  // A short FIRE stage gets to the Langevin stage (which writes snapshots) sooner.
  await page.getByTestId('field-stages[0].steps').fill('40');
  await page.getByTestId('run').click();

  const lastSnapshot = page.getByTestId('last-snapshot');
  await expect(lastSnapshot).toHaveText(/^\d+$/, { timeout: 150_000 });
  const snapshotStep = await readInt(lastSnapshot);
  expect(snapshotStep).toBeGreaterThan(0);

  await page.evaluate(() => {
    if (!window.__mdTest) throw new Error('window.__mdTest is missing');
    window.__mdTest.loseDevice();
  });
  const banner = page.getByTestId('device-lost-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('The GPU device was lost:');
  const stepAtLoss = await readInt(page.getByTestId('step'));
  const lastSnapshotAtLoss = await readInt(lastSnapshot);

  await page.getByTestId('restart').click();
  await expect(banner).toHaveCount(0);
  const restored = await readInt(page.getByTestId('restored-step'));
  expect(restored).toBe(lastSnapshotAtLoss);
  expect(restored).toBeLessThanOrEqual(stepAtLoss);
  await expect.poll(() => readInt(page.getByTestId('step'))).toBeGreaterThan(restored);
  await expect(page.getByTestId('run-phase')).toHaveText('running');

  await page.getByTestId('stop').click();
  await expect(page.getByTestId('end-reason')).toHaveText('(stopped)');
  // The loss itself is expected to be reported by the browser; anything else is a failure.
  expect(errors.filter((e) => !/device (was )?(lost|destroyed)|Device was destroyed/i.test(e))).toEqual([]);
});
