import { describe, expect, it } from 'vitest';
import { argonVoidSpec } from '../../io/examples.ts';
import { type PipelineSpecInput, parseSpec, stageName } from '../../io/spec.ts';
import { fuseWithNext, stageAt } from '../state/pipelineEdits.ts';
import { describePipeline } from '../state/pipelineInfo.ts';
import { newHook, newStage } from '../state/specCatalog.ts';
import { getAt, validateDraft } from '../state/specFields.ts';
import { createTracker, trackSystems } from '../state/systemCounts.ts';
import { graphIssues } from './graphRules.ts';
import {
  addStageAfter,
  applyDrop,
  countsText,
  type DragPayload,
  type DropZone,
  issueOwner,
  issuesByNode,
  relativePath,
  resolveDrop,
  runCounts,
} from './model.ts';

const base = parseSpec(argonVoidSpec) as PipelineSpecInput;
const names = (d: PipelineSpecInput) => parseSpec(d).stages.map((s, i) => stageName(s, i));
const kinds = (d: PipelineSpecInput) =>
  (d.stages as { kind: string; stages?: { kind: string }[] }[]).map((s) =>
    s.kind === 'fused' ? s.stages!.map((x) => x.kind).join('+') : s.kind,
  );
const drop = (d: PipelineSpecInput, p: DragPayload, z: DropZone) => {
  const r = resolveDrop(d, p, z);
  if (!r.action) throw new Error(`refused: ${r.label}`);
  return applyDrop(d, p, r.action);
};

