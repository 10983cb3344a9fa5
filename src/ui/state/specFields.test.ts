import { describe, expect, it } from 'vitest';
import { argonVoidSpec } from '../../io/examples.ts';
import { type PipelineSpecInput, parseSpec } from '../../io/spec.ts';
import { type SegmentForm, segmentFieldKeys, segmentForms, stageFields } from './segmentForms.ts';
import { criterionKinds, hookKinds, newCriterion, newHook, newStage, stageKinds } from './specCatalog.ts';
import {
  getAt,
  isShownAt,
  issuesOf,
  type ParamField,
  parseListInput,
  parseNumberInput,
  pathKey,
  setAt,
  validateDraft,
} from './specFields.ts';
import { createSpecStore } from './specStore.ts';

/** key → [type, unit, value] of a list of fields. */
const table = (fields: readonly ParamField[]) =>
  Object.fromEntries(fields.map((f) => [f.key, [f.type, 'unit' in f ? f.unit : null, f.value] as const]));

/** One fused FIRE + NVE segment, with a fused-stage hook, sub-stage hooks and a threshold criterion. */
const fusedDraft: PipelineSpecInput = {
  ...argonVoidSpec,
  stages: [
    {
      kind: 'fused',
      steps: 500,
      exitStatus: 2,
      hooks: [{ kind: 'timing', every: 50 }],
      stages: [
        {
          kind: 'fire',
          steps: 300,
          dt: 1,
          convergence: [{ kind: 'threshold', quantity: 'temperature', when: 'below', value: 5 }],
          hooks: [{ kind: 'freeze', atoms: [0, 3], types: [] }],
        },
        { kind: 'nve', steps: 200, dt: 2, hooks: [{ kind: 'energy-drift', tolerance: 1e-3 }] },
      ],
    },
  ],
};

