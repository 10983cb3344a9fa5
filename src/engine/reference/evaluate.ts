/**
 * One entry point for every f64 reference potential, driven by the pipeline spec's potential.
 */
import type { PotentialSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import { eamReference } from './eam.ts';
import type { ForceResult } from './forceResult.ts';
import { lennardJonesReference } from './lennardJones.ts';
import { morseReference } from './morse.ts';

/**
 * Energies, forces, per-atom energies, virials and stress of `batch` under `potential`, f64.
 * EAM needs its `tables` (built by eamTabulation from the potential file(s) named in the spec).
 */
export function evaluateReference(
  batch: Batch,
  potential: PotentialSpec,
  tables?: EamTabulation,
): ForceResult {
  switch (potential.kind) {
    case 'lennard-jones':
      return lennardJonesReference(batch, potential);
    case 'morse':
      return morseReference(batch, potential);
    case 'eam':
      if (!tables) throw new Error('an EAM potential needs its tables (eamTabulation of its file)');
      return eamReference(batch, tables);
  }
}
