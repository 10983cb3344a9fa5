/**
 * Builds the batch described by a system spec.
 */
import type { SystemSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import { buildClusters } from './clusters.ts';
import { buildFcc } from './fcc.ts';

export { buildClusters } from './clusters.ts';
export { concatenateBatches } from './concatenate.ts';
export { buildFcc, setMaxwellBoltzmann } from './fcc.ts';
export { mulberry32, randomPositions } from './random.ts';

/** The batch described by `spec` (one system, or one per cluster), deterministic in the spec's seed. */
export function buildSystem(spec: SystemSpec): Batch {
  switch (spec.kind) {
    case 'fcc':
      return buildFcc(spec);
    case 'clusters':
      return buildClusters(spec);
    case 'file':
      throw new Error(
        `system ${spec.file} is a structure file: its atoms must be given with the spec (as a batch)`,
      );
  }
}
