/**
 * The page loads the person's own structures and potential files: upload (file input and drag and
 * drop onto the view), run, malformed files refused with file and line while nothing else changes,
 * EAM files with their elements, and the current frame downloaded as extXYZ.
 */
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { funcflText } from '../src/io/eamFiles.testing.ts';
import { parseXyz } from '../src/io/xyz.ts';
import { collectPageErrors, countForegroundPixels, readInt, VIEWER_BACKGROUND_RGB } from './helpers.ts';

const ARGON = 'e2e/fixtures/argon-500.extxyz';
const ARGON_TRUNCATED = 'e2e/fixtures/argon-500-truncated.extxyz';
const argonText = readFileSync(ARGON, 'utf8');

/** A file for `setInputFiles` made in the test. */
const textFile = (name: string, text: string) => ({
  name,
  mimeType: 'text/plain',
  buffer: Buffer.from(text),
});

/** Opens the page and waits for the built-in example to be loaded; returns its atom count. */
async function openWorkbench(page: Page): Promise<number> {
  await page.goto('/');
  const canvas = page.getByTestId('viewer-canvas');
  await expect(canvas).toHaveAttribute('data-atoms', /^[1-9]\d{2,}$/);
  await expect(page.getByTestId('run')).toBeEnabled();
  return Number(await canvas.getAttribute('data-atoms'));
}

/** Uploads the 500-atom argon fixture and waits until the engine shows it. */
async function uploadArgon(page: Page): Promise<void> {
  await page.getByTestId('structure-input').setInputFiles(ARGON);
  await expect(page.getByTestId('structure-source')).toContainText('argon-500.extxyz');
  await expect(page.getByTestId('viewer-canvas')).toHaveAttribute('data-atoms', '500');
  await expect(page.getByTestId('atom-count')).toHaveText('500');
}

test('an uploaded extXYZ structure is shown, runs, and downloads as extXYZ that parses back', async ({
  page,
}, testInfo) => {
  const errors = collectPageErrors(page);
  await openWorkbench(page);
  await uploadArgon(page);
  await expect(page.getByTestId('structure-atoms')).toHaveText('500');
  await expect(page.getByTestId('structure-elements')).toHaveText('Ar 500');
  await expect(page.getByTestId('structure-cell')).toContainText('a = (26.300, 0, 0)');
  await expect(page.getByTestId('structure-pbc')).toHaveText('T T T');
  await expect(page.getByTestId('type-of-Ar')).toHaveText('0');
  await expect(page.getByTestId('spec-json')).toContainText('"file": "argon-500.extxyz"');

  const run = page.getByTestId('run');
  await expect(run).toBeEnabled();
  await run.click();
  await expect(page.getByTestId('stage-name')).toHaveText('FIRE relaxation');
  const step = page.getByTestId('step');
  await expect.poll(() => readInt(step)).toBeGreaterThan(0);
  await expect(page.getByTestId('potential-energy')).toHaveText(/^-\d+\.\d+$/);

  await page.screenshot({ path: 'test-results/uploads-page.png', fullPage: true });
  const png = await page.getByTestId('viewer-canvas').screenshot();
  await testInfo.attach('uploaded-argon', { body: png, contentType: 'image/png' });
  const { foreground, total } = await countForegroundPixels(page, png, VIEWER_BACKGROUND_RGB);
  expect(foreground / total).toBeGreaterThan(0.02);

  await page.getByTestId('stop').click();
  await expect(page.getByTestId('end-reason')).toHaveText('(stopped)');
  const stoppedAt = await readInt(step);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-extxyz').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^argon-500-step\d+\.extxyz$/);
  const text = readFileSync(await download.path(), 'utf8');
  const [frame] = parseXyz(text, download.suggestedFilename());
  expect(frame!.symbols).toHaveLength(500);
  expect(new Set(frame!.symbols)).toEqual(new Set(['Ar']));
  expect(frame!.cell[0]).toBeCloseTo(26.3, 10);
  expect(frame!.cell[4]).toBeCloseTo(26.3, 10);
  expect(frame!.pbc).toEqual([true, true, true]);
  expect(frame!.positions.every(Number.isFinite)).toBe(true);
  // The atoms moved under FIRE: the download is the current frame, not the file as uploaded.
  const [original] = parseXyz(argonText, 'argon-500.extxyz');
  let moved = 0;
  for (let i = 0; i < frame!.positions.length; i++) {
    moved = Math.max(moved, Math.abs(frame!.positions[i]! - original!.positions[i]!));
  }
  expect(moved).toBeGreaterThan(1e-4);
  expect(Number(frame!.info.step)).toBeLessThanOrEqual(stoppedAt);
  expect(errors).toEqual([]);
});