describe('segmentForms', () => {
  it('lists each stage’s parameters with the schema’s units, then its hooks and criteria', () => {
    const forms = segmentForms(parseSpec(argonVoidSpec) as PipelineSpecInput);
    expect(forms.map((f) => [f.type, f.title])).toEqual([
      ['stage', 'FIRE relaxation'],
      ['stage', 'Langevin NVT 85 K'],
      ['stage', 'NVE production'],
    ]);
    const fire = (forms[0] as Extract<SegmentForm, { type: 'stage' }>).stage;
    expect(table(fire.params)).toEqual({
      'stages[0].name': ['text', null, 'FIRE relaxation'],
      'stages[0].steps': ['number', '', 2000],
      'stages[0].dt': ['number', 'fs', 5],
      'stages[0].dtMax': ['number', 'fs', 20],
      'stages[0].maxStep': ['number', 'Å', 0.2],
    });
    expect(fire.criteria.map((c) => [c.kind, table(c.params)])).toEqual([
      [
        'max-force',
        {
          'stages[0].convergence[0].fmax': ['number', 'eV/Å', 0.01],
          'stages[0].convergence[0].every': ['number', 'steps', 1],
        },
      ],
    ]);
    expect(fire.hooks.map((h) => [h.kind, table(h.params)])).toEqual([
      ['log', { 'stages[0].hooks[0].every': ['number', 'steps', 10] }],
    ]);
    const nvt = (forms[1] as Extract<SegmentForm, { type: 'stage' }>).stage;
    expect(table(nvt.params)['stages[1].friction']).toEqual(['number', '1/fs', 0.01]);
    const snapshot = nvt.hooks[1]!;
    expect(table(snapshot.params)).toEqual({
      'stages[1].hooks[1].every': ['number', 'steps', 200],
      'stages[1].hooks[1].sink': ['enum', null, 'host'],
      'stages[1].hooks[1].capacity': ['number', '', 1000],
    });
    expect(snapshot.params.find((p) => p.type === 'enum')).toMatchObject({
      options: ['host', 'gpu-ring', 'zarr'],
    });
  });

  it('a fused segment: max steps, entry and exit status, its own hooks, and each sub-stage', () => {
    const [fused] = segmentForms(fusedDraft);
    if (fused?.type !== 'fused') throw new Error('expected a fused segment');
    expect(fused.title).toBe('1. FIRE + NVE');
    expect(table(fused.params)).toEqual({
      'stages[0].name': ['text', null, ''],
      'stages[0].steps': ['number', '', 500],
      'stages[0].entryStatus': ['number', '', 0],
      'stages[0].exitStatus': ['number', '', 2],
    });
    const exit = fused.params.find((p) => p.key === 'stages[0].exitStatus');
    expect(exit).toMatchObject({ optional: true, integer: true, label: 'exit status' });
    expect(fused.hooks.map((h) => h.key)).toEqual(['stages[0].hooks[0]']);
    expect(fused.stages.map((s) => [s.key, s.kind, s.title])).toEqual([
      ['stages[0].stages[0]', 'fire', '0: FIRE'],
      ['stages[0].stages[1]', 'nve', '1: NVE'],
    ]);
    const fire = fused.stages[0]!;
    expect(table(fire.params)['stages[0].stages[0].dt']).toEqual(['number', 'fs', 1]);
    // The freeze hook's atom list, and the threshold's value in the unit of its quantity.
    expect(table(fire.hooks[0]!.params)).toEqual({
      'stages[0].stages[0].hooks[0].atoms': ['list', '', [0, 3]],
      'stages[0].stages[0].hooks[0].types': ['list', '', []],
    });
    const threshold = table(fire.criteria[0]!.params);
    expect(threshold['stages[0].stages[0].convergence[0].quantity']).toEqual(['enum', null, 'temperature']);
    expect(threshold['stages[0].stages[0].convergence[0].value']).toEqual(['number', 'K', 5]);
    const drift = table(fused.stages[1]!.hooks[0]!.params);
    expect(drift['stages[0].stages[1].hooks[0].tolerance']).toEqual(['number', 'eV/atom', 0.001]);
    expect(drift['stages[0].stages[1].hooks[0].action']).toEqual(['enum', null, 'warn']);
    expect(validateDraft(fusedDraft).ok).toBe(true);
  });

  it('the threshold’s unit follows its quantity', () => {
    const draft = setAt(fusedDraft, ['stages', 0, 'stages', 0, 'convergence', 0, 'quantity'], 'max-force');
    const [fused] = segmentForms(draft);
    if (fused?.type !== 'fused') throw new Error('expected a fused segment');
    const value = fused.stages[0]!.criteria[0]!.params.find((p) => p.key.endsWith('.value'));
    expect(value).toMatchObject({ type: 'number', unit: 'eV/Å' });
  });

  it('lists the Nosé–Hoover and FIRE2 parameters with their units', () => {
    const draft: PipelineSpecInput = {
      ...argonVoidSpec,
      stages: [
        { kind: 'nose-hoover', steps: 100, dt: 5, temperature: 85, tau: 100, chainLength: 3 },
        { kind: 'fire2', steps: 100, dt: 5, dtMax: 10, dtMin: 0.02, maxStep: 0.2, nDelay: 20 },
      ],
    };
    const [nhc, fire2] = stageFields(draft).map((fs) =>
      Object.fromEntries(fs.map((f) => [f.key, [f.unit, f.value, f.integer]])),
    );
    expect(nhc).toEqual({
      'stages[0].steps': ['', 100, true],
      'stages[0].dt': ['fs', 5, false],
      'stages[0].temperature': ['K', 85, false],
      'stages[0].tau': ['fs', 100, false],
      'stages[0].chainLength': ['', 3, true],
    });
    expect(fire2).toEqual({
      'stages[1].steps': ['', 100, true],
      'stages[1].dt': ['fs', 5, false],
      'stages[1].dtMax': ['fs', 10, false],
      'stages[1].dtMin': ['fs', 0.02, false],
      'stages[1].maxStep': ['Å', 0.2, false],
      'stages[1].nDelay': ['steps', 20, true],
    });
    expect(validateDraft(draft).ok).toBe(true);
  });

  it('every new stage, hook and criterion is valid and shows fields for all its parameters', () => {
    for (const kind of stageKinds) {
      const draft: PipelineSpecInput = { ...argonVoidSpec, stages: [newStage(kind)] };
      expect(validateDraft(draft).issues).toEqual([]);
    }
    const base = newStage('nve');
    const draft: PipelineSpecInput = {
      ...argonVoidSpec,
      stages: [{ ...base, hooks: hookKinds.map(newHook), convergence: criterionKinds.map(newCriterion) }],
    };
    expect(validateDraft(draft).issues).toEqual([]);
    const [form] = segmentForms(draft);
    if (form?.type !== 'stage') throw new Error('expected a stage');
    expect(form.stage.hooks.map((h) => h.kind)).toEqual(hookKinds);
    expect(form.stage.criteria.map((c) => c.kind)).toEqual(criterionKinds);
    // Every parameter but `kind` has a field.
    for (const h of form.stage.hooks) {
      const item = getAt(draft, h.path) as Record<string, unknown>;
      expect(h.params.map((p) => p.path.at(-1)).sort()).toEqual(
        Object.keys(item)
          .filter((k) => k !== 'kind')
          .sort(),
      );
    }
  });

  it('writes paths as spec issues do', () => {
    expect(pathKey(['stages', 0, 'convergence', 1, 'fmax'])).toBe('stages[0].convergence[1].fmax');
  });
});

