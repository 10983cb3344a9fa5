import { expect, test } from '@playwright/test';
import { chromiumPath } from '../scripts/chromium.ts';

// A Chromium without WebGPU: no --enable-unsafe-webgpu, and WebGPU switched off.
test.use({
  launchOptions: {
    executablePath: chromiumPath,
    args: ['--headless=new', '--no-sandbox', '--disable-features=WebGPU', '--disable-webgpu'],
  },
});

test('without WebGPU the page explains how to enable it instead of staying blank', async ({ page }) => {
  await page.goto('/');
  const usable = await page.evaluate(async () => {
    if (!('gpu' in navigator) || !navigator.gpu) return false;
    try {
      return (await navigator.gpu.requestAdapter()) !== null;
    } catch {
      return false;
    }
  });
  expect(usable).toBe(false);

  const explanation = page.getByTestId('webgpu-unavailable');
  await expect(explanation).toBeVisible();
  await expect(explanation.getByRole('heading', { level: 1 })).toHaveText('WebGPU is unavailable');
  await expect(explanation).toContainText('enable-unsafe-webgpu');
  await expect(explanation).toContainText('113');
  await expect(explanation).toContainText('localhost');
  await expect(page.getByTestId('webgpu-reason')).not.toBeEmpty();
  await expect(page.getByTestId('run')).toHaveCount(0);
});
