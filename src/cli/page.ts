/**
 * The headless page of the CLI's Chromium backend: the same engine code as the workbench, driven from
 * Node through Playwright. Arguments and results cross as plain data (src/io/plainData.ts); run events
 * are forwarded to `globalThis.mdCliEvent`, which Node exposes.
 */
import type { EngineEvent } from '../engine/api.ts';
import type { Batch } from '../engine/batch.ts';
import { browserDomainLaunch } from '../engine/decomposition/launchBrowser.ts';
import { requestGpuDevice } from '../engine/device.ts';
import { evaluateOn, runInput, runOn } from '../engine/evaluate.ts';
import { createGpuEngine } from '../engine/gpu/engine.ts';
import { browserPipelineLaunch } from '../engine/pipeline/browserLaunch.ts';
import type { EamTabulation } from '../engine/potentials/eamTabulation.ts';
import { engineBatch } from '../engine/runner.ts';
import type { GnnModel } from '../io/gnnWeights.ts';
import { fromPlain, toPlain } from '../io/plainData.ts';
import type { PotentialSpec } from '../io/spec.ts';
import { parseSpecAllowingOneRank, runDomain } from './domainRun.ts';
import { runPipeline } from './pipelineRun.ts';

/** What the page offers to Node. */
export interface CliPageApi {
  adapter(): Promise<string>;
  evaluate(
    batch: unknown,
    potential: unknown,
    tables: unknown,
    skin: number,
    gnnModel?: unknown,
  ): Promise<unknown>;
  run(spec: unknown, batch: unknown, tables: unknown, gnnModel?: unknown): Promise<unknown>;
}

type Globals = typeof globalThis & { mdCli?: CliPageApi; mdCliEvent?: (e: unknown) => Promise<void> };
const g = globalThis as Globals;
const ready = requestGpuDevice();

g.mdCli = {
  async adapter() {
    return (await ready).adapter;
  },
  async evaluate(plainBatch, potential, plainTables, skin, plainModel) {
    const { device } = await ready;
    const batch = fromPlain<Batch>(plainBatch);
    const tables = fromPlain<EamTabulation | null>(plainTables);
    const gnnModel = fromPlain<GnnModel | null>(plainModel ?? null);
    const engine = await createGpuEngine(device, batch, potential as PotentialSpec, {
      skin,
      ...(tables ? { tables } : {}),
      ...(gnnModel ? { gnnModel } : {}),
    });
    try {
      return await evaluateOn(engine, batch);
    } finally {
      engine.destroy();
    }
  },
  async run(plainSpec, plainBatch, plainTables, plainModel) {
    const { device } = await ready;
    // A 1×1×1 domain grid is accepted here: the decomposition benchmark's 1-rank baseline.
    const spec = parseSpecAllowingOneRank(plainSpec);
    const batch = fromPlain<Batch>(plainBatch);
    const tables = fromPlain<EamTabulation | null>(plainTables);
    const gnnModel = fromPlain<GnnModel | null>(plainModel ?? null);
    // Frames and snapshots travel at the end; only the events that drive the progress bar (and the
    // pipeline's deliveries and failures) stream.
    const forward = (e: EngineEvent) => {
      if (
        e.type === 'log' ||
        e.type === 'stage' ||
        e.type === 'end' ||
        e.type === 'converged' ||
        e.type === 'batch' ||
        e.type === 'delivered' ||
        e.type === 'worker-failed' ||
        e.type === 'rank'
      )
        void g.mdCliEvent?.(e);
    };
    if (spec.placement.kind === 'domain') {
      // One Web Worker per rank, each with its own device, coordinated from this page.
      return toPlain(
        await runDomain(spec, batch, tables ?? undefined, forward, browserDomainLaunch(), {
          ...(gnnModel ? { gnnModel } : {}),
        }),
      );
    }
    if (spec.placement.kind === 'pipeline') {
      // One Web Worker per segment, each with its own device, coordinated from this page.
      return toPlain(
        await runPipeline(
          spec,
          batch,
          tables ?? undefined,
          forward,
          browserPipelineLaunch(),
          gnnModel ?? undefined,
        ),
      );
    }
    const engine = await createGpuEngine(device, engineBatch(batch, spec.batching), spec.potential, {
      skin: spec.neighbor.skin,
      ...(tables ? { tables } : {}),
      ...(gnnModel ? { gnnModel } : {}),
    });
    try {
      return toPlain(await runOn(engine, runInput(spec, batch), forward));
    } finally {
      engine.destroy();
    }
  },
};
