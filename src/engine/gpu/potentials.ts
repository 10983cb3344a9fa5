/**
 * Which {@link GpuPotential} serves each potential kind, and each potential's interaction range.
 * One switch per question, so that adding a potential is one case here plus its own files.
 */
import type { PotentialSpec } from '../../io/spec.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import { createGpuEam } from './eam.ts';
import { createGpuLennardJones, createGpuMorse } from './pairPotential.ts';
import type { GpuPotential, GpuPotentialContext } from './potential.ts';

/** Cutoff of the potential, Å (EAM: the tables' cutoff, as LAMMPS's `cutmax`). */
export function potentialCutoff(spec: PotentialSpec, tables?: EamTabulation): number {
  switch (spec.kind) {
    case 'lennard-jones':
    case 'morse':
      return spec.cutoff;
    case 'eam':
      if (!tables) throw new Error('an EAM potential needs its tables (eamTabulation of its file)');
      return tables.cutoff;
  }
}

/** Builds the GPU potential for `spec`; throws for kinds the GPU does not have yet. */
export async function createGpuPotential(
  context: GpuPotentialContext,
  spec: PotentialSpec,
  tables?: EamTabulation,
): Promise<GpuPotential> {
  switch (spec.kind) {
    case 'lennard-jones':
      return createGpuLennardJones(context, spec);
    case 'morse':
      return createGpuMorse(context, spec);
    case 'eam':
      if (!tables) throw new Error('an EAM potential needs its tables (eamTabulation of its file)');
      return createGpuEam(context, spec, tables);
  }
}
