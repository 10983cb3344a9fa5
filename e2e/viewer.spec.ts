/**
 * The viewer, the run controls and the plots as a person uses them: colour modes repaint the atoms,
 * clicking an atom shows its data, Step advances a paused run by exactly one step, progress bars move,
 * per-system plots can be chosen.
 */
import { writeFileSync } from 'node:fs';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { collectPageErrors, readInt } from './helpers.ts';

/** Pixels that differ by more than `tolerance` in some channel between two PNG screenshots (same size). */
async function differingPixels(page: Page, a: Buffer, b: Buffer, tolerance = 30): Promise<number> {
  return page.evaluate(
    async ({ a, b, tolerance }) => {
      const decode = async (url: string) => {
        const img = new Image();
        img.src = url;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('no 2D context');
        ctx.drawImage(img, 0, 0);
        return ctx.getImageData(0, 0, canvas.width, canvas.height);
      };
      const [x, y] = [await decode(a), await decode(b)];
      // Sub-pixel layout may make the shots differ by a row or column: compare where both have pixels.
      const width = Math.min(x.width, y.width);
      const height = Math.min(x.height, y.height);
      let n = 0;
      for (let r = 0; r < height; r++) {
        for (let c = 0; c < width; c++) {
          const i = 4 * (r * x.width + c);
          const j = 4 * (r * y.width + c);
          const d = Math.max(
            Math.abs(x.data[i]! - y.data[j]!),
            Math.abs(x.data[i + 1]! - y.data[j + 1]!),
            Math.abs(x.data[i + 2]! - y.data[j + 2]!),
          );
          if (d > tolerance) n++;
        }
      }
      return n;
    },
    {
      a: `data:image/png;base64,${a.toString('base64')}`,
      b: `data:image/png;base64,${b.toString('base64')}`,
      tolerance,
    },
  );
}

async function openPage(page: Page): Promise<Locator> {
  await page.goto('/');
  const canvas = page.getByTestId('viewer-canvas');
  await expect(canvas).toHaveAttribute('data-atoms', /^[1-9]\d{2,}$/);
  await page.waitForFunction(() => window.__mdViewer !== undefined);
  return canvas;
}

/** Screenshot of the canvas once it stopped changing (the viewer renders on demand). */
async function settledShot(page: Page, canvas: Locator): Promise<Buffer> {
  await page.waitForTimeout(300);
  return canvas.screenshot();
}

test('colour modes repaint the atoms, with a legend; a clicked atom shows its data', async ({
  page,
}, testInfo) => {
  const errors = collectPageErrors(page);
  const canvas = await openPage(page);
  const mode = page.getByTestId('colour-mode');
  const legend = page.getByTestId('colour-legend');
  await expect(legend).toContainText('Ar');
  const byElement = await settledShot(page, canvas);
  const box = (await canvas.boundingBox())!;
  const total = box.width * box.height;
  const nAtoms = Number(await canvas.getAttribute('data-atoms'));

  await mode.selectOption('stage');
  await expect(legend).toContainText('not stepping in this stage');
  const byStage = await settledShot(page, canvas);
  expect(await differingPixels(page, byElement, byStage)).toBeGreaterThan(0.02 * total);

  await mode.selectOption('force');
  // The engine sends a frame with forces at once (nothing is running).
  await expect(page.getByTestId('colour-scale-max')).toContainText('eV/Å');
  const byForce = await settledShot(page, canvas);
  writeFileSync(testInfo.outputPath('colour-by-force.png'), byForce);
  expect(await differingPixels(page, byElement, byForce)).toBeGreaterThan(0.02 * total);
  expect(await differingPixels(page, byStage, byForce)).toBeGreaterThan(0.02 * total);

  await mode.selectOption('element');
  await expect(legend).toContainText('Ar');
  expect(await differingPixels(page, byElement, await settledShot(page, canvas))).toBeLessThan(0.002 * total);

  // Click the atom nearest the camera: the inspector shows that atom.
  const front = await page.evaluate(() => window.__mdViewer!.frontAtom());
  expect(front).not.toBeNull();
  const { index, x, y, position } = front!;
  await page.mouse.click(x, y);
  const inspector = page.getByTestId('atom-inspector');
  await expect(inspector).toBeVisible();
  await expect(page.getByTestId('picked-index')).toHaveText(String(index));
  await expect(page.getByTestId('picked-symbol')).toHaveText('Ar');
  await expect(page.getByTestId('picked-system')).toHaveText('0');
  await expect(page.getByTestId('picked-atom')).toHaveText(String(index));
  await expect(page.getByTestId('picked-position')).toHaveText(position.map((v) => v.toFixed(3)).join(', '));
  // Forces and velocities come with the frame the pick asks for.
  await expect(page.getByTestId('picked-force')).toHaveText(/^\d+\.\d{5}$/);
  await expect(page.getByTestId('picked-velocity')).toHaveText(/^-?\d+\.\d{5}, -?\d+\.\d{5}, -?\d+\.\d{5}$/);
  await expect(page.getByTestId('picked-stage')).toHaveText('not started');
  // The picked atom is drawn highlighted.
  const highlighted = await settledShot(page, canvas);
  writeFileSync(testInfo.outputPath('picked-atom.png'), highlighted);
  expect(await differingPixels(page, byElement, highlighted)).toBeGreaterThan(20);

  // Arrow keys step through the atoms of the system; Escape clears the pick.
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('picked-index')).toHaveText(String((index + 1) % nAtoms));
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('picked-index')).toHaveText(String((index - 1 + nAtoms) % nAtoms));
  await page.keyboard.press('Escape');
  await expect(inspector).toHaveCount(0);
  expect(await page.evaluate(() => window.__mdViewer!.picked())).toBe(-1);
  expect(errors).toEqual([]);
});

