import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import {
  buildFusedPipeline,
  dragTo,
  node,
  nodeKinds,
  paletteCriterion,
  paletteHook,
  runUntilMigrated,
  useSmallClusters,
} from './composerFlow.ts';
import { collectPageErrors } from './helpers.ts';

test.use({ viewport: { width: 1400, height: 1000 } });

test('drag and drop: FIRE fused with Langevin, piped into NVE, with a criterion and a snapshot; systems migrate', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('run')).toBeEnabled();
  await useSmallClusters(page);
  await buildFusedPipeline(page);
  await expect(page.getByTestId('spec-json')).toContainText('"kind": "fused"');
  await runUntilMigrated(page);
  expect(errors).toEqual([]);
});

test('reorders by dragging and drags a stage out of a fused group', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('run')).toBeEnabled();
  expect(await nodeKinds(page)).toEqual(['FIRE', 'LANGEVIN', 'NVE']);
  // NVE to the front.
  expect(await dragTo(page, node(page, 'stages[2]'), page.getByTestId('gap-0'))).toBe(
    'Pipe in before FIRE relaxation',
  );
  expect(await nodeKinds(page)).toEqual(['NVE', 'FIRE', 'LANGEVIN']);
  await expect(node(page, 'stages[0]')).toHaveAttribute('aria-current', 'true');
  // Fuse FIRE and Langevin with their link, then drag FIRE out of the group to the end.
  await page.getByTestId('link-1').click();
  expect(await nodeKinds(page)).toEqual(['NVE', 'fused', 'FIRE', 'LANGEVIN']);
  await dragTo(page, node(page, 'stages[1].stages[0]'), page.getByTestId('gap-2'));
  expect(await nodeKinds(page)).toEqual(['NVE', 'LANGEVIN', 'FIRE']);
  await expect(page.getByTestId('composer-announce')).toContainText('FIRE relaxation: Pipe in after');
  // A refused drop says why and changes nothing.
  await page.getByTestId('link-0').click();
  const refused = await dragTo(page, paletteCriterion(page, 'max-force'), node(page, 'stages[0]'));
  expect(refused).toBe(
    'A fused stage has no criteria of its own: drop the criterion onto one of its sub-stages',
  );
  await expect(page.getByTestId('composer-announce')).toContainText('Not dropped');
  expect(await nodeKinds(page)).toEqual(['fused', 'NVE', 'LANGEVIN', 'FIRE']);
  await expect(page.getByTestId('run')).toBeEnabled();
  expect(errors).toEqual([]);
});

test('keyboard only: remove, add a two-stage pipe, move, fuse and split, with a visible focus', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('run')).toBeEnabled();
  await node(page, 'stages[0]').focus();
  for (let k = 0; k < 3; k++) await page.keyboard.press('Delete');
  expect(await nodeKinds(page)).toEqual([]);
  await expect(page.getByTestId('node-issues-pipeline')).toHaveText('stages: needs at least one stage');
  await expect(page.getByTestId('composer-problems')).toHaveText('1 problem');
  await expect(page.getByTestId('run')).toBeDisabled();

  await page.getByTestId('palette-stage-fire').focus();
  await page.keyboard.press('Enter');
  // Back to the NVE button (the first of the palette) and add it after the selected FIRE.
  for (let k = 0; k < 3; k++) await page.keyboard.press('Shift+Tab');
  await expect(page.getByTestId('palette-stage-nve')).toBeFocused();
  await page.keyboard.press('Enter');
  expect(await nodeKinds(page)).toEqual(['FIRE', 'NVE']);
  await expect(page.getByTestId('run')).toBeEnabled();
  await expect(page.getByTestId('composer-announce')).toHaveText('Added NVE as stage 2');

  // Nodes: arrows move the focus, Alt+arrows move the node; the focus ring is visible.
  await node(page, 'stages[0]').focus();
  await page.keyboard.press('ArrowRight');
  const link = page.getByTestId('link-0');
  await expect(link).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(node(page, 'stages[1]')).toBeFocused();
  expect(await node(page, 'stages[1]').evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
  await page.keyboard.press('Alt+ArrowLeft');
  expect(await nodeKinds(page)).toEqual(['NVE', 'FIRE']);
  await expect(node(page, 'stages[0]')).toBeFocused();
  await expect(page.getByTestId('composer-announce')).toHaveText('Moved NVE to stage 1');
  // The link toggles: Enter fuses, Enter on the fuse link pipes again.
  await link.focus();
  await page.keyboard.press('Enter');
  expect(await nodeKinds(page)).toEqual(['fused', 'NVE', 'FIRE']);
  await page.getByTestId('fuse-link-0-0').focus();
  await page.keyboard.press('Enter');
  expect(await nodeKinds(page)).toEqual(['NVE', 'FIRE']);
  // Hooks from the palette go to the selected stage.
  await node(page, 'stages[1]').focus();
  await page.keyboard.press('Enter');
  await paletteHook(page, 'timing').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('chip-stages[1].hooks[1]')).toHaveText('timing');
  expect(errors).toEqual([]);
});