describe('composer drops', () => {
  it('builds FIRE fused with Langevin, piped into NVE, from an empty pipeline', () => {
    let d = { ...base, stages: [] } as PipelineSpecInput;
    expect(resolveDrop(d, { type: 'new-stage', kind: 'fire' }, { zone: 'gap', index: 0 }).label).toBe(
      'Add as the first stage',
    );
    d = drop(d, { type: 'new-stage', kind: 'fire' }, { zone: 'gap', index: 0 }).draft;
    const fused = drop(
      d,
      { type: 'new-stage', kind: 'langevin' },
      { zone: 'stage', address: { segment: 0, sub: null }, side: 'after' },
    );
    expect(fused.selection).toEqual({ type: 'stage', address: { segment: 0, sub: 1 } });
    d = drop(fused.draft, { type: 'new-stage', kind: 'nve' }, { zone: 'gap', index: 1 }).draft;
    expect(kinds(d)).toEqual(['fire+langevin', 'nve']);
    expect(getAt(d, ['stages', 0, 'steps'])).toBe(2000);
    // A criterion onto Langevin, a snapshot hook onto NVE, a timing hook onto the fused stage.
    d = drop(
      d,
      { type: 'new-criterion', kind: 'step-budget' },
      { zone: 'stage', address: { segment: 0, sub: 1 }, side: 'before' },
    ).draft;
    d = drop(
      d,
      { type: 'new-hook', kind: 'snapshot' },
      { zone: 'stage', address: { segment: 1, sub: null }, side: 'after' },
    ).draft;
    const timing = drop(d, { type: 'new-hook', kind: 'timing' }, { zone: 'group', segment: 0 });
    expect(timing.selection).toEqual({ type: 'group', segment: 0 });
    d = timing.draft;
    expect(
      (getAt(d, ['stages', 0, 'stages', 1, 'convergence']) as { kind: string }[]).map((c) => c.kind),
    ).toEqual(['step-budget']);
    expect((getAt(d, ['stages', 1, 'hooks']) as { kind: string }[]).map((c) => c.kind)).toEqual([
      'log',
      'snapshot',
    ]);
    expect((getAt(d, ['stages', 0, 'hooks']) as { kind: string }[]).map((c) => c.kind)).toEqual([
      'log',
      'timing',
    ]);
    expect(validateDraft(d).issues).toEqual([]);
  });

  it('refuses drops that mean nothing, and says why', () => {
    const fused = fuseWithNext(base, 0);
    expect(
      resolveDrop(fused, { type: 'new-criterion', kind: 'max-force' }, { zone: 'group', segment: 0 }),
    ).toEqual({
      action: null,
      label: 'A fused stage has no criteria of its own: drop the criterion onto one of its sub-stages',
    });
    expect(resolveDrop(base, { type: 'new-hook', kind: 'log' }, { zone: 'gap', index: 1 }).action).toBeNull();
    expect(
      resolveDrop(base, { type: 'stage', from: { segment: 1, sub: null } }, { zone: 'gap', index: 2 }).label,
    ).toBe('This is where it is already');
    expect(
      resolveDrop(fused, { type: 'segment', from: 0 }, { zone: 'fuse-gap', segment: 0, position: 1 }).action,
    ).toBeNull();
    const full = {
      ...base,
      stages: [{ kind: 'fused', steps: 16, stages: Array.from({ length: 16 }, () => newStage('nve')) }],
    } as PipelineSpecInput;
    expect(
      resolveDrop(full, { type: 'new-stage', kind: 'nve' }, { zone: 'fuse-gap', segment: 0, position: 3 })
        .label,
    ).toMatch(/full/);
  });

  it('reorders by dragging and drags a stage out of a fused group', () => {
    // NVE to the front.
    const moved = drop(base, { type: 'stage', from: { segment: 2, sub: null } }, { zone: 'gap', index: 0 });
    expect(names(moved.draft)).toEqual(['NVE production', 'FIRE relaxation', 'Langevin NVT 85 K']);
    expect(moved.selection).toEqual({ type: 'stage', address: { segment: 0, sub: null } });
    // FIRE to the end.
    expect(
      names(drop(base, { type: 'stage', from: { segment: 0, sub: null } }, { zone: 'gap', index: 3 }).draft),
    ).toEqual(['Langevin NVT 85 K', 'NVE production', 'FIRE relaxation']);
    // Out of a fused pair: the pair becomes a plain stage and the stage is piped where dropped.
    const fused = fuseWithNext(base, 0);
    const out = drop(fused, { type: 'stage', from: { segment: 0, sub: 0 } }, { zone: 'gap', index: 2 });
    expect(kinds(out.draft)).toEqual(['langevin', 'nve', 'fire']);
    expect(out.selection).toEqual({ type: 'stage', address: { segment: 2, sub: null } });
    expect(validateDraft(out.draft).ok).toBe(true);
    // Within a group: reordered, the group's fields kept.
    const three = fuseWithNext(fused, 0);
    const re = drop(
      three,
      { type: 'stage', from: { segment: 0, sub: 0 } },
      { zone: 'stage', address: { segment: 0, sub: 2 }, side: 'after' },
    );
    expect(kinds(re.draft)).toEqual(['langevin+nve+fire']);
    expect(getAt(re.draft, ['stages', 0, 'steps'])).toBe(getAt(three, ['stages', 0, 'steps']));
    // Fuse a plain stage into a group from outside, at the front.
    const into = drop(
      fused,
      { type: 'stage', from: { segment: 1, sub: null } },
      { zone: 'stage', address: { segment: 0, sub: 0 }, side: 'before' },
    );
    expect(kinds(into.draft)).toEqual(['nve+fire+langevin']);
    expect(getAt(into.draft, ['stages', 0, 'steps'])).toBe(24000);
    expect(validateDraft(into.draft).ok).toBe(true);
    // A fused group moves as a whole by its header.
    expect(kinds(drop(fused, { type: 'segment', from: 0 }, { zone: 'gap', index: 2 }).draft)).toEqual([
      'nve',
      'fire+langevin',
    ]);
  });

  it('adds from the keyboard after the selection, or at the end', () => {
    const r = addStageAfter(base, 'fire2', { type: 'stage', address: { segment: 0, sub: null } });
    expect(kinds(r.draft)).toEqual(['fire', 'fire2', 'langevin', 'nve']);
    expect(r.address).toEqual({ segment: 1, sub: null });
    expect(kinds(addStageAfter(base, 'nve', null).draft)).toEqual(['fire', 'langevin', 'nve', 'nve']);
  });
});

