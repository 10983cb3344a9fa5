import { expect, type Page, test } from '@playwright/test';
import { node } from './composerFlow.ts';
import { collectPageErrors } from './helpers.ts';

/** The unit shown next to the field `key`. */
const unitOf = (page: Page, key: string) =>
  page.locator('.field', { has: page.getByTestId(`field-${key}`) }).locator('.unit');

test('the composer fuses stages and edits sub-stages, hooks and criteria with inline validation', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  const run = page.getByTestId('run');
  await expect(run).toBeEnabled();
  await expect(page.getByTestId('stage-list').locator('li')).toHaveCount(3);

  // FIRE + Langevin fused by their link: one segment whose max steps is the sum of their budgets.
  await page.getByTestId('link-0').click();
  await expect(node(page, 'stages[0]')).toHaveAttribute('aria-label', 'Fused stage 1: FIRE + LANGEVIN');
  await expect(page.getByTestId('inspector')).toContainText('FIRE + LANGEVIN');
  await expect(page.getByTestId('field-stages[0].steps')).toHaveValue('4000');
  await node(page, 'stages[0].stages[1]').click();
  await expect(page.getByTestId('field-stages[0].stages[1].temperature')).toHaveValue('85');
  await expect(page.getByTestId('spec-json')).toContainText('"kind": "fused"');
  await expect(run).toBeEnabled();

  // The exit status is checked against the number of sub-stages; empty means the default.
  await node(page, 'stages[0]').click();
  const exit = page.getByTestId('field-stages[0].exitStatus');
  await exit.fill('3');
  await expect(page.getByTestId('issue-stages[0].exitStatus')).toHaveText(
    'stages[0].exitStatus: must be ≤ 2 (the number of sub-stages)',
  );
  await expect(run).toBeDisabled();
  await exit.fill('');
  await expect(page.getByTestId('issue-stages[0].exitStatus')).toHaveCount(0);
  await expect(run).toBeEnabled();

  // A sub-stage's parameter is validated at its own field.
  await node(page, 'stages[0].stages[1]').click();
  const subDt = page.getByTestId('field-stages[0].stages[1].dt');
  await subDt.fill('abc');
  await expect(page.getByTestId('issue-stages[0].stages[1].dt')).toContainText('fs');
  await expect(run).toBeDisabled();
  await subDt.fill('2');
  await expect(run).toBeEnabled();

  // A timing hook on the NVE stage: its period in steps, validated, removable.
  await node(page, 'stages[1]').click();
  await page.getByTestId('add-stages[1].hooks').selectOption('timing');
  const every = page.getByTestId('field-stages[1].hooks[2].every');
  await expect(every).toHaveValue('100');
  await expect(unitOf(page, 'stages[1].hooks[2].every')).toHaveText('steps');
  await every.fill('0');
  await expect(page.getByTestId('issue-stages[1].hooks[2].every')).toContainText('must be ≥ 1');
  await expect(run).toBeDisabled();
  await page.getByTestId('remove-stages[1].hooks[2]').click();
  await expect(every).toHaveCount(0);
  await expect(run).toBeEnabled();

  // A threshold criterion takes the unit of its quantity.
  await node(page, 'stages[0].stages[0]').click();
  await page.getByTestId('add-stages[0].stages[0].convergence').selectOption('threshold');
  await expect(unitOf(page, 'stages[0].stages[0].convergence[1].value')).toHaveText('eV/Å');
  await page.getByTestId('field-stages[0].stages[0].convergence[1].quantity').selectOption('temperature');
  await expect(unitOf(page, 'stages[0].stages[0].convergence[1].value')).toHaveText('K');

  // A freeze hook with no atoms is explained at its atom list.
  await node(page, 'stages[1]').click();
  await page.getByTestId('add-stages[1].hooks').selectOption('freeze');
  const atoms = page.getByTestId('field-stages[1].hooks[2].atoms');
  await atoms.fill('');
  await expect(page.getByTestId('issue-stages[1].hooks[2].atoms')).toContainText(
    'name at least one atom or type',
  );
  await atoms.fill('0, 5');
  await expect(page.getByTestId('spec-json')).toContainText('"atoms": [\n');
  await expect(run).toBeEnabled();

  // Split back: three stages again.
  await node(page, 'stages[0]').click();
  await page.getByTestId('split-group').click();
  await expect(node(page, 'stages[2]')).toBeVisible();
  await node(page, 'stages[1]').click();
  await expect(page.getByTestId('field-stages[1].temperature')).toHaveValue('85');
  expect(errors).toEqual([]);
});

