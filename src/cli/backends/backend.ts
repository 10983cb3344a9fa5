/** What every CLI backend does: evaluate a structure once, or run a pipeline. */
import type { EngineListener } from '../../engine/api.ts';
import type { Batch } from '../../engine/batch.ts';
import type { Evaluation, RunOutcome } from '../../engine/evaluate.ts';
import type { EamTabulation } from '../../engine/potentials/eamTabulation.ts';
import type { GnnModel } from '../../io/gnnWeights.ts';
import type { PipelineSpec, PotentialSpec } from '../../io/spec.ts';

export type BackendName = 'chromium' | 'dawn' | 'reference';

export interface CliBackend {
  readonly name: BackendName;
  /** Adapter or machine description for the report. */
  readonly adapter: string;
  /** EAM needs its `tables`, a GNN its `gnnModel`. */
  evaluate(
    batch: Batch,
    potential: PotentialSpec,
    tables?: EamTabulation,
    gnnModel?: GnnModel,
  ): Promise<Evaluation>;
  run(
    spec: PipelineSpec,
    batch: Batch,
    tables: EamTabulation | undefined,
    listener: EngineListener,
    gnnModel?: GnnModel,
  ): Promise<RunOutcome>;
  close(): Promise<void>;
}

/** Skin of the neighbor list for a single evaluation, Å (no atom moves). */
export const EVALUATION_SKIN = 0.01;
