import { describe, expect, it } from 'vitest';
import { argonVoidSpec } from '../../io/examples.ts';
import { type PipelineSpecInput, parseSpec, stageName } from '../../io/spec.ts';
import {
  appendItem,
  canFuse,
  fuseWithNext,
  insertSegment,
  MAX_SUB_STAGES,
  moveSegment,
  nudgeStage,
  removeItem,
  removeSegment,
  removeStage,
  splitFused,
  splitFusedAt,
} from './pipelineEdits.ts';
import { newHook, newStage } from './specCatalog.ts';
import { getAt, validateDraft } from './specFields.ts';

const base = parseSpec(argonVoidSpec) as PipelineSpecInput;
const names = (d: PipelineSpecInput) => parseSpec(d).stages.map((s, i) => stageName(s, i));

describe('pipeline edits', () => {
  it('fuses two stages into one valid fused stage and splits it back', () => {
    const fused = fuseWithNext(base, 0);
    expect(validateDraft(fused).issues).toEqual([]);
    const spec = parseSpec(fused);
    expect(spec.stages).toHaveLength(2);
    const first = spec.stages[0]!;
    if (first.kind !== 'fused') throw new Error('expected a fused stage');
    expect(first.stages.map((s) => s.kind)).toEqual(['fire', 'langevin']);
    expect(first.steps).toBe(4000); // the sum of the sub-stages' budgets
    expect(first.entryStatus).toBe(0);
    expect(first.exitStatus).toBeUndefined();
    expect(names(fused)).toEqual(['1. FIRE + LANGEVIN', 'NVE production']);
    // One log of the whole fused stage (the most frequent), not one per sub-stage.
    expect(first.hooks).toEqual([{ kind: 'log', every: 10 }]);
    expect(first.stages.map((s) => s.hooks.map((h) => h.kind))).toEqual([[], ['snapshot']]);
    // The input is untouched.
    expect(base.stages).toHaveLength(3);

    // Fusing a fused stage with the next appends its stages; splitting gives the pipe back.
    const three = fuseWithNext(fused, 0);
    const all = parseSpec(three).stages[0]!;
    expect(all.kind === 'fused' && all.stages.map((s) => s.kind)).toEqual(['fire', 'langevin', 'nve']);
    // Split: the pipe again, each stage logging as often as the fused stage did.
    const split = parseSpec(splitFused(fused, 0)).stages;
    const strip = (stages: typeof split) => stages.map(({ hooks: _, ...rest }) => rest);
    expect(strip(split)).toEqual(strip(parseSpec(base).stages));
    expect(split.map((s) => s.hooks)).toEqual([
      [{ kind: 'log', every: 10 }],
      [
        { kind: 'log', every: 10 },
        { kind: 'snapshot', every: 200, sink: 'host', capacity: 1000 },
      ],
      parseSpec(base).stages[2]!.hooks,
    ]);
  });

  it('a fused stage’s own hooks survive fusing and go to the first stage when split', () => {
    const fused = fuseWithNext(base, 0);
    const withTiming = appendItem(fused, ['stages', 0, 'hooks'], newHook('timing'));
    const again = fuseWithNext(withTiming, 0);
    expect(getAt(again, ['stages', 0, 'hooks'])).toEqual([
      { kind: 'log', every: 10 },
      { kind: 'timing', every: 100 },
    ]);
    const split = splitFused(withTiming, 0);
    const kinds = (k: number) =>
      (getAt(split, ['stages', k, 'hooks']) as { kind: string }[]).map((h) => h.kind);
    expect(kinds(0)).toEqual(['log', 'timing']);
    expect(kinds(1)).toEqual(['log', 'snapshot']);
  });

  it('does not fuse the last segment or past the sub-stage limit', () => {
    expect(canFuse(base, 2)).toBe(false);
    expect(fuseWithNext(base, 2)).toBe(base);
    const many: PipelineSpecInput = {
      ...base,
      stages: Array.from({ length: MAX_SUB_STAGES + 1 }, () => newStage('nve')),
    };
    let d = many;
    for (let k = 0; k < MAX_SUB_STAGES - 1; k++) d = fuseWithNext(d, 0);
    expect(d.stages).toHaveLength(2);
    expect(canFuse(d, 0)).toBe(false);
    expect(validateDraft(d).ok).toBe(true);
  });

  it('moves, inserts and removes segments', () => {
    expect(names(moveSegment(base, 2, -1))).toEqual([
      'FIRE relaxation',
      'NVE production',
      'Langevin NVT 85 K',
    ]);
    expect(moveSegment(base, 0, -1)).toBe(base);
    const added = insertSegment(base, newStage('nose-hoover'));
    expect(names(added)).toEqual([
      'FIRE relaxation',
      'Langevin NVT 85 K',
      'NVE production',
      '4. NOSE-HOOVER',
    ]);
    expect(validateDraft(added).ok).toBe(true);
    const none = [0, 0, 0].reduce((d, i) => removeSegment(d, i), base);
    expect(validateDraft(none).issues).toEqual([{ path: 'stages', message: 'needs at least one stage' }]);
  });

  it('adds and removes hooks and criteria', () => {
    const added = appendItem(base, ['stages', 2, 'hooks'], newHook('energy-drift'));
    expect((getAt(added, ['stages', 2, 'hooks']) as unknown[]).length).toBe(3);
    expect(validateDraft(added).ok).toBe(true);
    const removed = removeItem(added, ['stages', 2, 'hooks'], 0);
    expect((getAt(removed, ['stages', 2, 'hooks']) as { kind: string }[]).map((h) => h.kind)).toEqual([
      'snapshot',
      'energy-drift',
    ]);
    // A list the draft leaves out is created.
    const noList = { ...base, stages: [{ kind: 'nve', steps: 1, dt: 1 }] } as PipelineSpecInput;
    expect(
      getAt(appendItem(noList, ['stages', 0, 'convergence'], { kind: 'step-budget', steps: 5 }), [
        'stages',
        0,
        'convergence',
      ]),
    ).toEqual([{ kind: 'step-budget', steps: 5 }]);
  });

  it('splits a fused stage at one fuse link, removes and nudges sub-stages with their status codes', () => {
    const three = fuseWithNext(fuseWithNext(base, 0), 0);
    const kinds = (d: PipelineSpecInput) =>
      parseSpec(d).stages.map((s) => (s.kind === 'fused' ? s.stages.map((x) => x.kind).join('+') : s.kind));
    expect(kinds(splitFusedAt(three, 0, 0))).toEqual(['fire', 'langevin+nve']);
    expect(kinds(splitFusedAt(three, 0, 1))).toEqual(['fire+langevin', 'nve']);
    expect(validateDraft(splitFusedAt(three, 0, 1)).ok).toBe(true);
    // Removing a sub-stage shifts the status codes after it and the max steps by its budget.
    const coded = {
      ...three,
      stages: [{ ...three.stages[0]!, entryStatus: 1, exitStatus: 3 }],
    } as PipelineSpecInput;
    const removed = removeStage(coded, { segment: 0, sub: 0 });
    expect(getAt(removed, ['stages', 0, 'entryStatus'])).toBe(0);
    expect(getAt(removed, ['stages', 0, 'exitStatus'])).toBe(2);
    expect(getAt(removed, ['stages', 0, 'steps'])).toBe(22000);
    // A fused pair losing one becomes the other stage, with the fused stage's log.
    const pair = removeStage(fuseWithNext(base, 0), { segment: 0, sub: 0 });
    expect(kinds(pair)).toEqual(['langevin', 'nve']);
    // Alt+arrows: within the group, then out of it at its edge.
    const left = nudgeStage(three, { segment: 0, sub: 1 }, -1);
    expect(kinds(left.draft)).toEqual(['langevin+fire+nve']);
    expect(left.address).toEqual({ segment: 0, sub: 0 });
    const out = nudgeStage(left.draft, left.address, -1);
    expect(kinds(out.draft)).toEqual(['langevin', 'fire+nve']);
    expect(out.address).toEqual({ segment: 0, sub: null });
    expect(nudgeStage(base, { segment: 0, sub: null }, -1).draft).toBe(base);
  });
});
