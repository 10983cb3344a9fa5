/** Headless Chromium backend: WebGPU in the system Chromium (SwiftShader where there is no GPU). */
import { existsSync } from 'node:fs';
import { chromiumPath } from '../../../scripts/chromium.ts';
import type { EngineEvent } from '../../engine/api.ts';
import type { Evaluation, RunOutcome } from '../../engine/evaluate.ts';
import { fromPlain, toPlain } from '../../io/plainData.ts';
import { openHeadlessPage } from '../headless.ts';
import type { CliPageApi } from '../page.ts';
import type { CliBackend } from './backend.ts';
import { EVALUATION_SKIN } from './backend.ts';

type PageGlobals = typeof globalThis & { mdCli?: CliPageApi };

export async function chromiumBackend(): Promise<CliBackend> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`);
  }
  const pageLog: string[] = [];
  const headless = await openHeadlessPage('/src/cli/page.html', (line) => pageLog.push(line));
  const { page } = headless;
  let listener: (e: EngineEvent) => void = () => {};
  await page.exposeFunction('mdCliEvent', (e: EngineEvent) => listener(e));
  try {
    await page.waitForFunction(() => (globalThis as PageGlobals).mdCli !== undefined, undefined, {
      timeout: 60_000,
    });
  } catch {
    await headless.close();
    throw new Error(`the headless page did not start:\n${pageLog.join('\n')}`);
  }
  let adapter: string;
  try {
    adapter = await page.evaluate(() => (globalThis as PageGlobals).mdCli!.adapter());
  } catch (e) {
    await headless.close();
    throw new Error(`Chromium has no WebGPU here: ${(e as Error).message}`);
  }
  return {
    name: 'chromium',
    adapter: `Chromium: ${adapter}`,
    async evaluate(batch, potential, tables, gnnModel) {
      const args = {
        batch: toPlain(batch),
        potential,
        tables: toPlain(tables ?? null),
        skin: EVALUATION_SKIN,
        gnnModel: toPlain(gnnModel ?? null),
      };
      return (await page.evaluate(
        (a) =>
          (globalThis as PageGlobals).mdCli!.evaluate(a.batch, a.potential, a.tables, a.skin, a.gnnModel),
        args,
      )) as Evaluation;
    },
    async run(spec, batch, tables, onEvent, gnnModel) {
      listener = onEvent;
      const args = {
        spec,
        batch: toPlain(batch),
        tables: toPlain(tables ?? null),
        gnnModel: toPlain(gnnModel ?? null),
      };
      const out = await page.evaluate(
        (a) => (globalThis as PageGlobals).mdCli!.run(a.spec, a.batch, a.tables, a.gnnModel),
        args,
      );
      return fromPlain<RunOutcome>(out);
    },
    close: () => headless.close(),
  };
}