describe('issues on nodes', () => {
  it('maps each issue path to its node', () => {
    expect(issueOwner('stages[1].dt')).toBe('stages[1]');
    expect(issueOwner('stages[0].stages[1].hooks[2].every')).toBe('stages[0].stages[1]');
    expect(issueOwner('stages[0].exitStatus')).toBe('stages[0]');
    expect(issueOwner('stages')).toBe('pipeline');
    expect(issueOwner('placement.links[1].maxAtoms')).toBe('link[1]');
    expect(issueOwner('placement.links')).toBe('pipeline');
    expect(issueOwner('potential.cutoff')).toBeNull();
    expect(issueOwner('batching.maxAtoms')).toBeNull();
    const map = issuesByNode([
      { path: 'stages[1].dt', message: 'a' },
      { path: 'stages[1].hooks[0].every', message: 'b' },
      { path: 'system.count', message: 'c' },
    ]);
    expect([...map.keys()]).toEqual(['stages[1]']);
    expect(relativePath('stages[1].hooks[0].every', 'stages[1]')).toBe('hooks[0].every');
  });

  it('explains graph rules the schema does not know, where they are, until fixed', () => {
    // A converged snapshot on a stage without criteria never fires.
    let d = structuredClone(base);
    (d.stages[2] as { hooks: unknown[] }).hooks.push(newHook('converged-snapshot'));
    expect(graphIssues(d)).toEqual([
      {
        path: 'stages[2].hooks[2]',
        message: 'never fires: this stage has no convergence criterion (add one, or use a snapshot hook)',
      },
    ]);
    const v = validateDraft(d);
    expect(v.ok).toBe(false);
    expect(issuesByNode(v.issues).get('stages[2]')).toHaveLength(1);
    (d.stages[2] as { convergence: unknown[] }).convergence = [{ kind: 'step-budget', steps: 10 }];
    expect(validateDraft(d).ok).toBe(true);
    // Fused: max steps below the first sub-stage's budget.
    d = fuseWithNext(base, 0);
    (d.stages[0] as { steps: number }).steps = 100;
    expect(graphIssues(d)).toEqual([
      {
        path: 'stages[0].steps',
        message:
          'max steps 100 is below the step budget of the first sub-stage (FIRE: 2000 steps), so no system can spend its budget there: raise max steps to at least 2000',
      },
    ]);
    // A fused stage's own converged snapshot needs a criterion in some sub-stage.
    d = fuseWithNext({ ...base, stages: [newStage('nve'), newStage('langevin')] } as PipelineSpecInput, 0);
    (d.stages[0] as { hooks: unknown[] }).hooks.push(newHook('converged-snapshot'));
    expect(graphIssues(d).map((i) => i.path)).toEqual(['stages[0].hooks[1]']);
    // Pipeline placement: one link per pair of neighbouring stages (unless the schema said so).
    const placed = { ...base, placement: { kind: 'pipeline', links: [{}] } } as PipelineSpecInput;
    expect(graphIssues(placed)).toEqual([
      {
        path: 'placement.links',
        message: 'a pipeline of 3 stages on 3 workers needs 2 pipe link(s), it has 1',
      },
    ]);
    expect(graphIssues(placed, [{ path: 'placement.links', message: 'schema' }])).toEqual([]);
  });
});

describe('counts on nodes', () => {
  it('follow the run when the draft has the loaded shape', () => {
    const spec = parseSpec({ ...fuseWithNext(base, 0), batching: { maxSystems: 2, maxAtoms: 100000 } });
    const info = describePipeline(spec);
    let t = createTracker(3, info);
    t = trackSystems(t, info, { type: 'stage', stage: 0, name: '', step: 0 });
    t = trackSystems(t, info, {
      type: 'batch',
      stage: 0,
      admitted: [0, 1],
      step: 0,
      resident: 2,
      residentAtoms: 10,
      waiting: 1,
    });
    t = trackSystems(t, info, { type: 'migrated', stage: 0, systems: [0], from: 0, to: 1, step: 5 });
    const draft = fuseWithNext(base, 0);
    const c = runCounts(draft, info, t)!;
    expect(c[0]).toEqual({
      waiting: 1,
      done: 0,
      stages: [
        { active: 1, converged: 0 },
        { active: 1, converged: 0 },
      ],
    });
    expect(countsText({ active: 1, waiting: 0, done: 2 })).toBe('1 active · 2 done');
    // Once the draft differs from what was loaded, the nodes show no counts.
    expect(runCounts(base, info, t)).toBeNull();
    expect(stageAt(draft, { segment: 0, sub: 1 })).toBeDefined();
  });
});
