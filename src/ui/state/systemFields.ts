/**
 * The editable parameters of the system panel: random clusters (count, atoms range, element, mass,
 * density, distances, seed) and inflight batching (max systems, max atoms), with units from the
 * schema like the stage form's.
 */
import { BatchingSpec, ClustersSystemSpec, type PipelineSpecInput } from '../../io/spec.ts';
import { isRecord, objectFields, type ParamField } from './specFields.ts';

/** The clusters' parameters when the draft's system is `clusters`, else none. */
export function clustersFields(draft: PipelineSpecInput): ParamField[] {
  const system: unknown = draft.system;
  if (!isRecord(system) || system.kind !== 'clusters') return [];
  return objectFields('clusters', ClustersSystemSpec, system, ['system']);
}

/** The batching limits when the draft has batching, else none. */
export function batchingFields(draft: PipelineSpecInput): ParamField[] {
  const batching: unknown = draft.batching;
  if (!isRecord(batching)) return [];
  return objectFields('batching', BatchingSpec, batching, ['batching']);
}
