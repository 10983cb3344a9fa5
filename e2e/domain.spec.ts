/**
 * Domain decomposition in the page: the copper-slab example splits one system over a grid of
 * workers (each with its own WebGPU device); the ranks panel fills, colour by worker shows the owner
 * of each atom, and the run ends cleanly. Bad grids are explained on their fields.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { collectPageErrors, readInt } from './helpers.ts';

/** Ranks of the example's 2×2×1 grid. */
const RANKS = 4;

/** The percentage a cell shows (`12.3 %`). */
async function percentOf(locator: Locator): Promise<number> {
  const text = (await locator.textContent()) ?? '';
  const m = /^(\d+(?:\.\d)?) %$/.exec(text.trim());
  if (!m) throw new Error(`not a percentage: "${text}"`);
  return Number(m[1]);
}

/** Sets the step budget of segment `i`, selecting it on the composer's canvas first. */
async function setSteps(page: Page, i: number, steps: number): Promise<void> {
  await page.getByTestId(`node-stages[${i}]`).click();
  await page.getByTestId(`field-stages[${i}].steps`).fill(String(steps));
}

test('the copper slab example runs split over workers; the ranks panel and colour by worker follow it', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors = collectPageErrors(page);
  await page.goto('/');
  const run = page.getByTestId('run');
  await expect(run).toBeEnabled();
  await expect(page.getByTestId('cross-origin-isolated')).toHaveAttribute('data-isolated', 'true');

  await page.getByTestId('example-select').selectOption('copper-domain');
  await expect(page.getByTestId('spec-message-text')).toContainText('Copper slab split over 2×2×1 workers');
  await expect(page.getByTestId('placement')).toHaveValue('domain');
  await expect(page.getByTestId('field-placement.grid[0]')).toHaveValue('2');
  await expect(page.getByTestId('field-placement.grid[1]')).toHaveValue('2');
  await expect(page.getByTestId('field-placement.grid[2]')).toHaveValue('1');
  // 12 × 3.615 Å / 2 along a and b, 6 × 3.615 Å along c; Morse 7 Å + 1 Å skin.
  await expect(page.getByTestId('domain-subdomain')).toContainText('4 workers');
  await expect(page.getByTestId('domain-subdomain-size')).toHaveText('21.7 × 21.7 × 21.7');
  await expect(page.getByTestId('domain-subdomain')).toContainText('ghost cutoff 8.0 Å');
  await expect(page.getByTestId('domain-thin')).toHaveCount(0);

  // The grid is edited in place: Py = 1 gives two boxes twice as wide along b.
  const py = page.getByTestId('field-placement.grid[1]');
  await py.fill('1');
  await expect(page.getByTestId('domain-subdomain')).toContainText('2 workers');
  await expect(page.getByTestId('domain-subdomain-size')).toHaveText('21.7 × 43.4 × 21.7');
  await py.fill('2');
  await expect(page.getByTestId('domain-subdomain')).toContainText('4 workers');
  // Software WebGPU is slow and shared: a few steps of each stage.
  await setSteps(page, 0, 6);
  await setSteps(page, 1, 6);
  await setSteps(page, 2, 6);
  await expect(run).toBeEnabled();

  await page.getByTestId('colour-mode').selectOption('worker');
  await run.click();
  const panel = page.getByTestId('domain-panel');
  await expect(panel).toBeVisible();
  await expect(panel.locator('tbody tr')).toHaveCount(RANKS);
  await expect(page.getByTestId('rank-1-coords')).toHaveText('(1, 0, 0)');
  await expect(page.getByTestId('rank-3-coords')).toHaveText('(1, 1, 0)');
  // Fail at once on an error end (the banner names the rank), else wait for the run to complete.
  await expect(page.getByTestId('end-reason')).toBeVisible({ timeout: 200_000 });
  await expect(page.getByTestId('error-banner')).toHaveCount(0, { timeout: 1000 });
  await expect(page.getByTestId('end-reason')).toHaveText('(completed)', { timeout: 1000 });

  // Every atom is owned by exactly one rank; each rank holds ghosts and reported its timings.
  const atoms = await readInt(page.getByTestId('atom-count'));
  expect(atoms).toBe(3456);
  let owned = 0;
  for (let r = 0; r < RANKS; r++) {
    await expect(page.getByTestId(`rank-${r}-state`)).toHaveText('done');
    const mine = await readInt(page.getByTestId(`rank-${r}-owned`));
    // A box holds a quarter of the crystal, give or take the atoms near its faces.
    expect(mine).toBeGreaterThan(atoms / RANKS - 200);
    expect(mine).toBeLessThan(atoms / RANKS + 200);
    owned += mine;
    // Ghosts: the atoms within 8 Å of the faces of a 21.7 Å box, from its neighbours and images.
    expect(await readInt(page.getByTestId(`rank-${r}-ghosts`))).toBeGreaterThan(mine);
    // Both exchange and force evaluation took time; the rank stepped at a measured rate.
    const share = await percentOf(page.getByTestId(`rank-${r}-exchange-share`));
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThan(100);
    expect(Number(await page.getByTestId(`rank-${r}-steps-per-second`).textContent())).toBeGreaterThan(0);
  }
  expect(owned).toBe(atoms);
  expect(await readInt(page.getByTestId('domain-owned'))).toBe(atoms);
  const share = await percentOf(page.getByTestId('domain-exchange-share'));
  expect(share).toBeGreaterThan(0);
  expect(share).toBeLessThan(100);
  await expect(page.getByTestId('domain-owned-mismatch')).toHaveCount(0);

  // Colour by worker: the owner of each atom, one colour per rank, atoms counted per rank.
  const legend = page.getByTestId('colour-legend').locator('li');
  await expect(legend).toHaveCount(RANKS);
  const labels = await legend.allTextContents();
  expect(labels.map((l) => /^rank (\d+):/.exec(l)?.[1])).toEqual(['0', '1', '2', '3']);
  const counts = labels.map((l) => Number(/rank \d+: (\d+) atoms/.exec(l)?.[1]));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(atoms);
  const swatches = await legend
    .locator('.swatch')
    .evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
  expect(new Set(swatches).size).toBe(RANKS);

  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  // The ranks table, the grid fields and the legend meet WCAG 2 A/AA like the rest of the page.
  const axe = await new AxeBuilder({ page })
    .include('[data-testid="domain-panel"]')
    .include('[data-testid="placement-fields"]')
    .include('[data-testid="colour-legend"]')
    .withTags(['wcag2a', 'wcag2aa'])
    .analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
    [],
  );
  expect(errors).toEqual([]);
});

