import { describe, expect, it } from 'vitest';
import { argonVoidSpec, copperMorseSpec } from '../../io/examples.ts';
import type { PipelineSpecInput } from '../../io/spec.ts';
import {
  defaultLink,
  domainGeometry,
  draftCell,
  draftCutoff,
  draftGrid,
  draftLinks,
  draftSkin,
  gridFields,
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

describe('domain placement of a draft (one system over a worker grid)', () => {
  it('starts with two workers along the longest axis and keeps a grid already written', () => {
    const cell = [20, 0, 0, 0, 60, 0, 0, 0, 30];
    const split = { ...argonVoidSpec, placement: placementFor(argonVoidSpec, 'domain', cell) };
    expect(placementKind(split)).toBe('domain');
    expect(draftGrid(split)).toEqual([1, 2, 1]);
    expect(placementFor(argonVoidSpec, 'domain')).toEqual({ kind: 'domain', grid: [2, 1, 1] });
    const edited = setAt(split, ['placement', 'grid', 2], 2) as PipelineSpecInput;
    expect(placementFor(edited, 'domain', cell)).toEqual({ kind: 'domain', grid: [1, 2, 2] });
    expect(validateDraft(split).ok).toBe(true);
    expect(placementFor(split, 'single')).toEqual({ kind: 'single' });
  });

  it('takes fused stages and pipes on a grid (every worker runs every segment)', () => {
    const split = { ...copperMorseSpec, placement: { kind: 'domain', grid: [2, 2, 2] } } as PipelineSpecInput;
    const v = validateDraft(split);
    expect(v.issues).toEqual([]);
    expect(v.ok).toBe(true);
  });

  it('offers Px, Py, Pz as whole-number fields with the schema messages inline', () => {
    const split = { ...argonVoidSpec, placement: { kind: 'domain', grid: [2, 0, 1] } } as PipelineSpecInput;
    const fields = gridFields(split);
    expect(fields.map((f) => [f.key, f.label, f.type === 'number' && f.integer])).toEqual([
      ['placement.grid[0]', 'Px', true],
      ['placement.grid[1]', 'Py', true],
      ['placement.grid[2]', 'Pz', true],
    ]);
    const v = validateDraft(split);
    expect(issuesOf(v, fields[1]!).map((i) => i.message)).toEqual(['must be ≥ 1']);
    const one = validateDraft({ ...argonVoidSpec, placement: { kind: 'domain', grid: [1, 1, 1] } });
    const whole = one.issues.filter((i) => placementIssueKeys.includes(i.path));
    expect(whole.map((i) => i.path)).toEqual(['placement.grid']);
    expect(whole[0]!.message).toContain('1×1×1 grid is one worker');
    expect(gridFields(argonVoidSpec)).toEqual([]);
  });

  it('sizes subdomains in Å and counts the hops a ghost cutoff longer than a subdomain needs', () => {
    // The argon example: 10 cells of 5.26 Å = 52.6 Å per side; LJ cutoff 8.5 Å + skin 1 Å.
    const cell = draftCell(argonVoidSpec, null, null);
    expect(Array.from(cell ?? [], (x) => Math.round(x * 1e9) / 1e9)).toEqual([
      52.6, 0, 0, 0, 52.6, 0, 0, 0, 52.6,
    ]);
    const cutoff = draftCutoff(argonVoidSpec, null);
    expect(cutoff).toBe(8.5);
    expect(draftSkin(argonVoidSpec)).toBe(1);
    const g = domainGeometry([2, 2, 1], cell, cutoff, 1)!;
    expect(g.workers).toBe(4);
    expect(g.subdomain[0]).toBeCloseTo(26.3, 10);
    expect(g.subdomain[2]).toBeCloseTo(52.6, 10);
    expect(g.ghostCutoff).toBe(9.5);
    expect(g.hops).toEqual([1, 1, 1]);
    expect(g.thinAxes).toEqual([]);
    // 8 workers along a: 6.575 Å slabs, 9.5 Å reach: ghosts come from 2 workers away.
    const thin = domainGeometry([8, 1, 1], cell, cutoff, 1)!;
    expect(thin.hops).toEqual([2, 1, 1]);
    expect(thin.thinAxes).toEqual([0]);
    // A thin cell along an axis that is not split needs only self-swaps: no warning there.
    expect(domainGeometry([2, 1, 1], [60, 0, 0, 0, 5, 0, 0, 0, 60], 8.5, 1)!.thinAxes).toEqual([]);
    // Triclinic (b tilted along x): a subdomain's thickness is the perpendicular height over P.
    const tri = domainGeometry([2, 1, 1], [20, 0, 0, 10, 20, 0, 0, 0, 20], 8.5, 1)!;
    expect(tri.subdomain[1]).toBeCloseTo(20, 10);
    // Along a: V / |b × c| = 8000 / |(400, −200, 0)| = 17.89 Å over 2 workers (not 20 / 2).
    expect(tri.subdomain[0]).toBeCloseTo(8000 / Math.hypot(400, 200) / 2, 10);
    expect(domainGeometry([2, Number.NaN, 1], cell, cutoff, 1)).toBeNull();
    expect(domainGeometry([2, 1, 1], null, cutoff, 1)).toBeNull();
  });

  it('takes the cutoff of uploaded EAM files and the cell of an upload or of the loaded run', () => {
    const eam = {
      ...argonVoidSpec,
      potential: { kind: 'eam', style: 'eam', file: 'Cu_u3.eam', elements: ['Cu'] },
    };
    expect(draftCutoff(eam as PipelineSpecInput, null)).toBeNull();
    expect(draftCutoff(eam as PipelineSpecInput, [4.95, 5.5])).toBe(5.5);
    const noCutoff = domainGeometry([2, 1, 1], [40, 0, 0, 0, 40, 0, 0, 0, 40], null, 1)!;
    expect(noCutoff.ghostCutoff).toBeNull();
    expect(noCutoff.hops).toBeNull();
    const file = { ...argonVoidSpec, system: { kind: 'file', file: 'a.xyz' } } as PipelineSpecInput;
    const up = [1, 0, 0, 0, 2, 0, 0, 0, 3];
    const loaded = [4, 0, 0, 0, 5, 0, 0, 0, 6];
    expect(draftCell(file, up, loaded)).toBe(up);
    expect(draftCell(file, null, loaded)).toBe(loaded);
    expect(draftCell(clusters, up, loaded)).toBe(loaded);
  });
});
