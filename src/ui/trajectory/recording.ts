/**
 * Which snapshot hooks of a spec write to Zarr, and the edits that switch them: the page's "Record
 * snapshots to Zarr" option sets `sink` on every snapshot hook of the chain (sub-stages included).
 */
import type { PipelineSpecInput } from '../../io/spec.ts';
import type { PathSegment } from '../state/specFields.ts';

/** A snapshot hook of a spec draft: its path and where it writes. */
export interface SnapshotHookEntry {
  path: PathSegment[];
  kind: 'snapshot' | 'converged-snapshot';
  sink: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Every snapshot and converged-snapshot hook of a draft (valid or not), in chain order. */
export function snapshotHooks(draft: PipelineSpecInput): SnapshotHookEntry[] {
  const out: SnapshotHookEntry[] = [];
  const take = (hooks: unknown, path: PathSegment[]) => {
    if (!Array.isArray(hooks)) return;
    hooks.forEach((h: unknown, j) => {
      if (!isRecord(h) || (h.kind !== 'snapshot' && h.kind !== 'converged-snapshot')) return;
      out.push({
        path: [...path, 'hooks', j],
        kind: h.kind,
        sink: typeof h.sink === 'string' ? h.sink : 'host',
      });
    });
  };
  const stages: unknown = draft.stages;
  if (!Array.isArray(stages)) return out;
  stages.forEach((segment: unknown, i) => {
    if (!isRecord(segment)) return;
    take(segment.hooks, ['stages', i]);
    if (segment.kind === 'fused' && Array.isArray(segment.stages)) {
      segment.stages.forEach((sub: unknown, k) => {
        if (isRecord(sub)) take(sub.hooks, ['stages', i, 'stages', k]);
      });
    }
  });
  return out;
}

/** Whether the draft records to Zarr: some snapshot hook writes to Zarr or to a GPU ring drained into it. */
export function recordsTrajectory(draft: PipelineSpecInput): boolean {
  return snapshotHooks(draft).some((h) => h.sink === 'zarr' || h.sink === 'gpu-ring');
}

/** The `sink` edits that make every snapshot hook write to Zarr (`record`) or to host memory. */
export function recordingEdits(
  draft: PipelineSpecInput,
  record: boolean,
): { path: PathSegment[]; value: string }[] {
  return snapshotHooks(draft)
    .filter((h) => (record ? h.sink === 'host' : h.sink === 'zarr'))
    .map((h) => ({ path: [...h.path, 'sink'], value: record ? 'zarr' : 'host' }));
}
