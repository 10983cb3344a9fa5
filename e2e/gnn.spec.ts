/**
 * The GNN potential in the page: the shipped copper model runs a short NVE on a small crystal, a
 * broken upload is refused with its reason while the potential in use stays, and an accepted upload
 * is offered again after a reload.
 */
import { expect, test } from '@playwright/test';
import { randomGnnTensors, testGnnConfig } from '../src/engine/reference/gnn.testing.ts';
import { copperGnnSpec } from '../src/io/examples.ts';
import { writeSafetensors } from '../src/io/safetensors.ts';
import { collectPageErrors, readInt } from './helpers.ts';

const config = testGnnConfig();
const json = (stem: string, value: object = config) => ({
  name: `${stem}.json`,
  mimeType: 'application/json',
  buffer: Buffer.from(JSON.stringify(value)),
});
const safetensors = (stem: string, bytes: Uint8Array) => ({
  name: `${stem}.safetensors`,
  mimeType: 'application/octet-stream',
  buffer: Buffer.from(bytes),
});

test('the shipped copper GNN runs; broken uploads are refused and change nothing; uploads survive a reload', async ({
  page,
}, testInfo) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  const run = page.getByTestId('run');
  await expect(run).toBeEnabled();
  const canvas = page.getByTestId('viewer-canvas');
  const specJson = page.getByTestId('spec-json');

  // A small copper crystal (2×2×2 fcc cells, 32 atoms: SwiftShader is slow) with a Morse potential and NVE.
  const spec = {
    version: 1,
    name: 'Small copper crystal, NVE',
    system: { ...copperGnnSpec.system, repeat: [2, 2, 2] },
    potential: { kind: 'morse', d0: 0.3429, alpha: 1.3588, r0: 2.866, cutoff: 6, shift: true },
    neighbor: { skin: 1 },
    stages: [{ kind: 'nve', name: 'NVE', steps: 400, dt: 2, hooks: [{ kind: 'log', every: 1 }] }],
  };
  await page.getByTestId('load-spec-input').setInputFiles({
    name: 'small-copper.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(spec)),
  });
  await expect(specJson).toContainText('Small copper crystal, NVE');

  // Choose the GNN and its shipped model: fetched, described, and the 32 atoms loaded with it.
  await page.getByTestId('potential-kind').selectOption('gnn');
  await page.getByTestId('gnn-model').selectOption('cu-mishin1');
  await expect(specJson).toContainText('"model": "cu-mishin1"');
  await expect(page.getByTestId('gnn-elements')).toHaveText('Cu');
  await expect(page.getByTestId('gnn-model-info')).toContainText('5.5 Å');
  await expect(page.getByTestId('gnn-model-info')).toContainText('energy MAE 0.47 meV/atom');
  await expect(page.getByTestId('type-of-Cu')).toHaveText('0');
  await expect(canvas).toHaveAttribute('data-atoms', '32');

  // Run NVE on the GNN: steps advance, the energy plot grows, the energy is copper's.
  await expect(run).toBeEnabled();
  const t0 = Date.now();
  await run.click();
  const step = page.getByTestId('step');
  const plot = page.getByTestId('energy-plot');
  const points = async () => Number(await plot.getAttribute('data-points'));
  await expect.poll(() => readInt(step), { timeout: 240_000 }).toBeGreaterThan(0);
  await expect.poll(points, { timeout: 240_000 }).toBeGreaterThan(2);
  const energy = Number(await page.getByTestId('potential-energy').textContent());
  // Mishin's copper: −3.54 eV/atom at rest; at 300 K a little above.
  expect(energy / 32).toBeGreaterThan(-3.6);
  expect(energy / 32).toBeLessThan(-3.4);
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('end-reason')).toHaveText('(stopped)', { timeout: 60_000 });
  const steps = await readInt(step);
  testInfo.annotations.push({
    type: 'timing',
    description: `GNN 32 atoms: ${steps} steps in ${(Date.now() - t0) / 1000} s`,
  });
  console.log(`timing: GNN 32 atoms: ${steps} steps in ${(Date.now() - t0) / 1000} s (SwiftShader)`);

  // A truncated .safetensors: the reason is shown, the spec and the model in use stay.
  const before = await specJson.textContent();
  const good = writeSafetensors(randomGnnTensors(config, 1));
  const gnnInput = page.getByTestId('gnn-input');
  await gnnInput.setInputFiles([json('broken'), safetensors('broken', good.subarray(0, good.length - 64))]);
  await expect(page.getByTestId('upload-error-message')).toContainText('broken.safetensors');
  await expect(page.getByTestId('upload-error-message')).toContainText('truncated?');
  expect(await specJson.textContent()).toBe(before);
  await expect(page.getByTestId('gnn-model')).toHaveValue('cu-mishin1');

  // A NaN weight: named with its tensor and index.
  const nan = randomGnnTensors(config, 1);
  nan.get('readout.0.weight')!.data[2] = Number.NaN;
  await gnnInput.setInputFiles([json('nan'), safetensors('nan', writeSafetensors(nan))]);
  await expect(page.getByTestId('upload-error-message')).toContainText(
    'nan.safetensors: tensor "readout.0.weight" has NaN at flat index 2',
  );
  // A config without its tensors.
  await gnnInput.setInputFiles([json('half')]);
  await expect(page.getByTestId('upload-error-message')).toContainText(
    'choose half.json and half.safetensors together',
  );
  expect(await specJson.textContent()).toBe(before);
  await expect(page.getByTestId('gnn-elements')).toHaveText('Cu');

  // A good upload becomes the model; the engine takes it (Run is enabled); a reload keeps it.
  await gnnInput.setInputFiles([json('mine'), safetensors('mine', good)]);
  await expect(page.getByTestId('upload-error-potential')).toHaveCount(0);
  await expect(specJson).toContainText('"model": "mine"');
  await expect(page.getByTestId('gnn-elements')).toHaveText('Cu, Ag');
  await expect(run).toBeEnabled();
  await page.reload();
  await expect(page.getByTestId('gnn-model')).toHaveValue('mine');
  await expect(page.getByTestId('gnn-model-info')).toContainText('mine.json + mine.safetensors (uploaded)');
  await expect(canvas).toHaveAttribute('data-atoms', '32');
  await expect(run).toBeEnabled();
  await expect(page.getByTestId('gnn-model').locator('option')).toContainText(['cu-mishin1', 'mine']);
  expect(errors).toEqual([]);
});
