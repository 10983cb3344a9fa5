import { expect, type Page, test } from '@playwright/test';
import { collectPageErrors, readInt } from './helpers.ts';

const COUNT = 24;

/** The range "a–b" of resident systems a worker card shows, as numbers. */
async function residentRange(page: Page, worker: number): Promise<[number, number]> {
  const text = (await page.getByTestId(`worker-${worker}-range`).textContent()) ?? '';
  const m = /(\d+)–(\d+)/.exec(text);
  if (!m) throw new Error(`worker ${worker} shows no resident range: "${text}"`);
  return [Number(m[1]), Number(m[2])];
}

test('a 3-worker pipeline over a few dozen clusters runs to the end; the workers panel follows it', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = collectPageErrors(page);
  await page.goto('/');
  const run = page.getByTestId('run');
  await expect(run).toBeEnabled();

  // Small clusters, batches of 4, short budgets for the example's FIRE → Langevin → NVE.
  await page.getByTestId('system-kind').selectOption('clusters');
  await page.getByTestId('field-system.count').fill(String(COUNT));
  await page.getByTestId('field-system.minAtoms').fill('4');
  await page.getByTestId('field-system.maxAtoms').fill('12');
  await page.getByTestId('field-stages[0].steps').fill('80');
  // The composer edits the segment selected on its canvas.
  await page.getByTestId('node-stages[1]').click();
  await page.getByTestId('field-stages[1].steps').fill('40');
  await page.getByTestId('node-stages[2]').click();
  await page.getByTestId('field-stages[2].steps').fill('40');

  // Workers: one per piped segment. Without batching that is explained, not fixed.
  await expect(page.getByTestId('placement')).toHaveValue('single');
  await page.getByTestId('placement').selectOption('pipeline');
  await expect(page.getByTestId('placement-issues')).toContainText('a pipeline needs batching');
  await expect(run).toBeDisabled();
  await page.getByTestId('batching').check();
  await page.getByTestId('field-batching.maxSystems').fill('4');
  await page.getByTestId('field-batching.maxAtoms').fill('48');
  await expect(page.getByTestId('placement-issues')).toHaveCount(0);

  // Two links, their capacities typed and validated inline.
  await expect(page.getByTestId('link-capacity-0')).toBeVisible();
  await expect(page.getByTestId('link-capacity-1')).toBeVisible();
  const linkAtoms = page.getByTestId('field-placement.links[0].maxAtoms');
  await linkAtoms.fill('5');
  await expect(page.getByTestId('issue-placement.links[0].maxAtoms')).toContainText(
    'must be ≥ system.maxAtoms (12)',
  );
  await expect(run).toBeDisabled();
  await linkAtoms.fill('24');
  await page.getByTestId('field-placement.links[0].maxSystems').fill('2');
  await page.getByTestId('field-placement.links[1].maxSystems').fill('2');
  await expect(page.getByTestId('issue-placement.links[0].maxAtoms')).toHaveCount(0);
  await expect(page.getByTestId('spec-json')).toContainText('"kind": "pipeline"');
  await expect(run).toBeEnabled();

  await run.click();
  const panel = page.getByTestId('workers-panel');
  await expect(panel).toBeVisible();
  await expect(panel.locator('.worker-card')).toHaveCount(3);
  await expect(page.getByTestId('worker-0-stage')).toContainText('FIRE relaxation');
  await expect(page.getByTestId('worker-1-stage')).toContainText('Langevin NVT 85 K');
  await expect(page.getByTestId('worker-2-stage')).toContainText('NVE production');
  await expect(page.getByTestId('end-reason')).toHaveText('(completed)', { timeout: 90_000 });

  // Every system reached the end once; each worker saw all of them pass, and its batch fill moved.
  expect(await readInt(page.getByTestId('workers-delivered'))).toBe(COUNT);
  for (const w of [0, 1, 2]) {
    expect(await readInt(page.getByTestId(`worker-${w}-sent`))).toBe(COUNT);
    await expect(page.getByTestId(`worker-${w}-state`)).toHaveText('done');
    const [low, high] = await residentRange(page, w);
    expect(high).toBeGreaterThan(low);
    expect(high).toBeLessThanOrEqual(4);
  }
  expect(await readInt(page.getByTestId('worker-0-received'))).toBe(COUNT);
  await expect(page.getByTestId('workers-duplicates')).toHaveCount(0);
  await expect(page.getByTestId('error-banner')).toHaveCount(0);

  // Keyboard: each worker card is reachable and says what it shows.
  const card = page.getByTestId('worker-1');
  await card.focus();
  await expect(card).toBeFocused();
  await expect(card).toHaveAttribute('aria-label', /Worker 2, stage 2 Langevin NVT 85 K: done/);
  await page.screenshot({ path: 'test-results/pipeline-page.png', fullPage: true });
  expect(errors).toEqual([]);
});
