/** The f64 reference backend: exact, slow, needs nothing but Node. */
import { cpus } from 'node:os';
import { cellVolume } from '../../engine/cell.ts';
import { CpuEngine } from '../../engine/cpu/engine.ts';
import { runInput, runOn } from '../../engine/evaluate.ts';
import { evaluateReference } from '../../engine/reference/evaluate.ts';
import { engineBatch } from '../../engine/runner.ts';
import type { CliBackend } from './backend.ts';

export function referenceBackend(): CliBackend {
  return {
    name: 'reference',
    adapter: `f64 on ${cpus()[0]?.model.trim() ?? 'CPU'}`,
    async evaluate(batch, potential, tables, gnnModel) {
      // Straight from the reference, so the output keeps f64 precision.
      const r = evaluateReference(batch, potential, tables, gnnModel);
      const virial = Array.from({ length: batch.nSystems }, (_, s) =>
        Array.from(r.virial.subarray(9 * s, 9 * s + 9)),
      );
      return {
        backend: 'f64 reference',
        energy: Array.from(r.energy),
        energies: Array.from(r.energies),
        forces: Array.from(r.forces),
        virial,
        stress: virial.map((w, s) => {
          const v = cellVolume(batch.cells.subarray(9 * s, 9 * s + 9));
          return w.map((x) => -x / v);
        }),
      };
    },
    async run(spec, batch, tables, listener, gnnModel) {
      if (spec.placement.kind === 'domain') {
        // One worker_threads worker per rank, each with the f64 reference force field.
        const { nodeDomainLaunch } = await import('../../engine/decomposition/launchNode.ts');
        const { runDomain } = await import('../domainRun.ts');
        return runDomain(spec, batch, tables, listener, nodeDomainLaunch({ backend: 'cpu' }), {
          ...(gnnModel ? { gnnModel } : {}),
        });
      }
      if (spec.placement.kind === 'pipeline') {
        // One worker_threads worker per segment, each with its own f64 CPU engine.
        const { nodePipelineLaunch } = await import('../../engine/pipeline/nodeLaunch.ts');
        const { runPipeline } = await import('../pipelineRun.ts');
        return runPipeline(spec, batch, tables, listener, nodePipelineLaunch(), gnnModel);
      }
      const engine = new CpuEngine(engineBatch(batch, spec.batching), spec.potential, tables, gnnModel);
      return runOn(engine, runInput(spec, batch), listener);
    },
    async close() {},
  };
}
