/**
 * One entry point for every f64 reference potential, driven by the pipeline spec's potential.
 */
import { checkElements, type GnnModel } from '../../io/gnnWeights.ts';
import type { PotentialSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import { eamReference } from './eam.ts';
import type { ForceResult } from './forceResult.ts';
import { gnnReference } from './gnn.ts';
import { lennardJonesReference } from './lennardJones.ts';
import { morseReference } from './morse.ts';

/**
 * The batch with its potential types (indices into the GNN spec's `elements`) replaced by model
 * types (indices into the model's elements; −1 stays NULL), as {@link gnnReference} reads them.
 * @throws Error naming elements the model lacks, or an atom whose type the spec does not map.
 */
export function gnnModelTypes(batch: Batch, elements: readonly string[], model: GnnModel): Batch {
  const typeMap = checkElements(model, elements);
  if (typeMap.every((t) => t < 0)) throw new Error('the GNN potential maps every type to NULL');
  const types = new Int32Array(batch.nAtoms);
  for (let i = 0; i < batch.nAtoms; i++) {
    const t = batch.types[i]!;
    if (t === -1) {
      types[i] = -1;
      continue;
    }
    const m = typeMap[t];
    if (!Number.isInteger(t) || m === undefined) {
      throw new Error(
        `atom ${i} has type ${t}, but the GNN potential maps ${typeMap.length} types (0 … ${typeMap.length - 1}; −1 is NULL)`,
      );
    }
    types[i] = m;
  }
  return { ...batch, types };
}

/**
 * Energies, forces, per-atom energies, virials and stress of `batch` under `potential`, f64.
 * EAM needs its `tables` (built by eamTabulation from the potential file(s) named in the spec);
 * a GNN needs its `gnnModel` (parseGnnWeights of the model's two files).
 */
export function evaluateReference(
  batch: Batch,
  potential: PotentialSpec,
  tables?: EamTabulation,
  gnnModel?: GnnModel,
): ForceResult {
  switch (potential.kind) {
    case 'lennard-jones':
      return lennardJonesReference(batch, potential);
    case 'morse':
      return morseReference(batch, potential);
    case 'eam':
      if (!tables) throw new Error('an EAM potential needs its tables (eamTabulation of its file)');
      return eamReference(batch, tables);
    case 'gnn':
      if (!gnnModel)
        throw new Error(`a GNN potential needs its model (parseGnnWeights of ${potential.model})`);
      return gnnReference(gnnModelTypes(batch, potential.elements, gnnModel), gnnModel);
  }
}