test('a bad grid or a grid on a batched spec is explained on its field and blocks Run', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  const run = page.getByTestId('run');
  await expect(run).toBeEnabled();

  await page.getByTestId('placement').selectOption('domain');
  // The argon crystal is cubic: two workers along a.
  await expect(page.getByTestId('field-placement.grid[0]')).toHaveValue('2');
  await page.getByTestId('field-placement.grid[1]').fill('0');
  await expect(page.getByTestId('issue-placement.grid[1]')).toContainText('placement.grid[1]: must be ≥ 1');
  await expect(page.getByTestId('node-issues-pipeline')).toContainText('placement.grid[1]: must be ≥ 1');
  await expect(run).toBeDisabled();
  await page.getByTestId('field-placement.grid[0]').fill('1');
  await page.getByTestId('field-placement.grid[1]').fill('1');
  await expect(page.getByTestId('placement-issues')).toContainText('a 1×1×1 grid is one worker');
  // The composer shows it on the pipeline too.
  await expect(page.getByTestId('node-issues-pipeline')).toContainText('a 1×1×1 grid is one worker');
  await expect(run).toBeDisabled();
  // Eight slabs of 6.6 Å along a: ghosts within 9.5 Å come over two hops.
  await page.getByTestId('field-placement.grid[0]').fill('8');
  await expect(page.getByTestId('placement-issues')).toHaveCount(0);
  await expect(page.getByTestId('domain-thin')).toContainText('a (6.6 Å: ghosts over 2 hops)');
  await expect(run).toBeEnabled();

  // The clusters example batches many systems over a pipeline: a grid refuses both.
  await page.getByTestId('example-select').selectOption('argon-clusters');
  await page.getByTestId('placement').selectOption('domain');
  await expect(page.getByTestId('issue-system.count')).toContainText('must be 1: a domain split');
  await expect(page.getByTestId('system-issues')).toContainText('batching: must be absent');
  await expect(run).toBeDisabled();
  await page.getByTestId('batching').uncheck();
  await page.getByTestId('field-system.count').fill('1');
  await expect(page.getByTestId('issue-system.count')).toHaveCount(0);
  await expect(page.getByTestId('system-issues')).toHaveCount(0);
  await expect(run).toBeEnabled();
  expect(errors).toEqual([]);
});
