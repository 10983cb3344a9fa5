/**
 * Rules about the shape of a pipeline that the schema (src/io/spec.ts) does not check, because each
 * part is valid on its own: the composer explains them on the node where the problem is, and they
 * keep Run disabled like any other issue (an invalid graph is explained, never silently fixed).
 */
import type { PipelineSpecInput, SpecIssue } from '../../io/spec.ts';
import { isRecord, pathKey } from '../state/specFields.ts';

const listOf = (v: unknown, name: string): unknown[] =>
  isRecord(v) && Array.isArray(v[name]) ? v[name] : [];
const numberOr = (v: unknown, fallback: number) =>
  typeof v === 'number' && Number.isFinite(v) ? v : fallback;

/** Converged-snapshot hooks of a stage that has no convergence criterion: they never fire. */
function silentConvergedSnapshots(stage: unknown, path: (string | number)[], why: string): SpecIssue[] {
  return listOf(stage, 'hooks').flatMap((h, k) =>
    isRecord(h) && h.kind === 'converged-snapshot'
      ? [{ path: pathKey([...path, 'hooks', k]), message: `never fires: ${why}` }]
      : [],
  );
}

/**
 * The graph-level problems of a draft (valid or not; parts it cannot read are skipped). Issues at a
 * path in `known` (already reported by the schema) are not repeated.
 */
export function graphIssues(draft: PipelineSpecInput, known: readonly SpecIssue[] = []): SpecIssue[] {
  const out: SpecIssue[] = [];
  const segments: unknown[] = Array.isArray(draft.stages) ? draft.stages : [];
  segments.forEach((segment, i) => {
    if (!isRecord(segment)) return;
    if (segment.kind !== 'fused') {
      if (listOf(segment, 'convergence').length > 0) return;
      out.push(
        ...silentConvergedSnapshots(
          segment,
          ['stages', i],
          'this stage has no convergence criterion (add one, or use a snapshot hook)',
        ),
      );
      return;
    }
    const subs = listOf(segment, 'stages');
    subs.forEach((sub, j) => {
      if (listOf(sub, 'convergence').length > 0) return;
      out.push(
        ...silentConvergedSnapshots(
          sub,
          ['stages', i, 'stages', j],
          'this sub-stage has no convergence criterion (add one, or use a snapshot hook)',
        ),
      );
    });
    if (!subs.some((s) => listOf(s, 'convergence').length > 0)) {
      out.push(
        ...silentConvergedSnapshots(
          segment,
          ['stages', i],
          'no sub-stage of this fused stage has a convergence criterion',
        ),
      );
    }
    const first = subs[numberOr(segment.entryStatus, 0)];
    const budget = isRecord(first) ? numberOr(first.steps, Number.NaN) : Number.NaN;
    const steps = numberOr(segment.steps, Number.NaN);
    if (Number.isFinite(budget) && Number.isFinite(steps) && steps < budget) {
      const name = isRecord(first) && typeof first.kind === 'string' ? first.kind.toUpperCase() : 'it';
      out.push({
        path: pathKey(['stages', i, 'steps']),
        message: `max steps ${steps} is below the step budget of the first sub-stage (${name}: ${budget} steps), so no system can spend its budget there: raise max steps to at least ${budget}`,
      });
    }
  });
  const placement = (draft as Record<string, unknown>).placement;
  if (isRecord(placement) && placement.kind === 'pipeline' && Array.isArray(placement.links)) {
    const want = Math.max(0, segments.length - 1);
    if (placement.links.length !== want) {
      out.push({
        path: 'placement.links',
        message: `a pipeline of ${segments.length} stages on ${segments.length} workers needs ${want} pipe link(s), it has ${placement.links.length}`,
      });
    }
  }
  const seen = new Set(known.map((i) => i.path));
  return out.filter((i) => !seen.has(i.path));
}
