/**
 * Accessibility of the whole page: axe-core (WCAG 2 A and AA rules) in the page's main states, and
 * every interactive control reachable with Tab, each with a visible focus style.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';

/** axe-core's violations, one readable line per failing element. */
async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return result.violations.flatMap((v) =>
    v.nodes.map(
      (n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.split('\n').join(' ')}`,
    ),
  );
}

test('axe finds no WCAG 2 A/AA violations: loaded, invalid, shortcut list open, after a run', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('run')).toBeEnabled();
  expect(await axeViolations(page), 'loaded').toEqual([]);

  await page.getByTestId('field-stages[0].dt').fill('-1');
  await expect(page.getByTestId('issue-stages[0].dt')).toBeVisible();
  expect(await axeViolations(page), 'with a validation error').toEqual([]);
  await page.getByTestId('field-stages[0].dt').fill('5');

  await page.getByTestId('show-shortcuts').click();
  await expect(page.getByTestId('shortcut-help')).toBeVisible();
  expect(await axeViolations(page), 'shortcut list open').toEqual([]);
  await page.keyboard.press('Escape');

  await page.getByTestId('run').click();
  await expect.poll(async () => Number(await page.getByTestId('step').textContent())).toBeGreaterThan(0);
  await page.getByTestId('stop').click();
  await expect(page.getByTestId('run')).toBeEnabled();
  expect(await axeViolations(page), 'after a run').toEqual([]);
});

test('Tab reaches every interactive control, and each shows a visible focus style', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('run')).toBeEnabled();
  // Number every control a person could operate (enabled, rendered, not inside a closed <details>).
  const total = await page.evaluate(() => {
    const selector =
      'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
    let n = 0;
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      const disabled = (el as HTMLButtonElement).disabled === true;
      const rendered = el.getClientRects().length > 0;
      const closed = el.closest('details:not([open])') && el.tagName !== 'SUMMARY';
      if (disabled || !rendered || closed || el.closest('[inert], dialog:not([open])')) continue;
      el.dataset.a11yControl = String(n++);
    }
    return n;
  });
  expect(total).toBeGreaterThan(10);

  const reached = new Set<string>();
  const noFocusStyle: string[] = [];
  await page.locator('body').focus();
  for (let k = 0; k < total + 20 && reached.size < total; k++) {
    await page.keyboard.press('Tab');
    const seen = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const s = getComputedStyle(el);
      const outline = s.outlineStyle !== 'none' && Number.parseFloat(s.outlineWidth) > 0;
      const shadow = s.boxShadow !== 'none';
      return {
        id: el.dataset.a11yControl ?? null,
        label: `${el.tagName.toLowerCase()}[data-testid=${el.dataset.testid ?? ''}] ${el.getAttribute('aria-label') ?? el.textContent?.slice(0, 30) ?? ''}`,
        visible: el.matches(':focus-visible') && (outline || shadow),
      };
    });
    if (!seen) continue;
    if (seen.id !== null) reached.add(seen.id);
    if (!seen.visible) noFocusStyle.push(seen.label);
  }
  const missed = await page.evaluate(
    (ids) =>
      [...document.querySelectorAll<HTMLElement>('[data-a11y-control]')]
        .filter((el) => !ids.includes(el.dataset.a11yControl ?? ''))
        .map((el) => `${el.tagName.toLowerCase()}[data-testid=${el.dataset.testid ?? ''}]`),
    [...reached],
  );
  expect(missed, 'controls Tab never reached').toEqual([]);
  expect(noFocusStyle, 'controls without a visible focus style').toEqual([]);
});
