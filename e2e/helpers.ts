/** Shared e2e helpers: console-error collection, readouts, and pixel counts of screenshots. */
import type { Locator, Page } from '@playwright/test';

/** Collects console errors and uncaught page errors from now on. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

/** The integer shown by a readout (e.g. the step counter). */
export async function readInt(locator: Locator): Promise<number> {
  const text = (await locator.textContent()) ?? '';
  const value = Number.parseInt(text, 10);
  if (!Number.isFinite(value)) throw new Error(`readout shows "${text}", not an integer`);
  return value;
}

/** The viewer's background, sRGB 0…255 (src/ui/viewer/atomViewer.ts VIEWER_BACKGROUND). */
export const VIEWER_BACKGROUND_RGB: [number, number, number] = [0x11, 0x15, 0x1c];

/**
 * Decodes a PNG screenshot in the page (no image library needed in Node) and counts the pixels that
 * differ from `background` by more than `tolerance` in any channel; also returns the total.
 */
export async function countForegroundPixels(
  page: Page,
  png: Buffer,
  background: [number, number, number],
  tolerance = 24,
): Promise<{ foreground: number; total: number }> {
  return page.evaluate(
    async ({ dataUrl, background, tolerance }) => {
      const img = new Image();
      img.src = dataUrl;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2D context');
      ctx.drawImage(img, 0, 0);
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let foreground = 0;
      for (let i = 0; i < data.length; i += 4) {
        const d = Math.max(
          Math.abs((data[i] ?? 0) - background[0]),
          Math.abs((data[i + 1] ?? 0) - background[1]),
          Math.abs((data[i + 2] ?? 0) - background[2]),
        );
        if (d > tolerance) foreground++;
      }
      return { foreground, total: data.length / 4 };
    },
    { dataUrl: `data:image/png;base64,${png.toString('base64')}`, background, tolerance },
  );
}