describe('validation next to the fields', () => {
  it('issues of sub-stages, hooks and refinements land on the fields that show them', () => {
    // A fused stage's own checks (exit ≤ sub-stages) run once its fields are valid.
    const exit = validateDraft(setAt(fusedDraft, ['stages', 0, 'exitStatus'], 3));
    expect(exit.issues).toEqual([
      { path: 'stages[0].exitStatus', message: 'must be ≤ 2 (the number of sub-stages)' },
    ]);
    // A value of the wrong type (NaN) in a segment still names its field, not just the segment.
    let draft = setAt(fusedDraft, ['stages', 0, 'stages', 1, 'dt'], -1);
    draft = setAt(draft, ['stages', 0, 'stages', 0, 'hooks', 0, 'atoms'], [Number.NaN]);
    const v = validateDraft(draft);
    expect(v.byKey.get('stages[0].stages[1].dt')?.[0]?.message).toBe('must be > 0 fs');
    const keys = new Set(segmentFieldKeys(segmentForms(draft)));
    for (const issue of v.issues) expect(isShownAt(issue.path, keys)).toBe(true);
    const [fused] = segmentForms(draft);
    if (fused?.type !== 'fused') throw new Error('expected a fused segment');
    const atoms = fused.stages[0]!.hooks[0]!.params[0]!;
    expect(issuesOf(v, atoms).map((i) => i.path)).toEqual(['stages[0].stages[0].hooks[0].atoms[0]']);
  });

  it('an empty freeze and a reversed temperature window are explained at their fields', () => {
    const draft: PipelineSpecInput = {
      ...argonVoidSpec,
      stages: [
        {
          kind: 'nve',
          steps: 10,
          dt: 1,
          hooks: [{ kind: 'freeze', atoms: [], types: [] }],
          convergence: [{ kind: 'temperature-window', min: 300, max: 200 }],
        },
      ],
    };
    const v = validateDraft(draft);
    expect(v.byKey.get('stages[0].hooks[0].atoms')?.[0]?.message).toBe('name at least one atom or type');
    expect(v.byKey.get('stages[0].convergence[0].max')?.[0]?.message).toBe('min must be ≤ max (K)');
  });
});

describe('editing a draft', () => {
  it('setAt copies, never mutates; undefined removes a field', () => {
    const next = setAt(argonVoidSpec, ['stages', 0, 'dt'], -1);
    expect(getAt(argonVoidSpec, ['stages', 0, 'dt'])).toBe(5);
    expect(getAt(next, ['stages', 0, 'dt'])).toBe(-1);
    const noExit = setAt(fusedDraft, ['stages', 0, 'exitStatus'], undefined);
    expect('exitStatus' in (getAt(noExit, ['stages', 0]) as object)).toBe(false);
    expect(getAt(fusedDraft, ['stages', 0, 'exitStatus'])).toBe(2);
  });

  it('a negative dt is an issue at stages[0].dt naming fs', () => {
    const v = validateDraft(setAt(argonVoidSpec, ['stages', 0, 'dt'], -1));
    expect(v.ok).toBe(false);
    expect(v.byKey.get('stages[0].dt')?.[0]?.message).toBe('must be > 0 fs');
  });

  it('text that is not a number is rejected by the schema with its unit', () => {
    expect(parseNumberInput('  ')).toBeNaN();
    expect(parseNumberInput('1e-2')).toBe(0.01);
    const v = validateDraft(setAt(argonVoidSpec, ['stages', 1, 'temperature'], parseNumberInput('abc')));
    expect(v.byKey.get('stages[1].temperature')?.[0]?.message).toContain('K');
  });

  it('reads lists of whole numbers as typed', () => {
    expect(parseListInput(' 0, 4  7;9 ')).toEqual([0, 4, 7, 9]);
    expect(parseListInput('')).toEqual([]);
    expect(parseListInput('1, x')).toEqual([1, Number.NaN]);
  });

  it('the spec store keeps the last valid spec while the draft is invalid', () => {
    const store = createSpecStore(argonVoidSpec);
    const dtOf = (spec: unknown) => getAt(spec as PipelineSpecInput, ['stages', 2, 'dt']);
    store.setField(['stages', 2, 'dt'], 2);
    expect(dtOf(store.getState().lastValid)).toBe(2);
    store.setField(['stages', 2, 'dt'], -1);
    expect(store.getState().validation.ok).toBe(false);
    expect(dtOf(store.getState().lastValid)).toBe(2);
    expect(dtOf(store.getState().draft)).toBe(-1);
    store.setField(['stages', 2, 'dt'], 3);
    expect(store.getState().validation.ok).toBe(true);
    expect(dtOf(store.getState().lastValid)).toBe(3);
  });

  it('structural edits are counted, field edits are not', () => {
    const store = createSpecStore(argonVoidSpec);
    store.setField(['stages', 0, 'dt'], 2);
    expect(store.getState().structure).toBe(0);
    store.edit((d) => setAt(d, ['stages', 0, 'hooks'], []));
    expect(store.getState().structure).toBe(1);
    store.setField(['system'], { kind: 'file', file: 'a.xyz' });
    expect(store.getState().structure).toBe(2);
  });
});
