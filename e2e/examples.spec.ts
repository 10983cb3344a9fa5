/**
 * Built-in examples: each replaces the whole spec (one undo step), loads its system into the viewer
 * and runs; the clusters example runs on two workers.
 */
import { expect, test } from '@playwright/test';
import { collectPageErrors, readInt } from './helpers.ts';

test('examples open from the toolbar, load their atoms, run, and undo back', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  const run = page.getByTestId('run');
  await expect(run).toBeEnabled();
  const canvas = page.getByTestId('viewer-canvas');
  await expect(canvas).toHaveAttribute('data-atoms', '3945');
  const json = page.getByTestId('spec-json');

  // Copper with Morse, FIRE + Langevin fused: 8×8×8 fcc cells.
  await page.getByTestId('example-select').selectOption('copper-morse');
  await expect(page.getByTestId('spec-message-text')).toContainText('Opened the example “Copper (Morse)');
  await expect(json).toContainText('"kind": "morse"');
  await expect(json).toContainText('"kind": "fused"');
  await expect(canvas).toHaveAttribute('data-atoms', '2048');
  await expect(run).toBeEnabled();
  await run.click();
  await expect.poll(() => readInt(page.getByTestId('step')), { timeout: 60_000 }).toBeGreaterThan(0);
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('end-reason')).toHaveText('(stopped)', { timeout: 30_000 });

  // Argon clusters on two workers: the workers panel shows both stages.
  await page.getByTestId('example-select').selectOption('argon-clusters');
  await expect(json).toContainText('"kind": "pipeline"');
  await expect(run).toBeEnabled();
  await run.click();
  await expect(page.getByTestId('workers-panel').locator('.worker-card')).toHaveCount(2);
  await expect(page.getByTestId('worker-0-stage')).toContainText('FIRE minima');
  await expect(page.getByTestId('worker-1-stage')).toContainText('Langevin 30 K');
  await expect.poll(() => readInt(page.getByTestId('step')), { timeout: 60_000 }).toBeGreaterThan(0);
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('end-reason')).toHaveText('(stopped)', { timeout: 30_000 });

  // Each example was one undo step.
  await page.getByTestId('undo').click();
  await expect(json).toContainText('Copper (Morse)');
  await page.getByTestId('undo').click();
  await expect(json).toContainText('Argon crystal with a void');
  expect(errors).toEqual([]);
});
