/**
 * The composer driven as a person would, with real pointer moves (page.mouse): drag helpers and the
 * build of FIRE fused with Langevin NVT, piped into NVE, with a criterion and a snapshot hook, on a
 * few random clusters with inflight batching. Other e2e tests extend the run from here.
 */
import { expect, type Locator, type Page } from '@playwright/test';

/** Where on the target to drop, as fractions of its box (0.5, 0.5: its centre). */
export interface DropPoint {
  x?: number;
  y?: number;
}

/**
 * Presses on `source`, moves the pointer in steps onto `target` (a drag ghost follows) and releases
 * it there. Returns the label the ghost showed over the target (what the drop does, or why not).
 */
export async function dragTo(
  page: Page,
  source: Locator,
  target: Locator,
  at: DropPoint = {},
): Promise<string> {
  await source.scrollIntoViewIfNeeded();
  const a = await source.boundingBox();
  if (!a) throw new Error('drag source not visible');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 12, a.y + a.height / 2 + 6, { steps: 3 });
  const b = await target.boundingBox();
  if (!b) throw new Error('drop target not visible');
  await page.mouse.move(b.x + b.width * (at.x ?? 0.5), b.y + b.height * (at.y ?? 0.5), { steps: 10 });
  const ghost = page.getByTestId('drag-ghost');
  await expect(ghost).toBeVisible();
  const label = (await ghost.locator('span').textContent()) ?? '';
  await page.mouse.up();
  await expect(ghost).toHaveCount(0);
  return label;
}

export const node = (page: Page, key: string) => page.getByTestId(`node-${key}`);
export const paletteStage = (page: Page, kind: string) => page.getByTestId(`palette-stage-${kind}`);
export const paletteHook = (page: Page, kind: string) => page.getByTestId(`palette-hook-${kind}`);
export const paletteCriterion = (page: Page, kind: string) => page.getByTestId(`palette-criterion-${kind}`);

/** The kinds of the canvas's nodes, e.g. `['fused', 'FIRE', 'LANGEVIN', 'NVE']`. */
export async function nodeKinds(page: Page): Promise<string[]> {
  return page.getByTestId('composer-canvas').locator('[data-node] .node-kind').allTextContents();
}

/** Removes every stage with the inspector's Remove button (the first stage is selected each time). */
export async function clearPipeline(page: Page): Promise<void> {
  const remove = page.getByTestId('remove-node');
  while ((await page.getByTestId('composer-canvas').locator('[data-node]').count()) > 0) await remove.click();
}

/** Six random clusters of 8–14 atoms, two resident at a time. */
export async function useSmallClusters(page: Page): Promise<void> {
  await page.getByTestId('system-kind').selectOption('clusters');
  await page.getByTestId('field-system.count').fill('6');
  await page.getByTestId('field-system.minAtoms').fill('8');
  await page.getByTestId('field-system.maxAtoms').fill('14');
  await page.getByTestId('batching').check();
  await expect(page.getByTestId('field-batching.maxSystems')).toHaveValue('2');
}

/**
 * By drag and drop: FIRE (30 steps), Langevin NVT (20 steps, step-budget criterion of 10 steps) fused
 * with it, piped into NVE (20 steps, a snapshot hook every 10 steps).
 */
export async function buildFusedPipeline(page: Page): Promise<void> {
  await clearPipeline(page);
  await expect(page.getByTestId('node-issues-pipeline')).toContainText('needs at least one stage');
  await dragTo(page, paletteStage(page, 'fire'), page.getByTestId('gap-0'));
  const fuse = await dragTo(page, paletteStage(page, 'langevin'), node(page, 'stages[0]'), { x: 0.85 });
  expect(fuse).toBe('Fuse after FIRE (shared force evaluation)');
  await dragTo(page, paletteStage(page, 'nve'), page.getByTestId('gap-1'));
  expect(await nodeKinds(page)).toEqual(['fused', 'FIRE', 'LANGEVIN', 'NVE']);
  await dragTo(page, paletteCriterion(page, 'step-budget'), node(page, 'stages[0].stages[1]'));
  await dragTo(page, paletteHook(page, 'snapshot'), node(page, 'stages[1]'));
  await expect(page.getByTestId('chip-stages[0].stages[1].convergence[0]')).toHaveText('step-budget');
  await expect(page.getByTestId('chip-stages[1].hooks[1]')).toHaveText('snapshot');

  await node(page, 'stages[0].stages[0]').click();
  await page.getByTestId('field-stages[0].stages[0].steps').fill('30');
  await node(page, 'stages[0].stages[1]').click();
  await page.getByTestId('field-stages[0].stages[1].steps').fill('20');
  await page.getByTestId('field-stages[0].stages[1].convergence[0].steps').fill('10');
  await node(page, 'stages[1]').click();
  await page.getByTestId('field-stages[1].steps').fill('20');
  await page.getByTestId('field-stages[1].hooks[1].every').fill('10');
  await expect(page.getByTestId('composer-problems')).toHaveCount(0);
  await expect(page.getByTestId('run')).toBeEnabled();
}

/** Runs and waits until the nodes' counters show the six systems through both segments. */
export async function runUntilMigrated(page: Page): Promise<void> {
  await page.getByTestId('run').click();
  const group = page.getByTestId('node-counts-stages[0]');
  const langevin = page.getByTestId('node-counts-stages[0].stages[1]');
  const nve = page.getByTestId('node-counts-stages[1]');
  // Systems wait for NVE while the fused stage still holds others: counters on both segments.
  await expect(nve).toContainText(/\d+ (waiting|active|done)/, { timeout: 60_000 });
  await expect(group).toContainText('6 done', { timeout: 60_000 });
  await expect(langevin).toContainText('6 converged');
  await expect(nve).toContainText('6 done', { timeout: 60_000 });
}
