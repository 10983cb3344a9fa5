/**
 * The placement of a spec as the System panel edits it: one worker for every segment, or one worker
 * per piped segment with a link of fixed capacity (systems, atoms, neighbor pairs) between each pair
 * of consecutive segments. Pure edits of a draft, tested in Node.
 */
import { LinkSpec, type LinkSpecInput, type PipelineSpecInput } from '../../io/spec.ts';
import { isRecord, objectFields, type ParamField, pathKey } from './specFields.ts';

/** How the draft places its segments (absent: one worker). */
export function placementKind(draft: PipelineSpecInput): 'single' | 'pipeline' {
  const placement: unknown = draft.placement;
  return isRecord(placement) && placement.kind === 'pipeline' ? 'pipeline' : 'single';
}

/** The draft's links (pipeline placement), as written; none for one worker. */
export function draftLinks(draft: PipelineSpecInput): unknown[] {
  const placement: unknown = draft.placement;
  if (!isRecord(placement) || placement.kind !== 'pipeline' || !Array.isArray(placement.links)) return [];
  return placement.links;
}

/** Links a pipeline of the draft needs: one between each pair of consecutive segments. */
export function linksNeeded(draft: PipelineSpecInput): number {
  return Math.max(0, (Array.isArray(draft.stages) ? draft.stages.length : 0) - 1);
}

/**
 * A new link with the schema's defaults, wide enough for the draft's largest cluster (a link whose
 * max atoms is below it could never carry that cluster).
 */
export function defaultLink(draft: PipelineSpecInput): LinkSpecInput {
  const link = LinkSpec.parse({});
  const system: unknown = draft.system;
  const largest =
    isRecord(system) && system.kind === 'clusters' && typeof system.maxAtoms === 'number'
      ? system.maxAtoms
      : 0;
  return { ...link, maxAtoms: Math.max(link.maxAtoms, largest) };
}

/**
 * The placement value for `kind`: `single`, or `pipeline` with the draft's links kept and as many
 * added or removed at the end as the segments need.
 */
export function placementFor(
  draft: PipelineSpecInput,
  kind: 'single' | 'pipeline',
): NonNullable<PipelineSpecInput['placement']> {
  if (kind === 'single') return { kind: 'single' };
  const kept = draftLinks(draft).slice(0, linksNeeded(draft)) as LinkSpecInput[];
  const links = [...kept];
  while (links.length < linksNeeded(draft)) links.push(defaultLink(draft));
  return { kind: 'pipeline', links };
}

/** Labels of the capacity fields of a link (the batching fields call theirs the same). */
const linkTexts: Record<string, { label: string; title: string }> = {
  maxSystems: { label: 'max systems', title: 'Most systems in flight on this link (sent, not yet admitted)' },
  maxAtoms: { label: 'max atoms', title: 'Most atoms of the systems in flight on this link' },
  maxEdges: {
    label: 'max edges',
    title: 'Most neighbor pairs (within the potential cutoff) of the systems in flight on this link',
  },
};

/** The capacity fields of link `index` (none when the draft has no such link). */
export function linkFields(draft: PipelineSpecInput, index: number): ParamField[] {
  const link = draftLinks(draft)[index];
  if (!isRecord(link)) return [];
  return objectFields('link', LinkSpec, link, ['placement', 'links', index]).map((f) => {
    const name = f.path[f.path.length - 1] as string;
    return { ...f, ...(linkTexts[name] ?? {}) };
  });
}

/** Keys under which the validation reports problems of the placement as a whole (not of one field). */
export const placementIssueKeys = [pathKey(['placement']), pathKey(['placement', 'links'])];