test('Step runs exactly one step while paused; the progress bars follow the run', async ({ page }) => {
  const errors = collectPageErrors(page);
  await openPage(page);
  const stepOnce = page.getByTestId('step-once');
  await expect(stepOnce).toBeDisabled();
  const bar = page.getByTestId('progress-steps-0');
  await expect(bar).toHaveAttribute('role', 'progressbar');
  await expect(bar).toHaveAttribute('aria-valuenow', '0');
  await expect(bar).toHaveAttribute('aria-valuemax', '2000');
  await expect(bar).toHaveAttribute('aria-label', 'FIRE relaxation: steps');

  await page.getByTestId('run').click();
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('run-phase')).toHaveText('paused');
  await expect(stepOnce).toBeEnabled();
  const step = page.getByTestId('step');
  // Let the last frame and log record of the run land.
  let before = await readInt(step);
  await expect
    .poll(
      async () => {
        const now = await readInt(step);
        const same = now === before;
        before = now;
        return same;
      },
      { intervals: [400] },
    )
    .toBe(true);

  await stepOnce.click();
  await expect.poll(() => readInt(step)).toBe(before + 1);
  await page.waitForTimeout(600);
  expect(await readInt(step)).toBe(before + 1);
  await expect(page.getByTestId('run-phase')).toHaveText('paused');
  // Its shortcut: n.
  await page.locator('body').press('n');
  await expect.poll(() => readInt(step)).toBe(before + 2);
  await expect(bar).toHaveAttribute('aria-valuenow', String(before + 2));
  await expect(bar).toHaveAttribute('aria-valuetext', `${before + 2} / 2000 steps`);

  await page.getByTestId('stop').click();
  await expect(page.getByTestId('end-reason')).toHaveText('(stopped)');
  expect(errors).toEqual([]);
});

test('per-system plots: each system has its curve, and the person chooses which are drawn', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await openPage(page);
  await page.getByTestId('system-kind').selectOption('clusters');
  await page.getByTestId('field-system.count').fill('4');
  await page.getByTestId('field-system.minAtoms').fill('8');
  await page.getByTestId('field-system.maxAtoms').fill('12');
  await page.getByTestId('run').click();
  const energy = page.getByTestId('energy-plot');
  await expect.poll(async () => Number(await energy.getAttribute('data-points'))).toBeGreaterThan(2);
  await page.getByTestId('plots-per-system').check();
  await expect(energy).toHaveAttribute('data-systems', '4');
  await expect(energy).toHaveAttribute('data-shown-systems', '4');
  const boxes = page.getByTestId('plots-systems').locator('input[type="checkbox"]');
  await expect(boxes).toHaveCount(4);
  await boxes.first().uncheck();
  await expect(energy).toHaveAttribute('data-shown-systems', '3');
  await expect(page.getByTestId('temperature-plot')).toHaveAttribute('data-shown-systems', '3');
  await boxes.first().check();
  await expect(energy).toHaveAttribute('data-shown-systems', '4');
  // Several systems: a systems progress bar per stage.
  await expect(page.getByTestId('progress-systems-0')).toHaveAttribute('aria-valuemax', '4');
  await page.getByTestId('stop').click();
  expect(errors).toEqual([]);
});