test('random clusters with inflight batching run through a fused FIRE + NVE stage; counts follow', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('run')).toBeEnabled();

  // Clusters: count and size range, validated.
  await page.getByTestId('system-kind').selectOption('clusters');
  await page.getByTestId('field-system.count').fill('6');
  await page.getByTestId('field-system.minAtoms').fill('13');
  await page.getByTestId('field-system.maxAtoms').fill('8');
  await expect(page.getByTestId('issue-system.maxAtoms')).toHaveText(
    'system.maxAtoms: minAtoms must be ≤ maxAtoms',
  );
  await page.getByTestId('field-system.maxAtoms').fill('20');
  await expect(page.getByTestId('issue-system.maxAtoms')).toHaveCount(0);

  // Batching: 2 systems at a time; a max atoms below the largest cluster is flagged.
  await page.getByTestId('batching').check();
  await expect(page.getByTestId('field-batching.maxSystems')).toHaveValue('2');
  const maxAtoms = page.getByTestId('field-batching.maxAtoms');
  await expect(maxAtoms).toHaveValue('40');
  await maxAtoms.fill('10');
  await expect(page.getByTestId('batching-problem')).toContainText('must be ≥ 20');
  await maxAtoms.fill('0');
  await expect(page.getByTestId('issue-batching.maxAtoms')).toContainText('must be ≥ 1');
  await maxAtoms.fill('40');
  await expect(page.getByTestId('batching-problem')).toHaveCount(0);

  // Pipeline: FIRE (300 steps) fused with a new NVE stage (100 steps), timing on the fused stage.
  await node(page, 'stages[2]').click();
  await page.getByTestId('remove-node').click();
  await node(page, 'stages[1]').click();
  await page.getByTestId('remove-node').click();
  await node(page, 'stages[0]').click();
  await page.getByTestId('field-stages[0].steps').fill('300');
  // A palette button adds after the selected stage, and selects the new one.
  await page.getByTestId('palette-stage-nve').click();
  await page.getByTestId('field-stages[1].steps').fill('100');
  await page.getByTestId('link-0').click();
  await page.getByTestId('field-stages[0].steps').fill('5000');
  await page.getByTestId('add-stages[0].hooks').selectOption('timing');
  // Fusing made the sub-stages' log hooks one log hook of the fused stage.
  await expect(page.getByTestId('field-stages[0].hooks[0].every')).toHaveValue('10');
  await page.getByTestId('field-stages[0].hooks[1].every').fill('20');
  await node(page, 'stages[0].stages[1]').click();
  await page.getByTestId('add-stages[0].stages[1].hooks').selectOption('energy-drift');
  await page.getByTestId('field-stages[0].stages[1].hooks[0].tolerance').fill('1e-9');
  await page.getByTestId('field-stages[0].stages[1].hooks[0].every').fill('20');

  const run = page.getByTestId('run');
  await expect(run).toBeEnabled();
  await run.click();
  await expect(page.getByTestId('systems')).toContainText('6');
  await expect(page.getByTestId('stage-list').locator('.sub-stages li')).toHaveCount(2);
  await expect(page.getByTestId('end-reason')).toHaveText('(completed)', { timeout: 240_000 });
  await expect(page.getByTestId('segment-counts-0')).toContainText('6 done');
  await expect(page.getByTestId('node-counts-stages[0]')).toContainText('6 done');
  await expect(page.getByTestId('batch')).toContainText('waiting');
  await expect(page.getByTestId('warnings')).toContainText('energy-drift');
  await expect(page.getByTestId('ms-per-step')).toHaveText(/^\d+\.\d+$/);

  // Plots by system id.
  await page.getByTestId('plots-per-system').check();
  await expect(page.getByTestId('energy-plot')).toHaveAttribute('data-systems', '6');
  await expect(page.getByTestId('max-force-plot')).toHaveAttribute('data-systems', '6');
  // Against the step counter (FIRE steps take no simulated time).
  await page.getByTestId('plots-x').selectOption('step');
  await expect(page.getByTestId('energy-plot')).toHaveAttribute('data-systems', '6');
  await page.screenshot({ path: 'test-results/stages-clusters-page.png', fullPage: true });
  expect(errors).toEqual([]);
});
