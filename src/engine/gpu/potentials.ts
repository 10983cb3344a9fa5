/**
 * Which {@link GpuPotential} serves each potential kind, and each potential's interaction range.
 * One switch per question, so that adding a potential is one case here plus its own files.
 */
import type { GnnModel } from '../../io/gnnWeights.ts';
import type { PotentialSpec } from '../../io/spec.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import { createGpuEam } from './eam.ts';
import { createGpuGnn } from './gnn.ts';
import { createGpuLennardJones, createGpuMorse } from './pairPotential.ts';
import type { GpuPotential, GpuPotentialContext } from './potential.ts';

/** What the GPU engine runs: any {@link PotentialSpec} (the GNN included). */
export type GpuPotentialSpec = PotentialSpec;

/** Cutoff of the potential, Å (EAM: the tables' cutoff, as LAMMPS's `cutmax`; GNN: the model's rcut). */
export function potentialCutoff(spec: GpuPotentialSpec, tables?: EamTabulation, gnnModel?: GnnModel): number {
  switch (spec.kind) {
    case 'lennard-jones':
    case 'morse':
      return spec.cutoff;
    case 'eam':
      if (!tables) throw new Error('an EAM potential needs its tables (eamTabulation of its file)');
      return tables.cutoff;
    case 'gnn':
      if (!gnnModel) throw new Error(`a GNN potential needs its model (parseGnnWeights of ${spec.model})`);
      return gnnModel.config.rcut;
  }
}

/** Builds the GPU potential for `spec`; throws for kinds the GPU does not have yet. */
export async function createGpuPotential(
  context: GpuPotentialContext,
  spec: GpuPotentialSpec,
  tables?: EamTabulation,
  gnnModel?: GnnModel,
): Promise<GpuPotential> {
  switch (spec.kind) {
    case 'lennard-jones':
      return createGpuLennardJones(context, spec);
    case 'morse':
      return createGpuMorse(context, spec);
    case 'eam':
      if (!tables) throw new Error('an EAM potential needs its tables (eamTabulation of its file)');
      return createGpuEam(context, spec, tables);
    case 'gnn':
      if (!gnnModel) throw new Error(`a GNN potential needs its model (parseGnnWeights of ${spec.model})`);
      return createGpuGnn(context, spec, gnnModel);
  }
}
