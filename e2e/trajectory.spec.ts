/**
 * The run's trajectory: the default example records its snapshots to Zarr (OPFS, written as the run
 * goes), the .zarr.zip download reads back with zarrita identical to what the page showed, the log
 * downloads as CSV, and the archive loads back into the viewer through the file input and scrubs to
 * its last frame. A broken archive is refused with a banner naming the problem, the view unchanged.
 */
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import * as zarr from 'zarrita';
import { parseXyz } from '../src/io/xyz.ts';
import { ZipStore } from '../src/io/zarr/zipStore.ts';
import { collectPageErrors } from './helpers.ts';

/** Clicks `testId` and returns the downloaded file's name and bytes. */
async function download(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

/** The one frame of an extXYZ download: positions (f32 values written exactly), cell, step. */
function extXyzFrame(file: { name: string; bytes: Buffer }) {
  const [frame] = parseXyz(file.bytes.toString('utf8'), file.name);
  if (!frame) throw new Error(`${file.name} holds no frame`);
  return frame;
}

test('a recorded Zarr trajectory downloads, reads back with zarrita, loads into the view and scrubs', async ({
  page,
}, testInfo) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('run')).toBeEnabled();
  const nAtoms = Number(await page.getByTestId('viewer-canvas').getAttribute('data-atoms'));
  expect(nAtoms).toBeGreaterThan(100);

  // Nothing to download before a run that records.
  await expect(page.getByTestId('download-trajectory')).toBeDisabled();
  await expect(page.getByTestId('download-trajectory-reason')).toContainText('Record snapshots to Zarr');
  await expect(page.getByTestId('download-log-csv')).toBeDisabled();

  // Record the example's snapshots (every 200 steps) to Zarr; a short chain: 10 FIRE, 200 NVT, 200 NVE.
  await page.getByTestId('record-zarr').check();
  await expect(page.getByTestId('spec-json')).toContainText('"sink": "zarr"');
  await page.getByTestId('field-stages[0].steps').fill('10');
  await page.getByTestId('node-stages[1]').click(); // the inspector shows the selected stage
  await page.getByTestId('field-stages[1].steps').fill('200');
  await page.getByTestId('node-stages[2]').click();
  await page.getByTestId('field-stages[2].steps').fill('200');
  await page.getByTestId('run').click();
  await expect(page.getByTestId('end-reason')).toHaveText('(completed)', { timeout: 240_000 });
  await expect(page.getByTestId('trajectory-frames')).toHaveText('2');
  await expect(page.getByTestId('download-trajectory')).toBeEnabled();

  // What the page shows at the end (the state after the last step, which the last snapshot wrote).
  const live = extXyzFrame(await download(page, 'download-extxyz'));
  const finalStep = Number(live.info.step);
  expect(live.positions).toHaveLength(3 * nAtoms);

  // The log as CSV: a header with units, one row per record (one system).
  const csv = (await download(page, 'download-log-csv')).bytes.toString('utf8').trim().split('\n');
  expect(csv[0]).toBe(
    'step,time_fs,stage,system,potential_energy_eV,kinetic_energy_eV,temperature_K,max_force_eV_per_A',
  );
  expect(csv.length).toBeGreaterThan(10);
  expect(Number(csv.at(-1)!.split(',')[0])).toBe(finalStep);

  // The trajectory, read with zarrita straight from the archive.
  const archive = await download(page, 'download-trajectory');
  expect(archive.name).toMatch(/\.zarr\.zip$/);
  testInfo.attachments.push({ name: archive.name, contentType: 'application/zip', body: archive.bytes });
  const store = await ZipStore.open(new Blob([new Uint8Array(archive.bytes)]));
  const root = zarr.root(store);
  const group = await zarr.open(root, { kind: 'group' });
  expect(group.attrs.format).toBe('md-workbench.trajectory');
  expect((group.attrs.pipeline_spec as { stages: unknown[] }).stages).toHaveLength(3);
  const read = async (path: string) => {
    const array = await zarr.open(root.resolve(path), { kind: 'array' });
    expect(array.dimensionNames?.length, `${path} dimension_names`).toBe(array.shape.length);
    return { shape: array.shape, data: (await zarr.get(array)).data };
  };
  const positions = await read('core/positions');
  expect(positions.shape).toEqual([2 * nAtoms, 3]);
  const lastPositions = (positions.data as Float32Array).slice(3 * nAtoms);
  expect(lastPositions).toEqual(Float32Array.from(live.positions));
  expect((await read('core/velocities')).shape).toEqual([2 * nAtoms, 3]);
  expect((await read('core/forces')).shape).toEqual([2 * nAtoms, 3]);
  expect(Array.from((await read('core/step')).data as BigInt64Array, Number)).toEqual([
    finalStep - 200,
    finalStep,
  ]);
  expect(Array.from((await read('meta/atoms_ptr')).data as BigInt64Array, Number)).toEqual([
    0,
    nAtoms,
    2 * nAtoms,
  ]);
  expect(new Set((await read('core/atomic_numbers')).data as Int32Array)).toEqual(new Set([18]));
  expect(Array.from((await read('core/cell')).data as Float64Array).slice(9)).toEqual(Array.from(live.cell));
  const energy = (await read('core/energy')).data as Float64Array;
  expect(energy.every((e) => e < 0)).toBe(true);

  // Back into the page: the viewer shows the trajectory; scrub to its last frame.
  await page.getByTestId('trajectory-input').setInputFiles({
    name: archive.name,
    mimeType: 'application/zip',
    buffer: archive.bytes,
  });
  const canvas = page.getByTestId('viewer-canvas');
  await expect(page.getByTestId('trajectory-scrubber')).toBeVisible();
  await expect(canvas).toHaveAttribute('data-source', 'trajectory');
  await expect(canvas).toHaveAttribute('data-atoms', String(nAtoms));
  await expect(page.getByTestId('trajectory-frame-count')).toHaveText('2');
  await expect(page.getByTestId('trajectory-step')).toHaveText(String(finalStep - 200));
  await page.getByTestId('trajectory-frame').fill('1');
  await expect(page.getByTestId('trajectory-frame-index')).toHaveText('2');
  await expect(page.getByTestId('trajectory-step')).toHaveText(String(finalStep));
  await page.screenshot({ path: 'test-results/trajectory-page.png', fullPage: true });
  // The frame shown is the one the live view showed at the end, to the last bit.
  const shown = extXyzFrame(await download(page, 'download-extxyz'));
  expect(Number(shown.info.step)).toBe(finalStep);
  expect(shown.positions).toEqual(live.positions);
  expect(shown.cell).toEqual(live.cell);

  // A broken archive: refused, named, and the view stays on the frame it showed.
  await page.getByTestId('trajectory-input').setInputFiles({
    name: 'broken.zarr.zip',
    mimeType: 'application/zip',
    buffer: archive.bytes.subarray(0, archive.bytes.length - 100),
  });
  await expect(page.getByTestId('trajectory-error')).toContainText('broken.zarr.zip was not loaded');
  await expect(page.getByTestId('trajectory-error-message')).toContainText('zip');
  await expect(page.getByTestId('trajectory-frame-index')).toHaveText('2');
  await expect(page.getByTestId('trajectory-step')).toHaveText(String(finalStep));
  await expect(canvas).toHaveAttribute('data-source', 'trajectory');

  await page.getByTestId('trajectory-close').click();
  await expect(canvas).toHaveAttribute('data-source', 'live');
  await expect(page.getByTestId('trajectory-scrubber')).toHaveCount(0);
  expect(errors).toEqual([]);
});
