import { describe, expect, it } from 'vitest';
import { argonVoidSpec } from '../../io/examples.ts';
import type { PipelineSpecInput } from '../../io/spec.ts';
import {
  defaultLink,
  draftLinks,
  linkFields,
  linksNeeded,
  placementFor,
  placementIssueKeys,
  placementKind,
} from './placementFields.ts';
import { issuesOf, setAt, validateDraft } from './specFields.ts';

const clusters: PipelineSpecInput = {
  ...argonVoidSpec,
  system: { kind: 'clusters', count: 12, minAtoms: 5, maxAtoms: 9000 },
  batching: { maxSystems: 4, maxAtoms: 40_000 },
};

describe('placement of a draft', () => {
  it('is one worker until a pipeline with one link per pair of segments is chosen', () => {
    expect(placementKind(argonVoidSpec)).toBe('single');
    expect(linksNeeded(argonVoidSpec)).toBe(2);
    const piped = { ...clusters, placement: placementFor(clusters, 'pipeline') };
    expect(placementKind(piped)).toBe('pipeline');
    expect(draftLinks(piped)).toHaveLength(2);
    // Wide enough for the largest cluster; the other capacities are the schema's defaults.
    expect(draftLinks(piped)[0]).toEqual({ maxSystems: 8, maxAtoms: 9000, maxEdges: 1_000_000 });
    expect(validateDraft(piped).ok).toBe(true);
    expect(placementFor(piped, 'single')).toEqual({ kind: 'single' });
  });

  it('keeps edited links and adds or drops links at the end when the segments change', () => {
    let draft: PipelineSpecInput = { ...clusters, placement: placementFor(clusters, 'pipeline') };
    draft = setAt(draft, ['placement', 'links', 0, 'maxSystems'], 2);
    const twoStages = { ...draft, stages: draft.stages.slice(0, 2) };
    // Too many links now: explained at placement.links, not silently fixed.
    const issues = validateDraft(twoStages).issues.filter((i) => placementIssueKeys.includes(i.path));
    expect(issues.map((i) => i.message)).toEqual([
      'needs one link between each pair of consecutive stages: 1 for 2 stage(s), got 2',
    ]);
    const fixed = { ...twoStages, placement: placementFor(twoStages, 'pipeline') };
    expect(draftLinks(fixed)).toEqual([{ maxSystems: 2, maxAtoms: 9000, maxEdges: 1_000_000 }]);
    expect(validateDraft(fixed).ok).toBe(true);
  });

  it('explains a pipeline without batching at the placement', () => {
    const { batching: _, ...noBatching } = clusters;
    const draft = { ...noBatching, placement: placementFor(noBatching, 'pipeline') };
    const issues = validateDraft(draft).issues.filter((i) => placementIssueKeys.includes(i.path));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toContain('a pipeline needs batching');
  });

  it('gives typed capacity fields per link, validated at each field', () => {
    const draft = setAt(
      { ...clusters, placement: placementFor(clusters, 'pipeline') },
      ['placement', 'links', 1, 'maxAtoms'],
      100,
    );
    const fields = linkFields(draft, 1);
    expect(fields.map((f) => [f.key, f.label, f.type])).toEqual([
      ['placement.links[1].maxSystems', 'max systems', 'number'],
      ['placement.links[1].maxAtoms', 'max atoms', 'number'],
      ['placement.links[1].maxEdges', 'max edges', 'number'],
    ]);
    const validation = validateDraft(draft);
    expect(issuesOf(validation, fields[1]!).map((i) => i.message)).toEqual([
      'must be ≥ system.maxAtoms (9000): a cluster that large could never cross this link',
    ]);
    const zero = validateDraft(setAt(draft, ['placement', 'links', 0, 'maxEdges'], 0));
    expect(issuesOf(zero, linkFields(draft, 0)[2]!)[0]!.message).toContain('≥ 1');
    expect(linkFields(draft, 2)).toEqual([]);
    expect(linkFields(argonVoidSpec, 0)).toEqual([]);
  });

  it('a default link for a crystal keeps the schema default', () => {
    expect(defaultLink(argonVoidSpec)).toEqual({ maxSystems: 8, maxAtoms: 8192, maxEdges: 1_000_000 });
  });
});