test('each graph and field problem is explained on its node and clears when fixed', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  const run = page.getByTestId('run');
  await expect(run).toBeEnabled();

  // A converged snapshot on a stage without criteria never fires.
  await dragTo(page, paletteHook(page, 'converged-snapshot'), node(page, 'stages[2]'));
  const nveIssues = page.getByTestId('node-issues-stages[2]');
  await expect(nveIssues).toHaveText(
    'hooks[2]: never fires: this stage has no convergence criterion (add one, or use a snapshot hook)',
  );
  await expect(node(page, 'stages[2]')).toHaveClass(/invalid/);
  await expect(run).toBeDisabled();
  await page.getByTestId('composer-problems').click();
  await expect(node(page, 'stages[2]')).toBeFocused();
  await dragTo(page, paletteCriterion(page, 'step-budget'), node(page, 'stages[2]'));
  await expect(nveIssues).toHaveCount(0);
  await expect(run).toBeEnabled();

  // A fused stage whose max steps is below its first sub-stage's budget.
  await page.getByTestId('link-0').click();
  const steps = page.getByTestId('field-stages[0].steps');
  await steps.fill('100');
  const groupIssues = page.getByTestId('node-issues-stages[0]');
  await expect(groupIssues).toContainText(
    'steps: max steps 100 is below the step budget of the first sub-stage',
  );
  await expect(page.getByTestId('issue-stages[0].steps')).toContainText('raise max steps to at least 2000');
  await expect(run).toBeDisabled();
  await steps.fill('5000');
  await expect(groupIssues).toHaveCount(0);
  // The schema's own messages: an exit status past the sub-stages, on the fused stage.
  await page.getByTestId('field-stages[0].exitStatus').fill('3');
  await expect(groupIssues).toHaveText('exitStatus: must be ≤ 2 (the number of sub-stages)');
  await page.getByTestId('field-stages[0].exitStatus').fill('');
  await expect(groupIssues).toHaveCount(0);
  // A sub-stage's field, on the sub-stage's node; the problems button focuses the field.
  await node(page, 'stages[0].stages[1]').click();
  await page.getByTestId('field-stages[0].stages[1].dt').fill('-1');
  await expect(page.getByTestId('node-issues-stages[0].stages[1]')).toHaveText('dt: must be > 0 fs');
  await expect(page.getByTestId('composer-problems')).toHaveText('1 problem');
  await node(page, 'stages[1]').click();
  await page.getByTestId('composer-problems').click();
  await expect(page.getByTestId('field-stages[0].stages[1].dt')).toBeFocused();
  await page.getByTestId('field-stages[0].stages[1].dt').fill('2');
  await expect(page.getByTestId('node-issues-stages[0].stages[1]')).toHaveCount(0);
  await expect(run).toBeEnabled();
  expect(errors).toEqual([]);
});

test('the composer and its inspector pass axe', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('run')).toBeEnabled();
  await page.getByTestId('link-0').click();
  const results = await new AxeBuilder({ page })
    .include('[data-testid="composer"]')
    .include('[data-testid="inspector"]')
    .analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
});

test('under pipeline placement a pipe link shows its capacities, and a link count that no longer fits is explained', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('run')).toBeEnabled();
  await useSmallClusters(page);
  await page.getByTestId('placement').selectOption('pipeline');
  await page.getByTestId('link-select-1').click();
  await expect(page.getByTestId('inspector').getByTestId('link-capacity-1')).toBeVisible();
  // Removing a stage leaves one link too many: explained on the pipeline, Run disabled until matched.
  await node(page, 'stages[2]').click();
  await page.getByTestId('remove-node').click();
  await expect(page.getByTestId('node-issues-pipeline')).toContainText('placement.links');
  await expect(page.getByTestId('run')).toBeDisabled();
  await page.getByTestId('match-links').click();
  await expect(page.getByTestId('node-issues-pipeline')).toHaveCount(0);
  await expect(page.getByTestId('run')).toBeEnabled();
  expect(errors).toEqual([]);
});
