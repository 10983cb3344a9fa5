/**
 * Builds the batch described by a system spec.
 */
import type { SystemSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import { buildFcc } from './fcc.ts';

export { concatenateBatches } from './concatenate.ts';
export { buildFcc, setMaxwellBoltzmann } from './fcc.ts';
export { mulberry32, randomPositions } from './random.ts';

/** The batch (one system) described by `spec`, deterministic in the spec's seed. */
export function buildSystem(spec: SystemSpec): Batch {
  switch (spec.kind) {
    case 'fcc':
      return buildFcc(spec);
    case 'file':
      throw new Error(
        `system ${spec.file} is a structure file: its atoms must be given with the spec (as a batch)`,
      );
  }
}
