import { expect, test } from '@playwright/test';
import { collectPageErrors } from './helpers.ts';

test('an invalid dt is explained next to its field and disables Run until fixed', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  const run = page.getByTestId('run');
  await expect(run).toBeEnabled();

  const dt = page.getByTestId('field-stages[0].dt');
  await expect(dt).toHaveValue('5');
  await dt.fill('-1');
  const issue = page.getByTestId('issue-stages[0].dt');
  await expect(issue).toHaveText('stages[0].dt: must be > 0 fs');
  await expect(dt).toHaveAttribute('aria-invalid', 'true');
  await expect(run).toBeDisabled();
  // The JSON view shows the draft being edited.
  await expect(page.getByTestId('spec-json')).toContainText('"dt": -1');

  // Other fields keep their values (nothing lost) and Run comes back once the field is fixed.
  await page.getByTestId('node-stages[1]').click(); // the inspector shows the selected stage
  await expect(page.getByTestId('field-stages[1].temperature')).toHaveValue('85');
  await page.getByTestId('node-stages[0]').click();
  await dt.fill('2.5');
  await expect(issue).toHaveCount(0);
  await expect(run).toBeEnabled();
  await expect(page.getByTestId('spec-json')).toContainText('"dt": 2.5');

  // Text that is not a number names the unit too.
  await page.getByTestId('node-stages[1]').click();
  const friction = page.getByTestId('field-stages[1].friction');
  await friction.fill('abc');
  await expect(page.getByTestId('issue-stages[1].friction')).toContainText('stages[1].friction:');
  await expect(page.getByTestId('issue-stages[1].friction')).toContainText('1/fs');
  await expect(run).toBeDisabled();
  await friction.fill('0.01');
  await expect(run).toBeEnabled();
  expect(errors).toEqual([]);
});