test('a malformed structure file is refused with file and line; the current system stays and runs', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await openWorkbench(page);
  // Drag and drop onto the view uploads too.
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'argon-500.extxyz'));
    return dt;
  }, argonText);
  await page.getByTestId('viewer-drop').dispatchEvent('drop', { dataTransfer });
  await expect(page.getByTestId('structure-source')).toContainText('argon-500.extxyz');
  await expect(page.getByTestId('viewer-canvas')).toHaveAttribute('data-atoms', '500');
  const specBefore = await page.getByTestId('spec-json').textContent();

  // Truncated: the atom count promises more lines than the file has.
  await page.getByTestId('structure-input').setInputFiles(ARGON_TRUNCATED);
  const banner = page.getByTestId('upload-error-structure');
  await expect(banner).toContainText(
    'argon-500-truncated.extxyz:1: frame 1 declares 500 atoms but only 300 line(s) follow',
  );
  // A field that is not a number, on line 57 of the file.
  const lines = argonText.split('\n');
  lines[56] = lines[56]!.replace(/\S+$/, '1.2.3');
  await page.getByTestId('structure-input').setInputFiles(textFile('argon-bad.extxyz', lines.join('\n')));
  await expect(banner).toContainText('argon-bad.extxyz:57:');
  await expect(banner).toContainText('1.2.3');

  // Nothing else changed: system, view, spec.
  await expect(page.getByTestId('structure-source')).toContainText('argon-500.extxyz');
  await expect(page.getByTestId('structure-atoms')).toHaveText('500');
  await expect(page.getByTestId('viewer-canvas')).toHaveAttribute('data-atoms', '500');
  await expect(page.getByTestId('atom-count')).toHaveText('500');
  expect(await page.getByTestId('spec-json').textContent()).toBe(specBefore);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);

  // ... and it still runs.
  await page.getByTestId('run').click();
  await expect.poll(() => readInt(page.getByTestId('step'))).toBeGreaterThan(0);
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('end-reason')).toHaveText('(stopped)');

  // Dismissing the message leaves the system as it is; the example comes back on request.
  await banner.getByRole('button', { name: 'Dismiss' }).click();
  await expect(banner).toHaveCount(0);
  await page.getByTestId('use-example').click();
  await expect(page.getByTestId('structure-source')).toHaveText('built-in example');
  await expect(page.getByTestId('viewer-canvas')).not.toHaveAttribute('data-atoms', '500');
  expect(errors).toEqual([]);
});

test('EAM: the file is uploaded, its style guessed and elements shown; mapping and bad files are explained; it runs', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await openWorkbench(page);
  await uploadArgon(page);
  const run = page.getByTestId('run');

  await page.getByTestId('potential-kind').selectOption('eam');
  await expect(page.getByTestId('potential-issues')).toContainText(
    'potential.file: must name a potential file',
  );
  await expect(run).toBeDisabled();

  // A synthetic funcfl file for copper (Z = 29): argon is not in it, and the page says so.
  await page
    .getByTestId('potential-input')
    .setInputFiles(textFile('Cu_synthetic.eam', funcflText(undefined, 29)));
  await expect(page.getByTestId('eam-style')).toHaveValue('eam');
  await expect(page.getByTestId('eam-files')).toContainText('Cu_synthetic.eam: Cu');
  await expect(page.getByTestId('mapping-problems')).toContainText(
    'element Ar of argon-500.extxyz is not in Cu_synthetic.eam (it has Cu)',
  );
  await expect(run).toBeDisabled();
  await page.getByTestId('mapping-Ar').selectOption('Cu');
  await expect(page.getByTestId('mapping-problems')).toHaveCount(0);
  await expect(page.getByTestId('spec-json')).toContainText('"file": "Cu_synthetic.eam"');
  await expect(page.getByTestId('spec-json')).toContainText('"style": "eam"');
  await expect(run).toBeEnabled();

  // A truncated potential file: refused with file and line, the uploaded one stays.
  const truncated = funcflText(undefined, 18, 39.948).split('\n').slice(0, 5).join('\n');
  await page.getByTestId('potential-input').setInputFiles(textFile('Ar_broken.eam', truncated));
  await expect(page.getByTestId('upload-error-potential')).toContainText(/Ar_broken\.eam:\d+: /);
  await expect(page.getByTestId('eam-files')).toContainText('Cu_synthetic.eam: Cu');
  await expect(page.getByTestId('eam-files')).not.toContainText('Ar_broken');

  // An argon funcfl file maps argon directly.
  await page
    .getByTestId('potential-input')
    .setInputFiles(textFile('Ar_synthetic.eam', funcflText(undefined, 18, 39.948)));
  await expect(page.getByTestId('upload-error-potential')).toHaveCount(0);
  await expect(page.getByTestId('eam-files')).toContainText('Ar_synthetic.eam: Ar');
  await page.getByTestId('mapping-Ar').selectOption('Ar');
  await expect(page.getByTestId('spec-json')).toContainText('"file": "Ar_synthetic.eam"');

  // Run: the engine gets the tables built from the file and runs EAM on the uploaded atoms.
  await run.click();
  const step = page.getByTestId('step');
  await expect.poll(() => readInt(step)).toBeGreaterThan(0);
  await expect(page.getByTestId('potential-energy')).toHaveText(/^-?\d+\.\d+$/);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/uploads-eam.png', fullPage: true });
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('end-reason')).toHaveText('(stopped)');

  // Back to Lennard-Jones: the argon parameters are as they were.
  await page.getByTestId('potential-kind').selectOption('lennard-jones');
  await expect(page.getByTestId('field-potential.epsilon')).toHaveValue('0.0104');
  expect(errors).toEqual([]);
});
