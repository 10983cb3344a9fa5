import { describe, expect, it } from 'vitest';
import { argonVoidSpec } from '../../io/examples.ts';
import type { PipelineSpecInput } from '../../io/spec.ts';
import { parseNumberInput, pathKey, setAt, stageFields, validateDraft } from './specFields.ts';
import { createSpecStore } from './specStore.ts';

describe('stageFields', () => {
  it('lists each stage’s numeric parameters with the schema’s units', () => {
    const fields = stageFields(argonVoidSpec);
    expect(fields).toHaveLength(3);
    const fire = Object.fromEntries((fields[0] ?? []).map((f) => [f.key, [f.unit, f.value]]));
    expect(fire).toEqual({
      'stages[0].steps': ['', 2000],
      'stages[0].dt': ['fs', 5],
      'stages[0].dtMax': ['fs', 20],
      'stages[0].maxStep': ['Å', 0.2],
      'stages[0].convergence[0].fmax': ['eV/Å', 0.01],
    });
    const nvt = Object.fromEntries((fields[1] ?? []).map((f) => [f.key, f.unit]));
    expect(nvt['stages[1].temperature']).toBe('K');
    expect(nvt['stages[1].friction']).toBe('1/fs');
    expect((fields[2] ?? []).map((f) => f.key)).toEqual(['stages[2].steps', 'stages[2].dt']);
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
      'stages[1].nDelay': ['', 20, true],
    });
    expect(validateDraft(draft).ok).toBe(true);
  });

  it('writes paths as spec issues do', () => {
    expect(pathKey(['stages', 0, 'convergence', 1, 'fmax'])).toBe('stages[0].convergence[1].fmax');
  });
});

describe('editing a draft', () => {
  it('setAt copies, never mutates', () => {
    const next = setAt(argonVoidSpec, ['stages', 0, 'dt'], -1);
    expect(argonVoidSpec.stages[0]?.dt).toBe(5);
    expect(next.stages[0]?.dt).toBe(-1);
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

  it('the spec store keeps the last valid spec while the draft is invalid', () => {
    const store = createSpecStore(argonVoidSpec);
    store.setField(['stages', 2, 'dt'], 2);
    expect(store.getState().lastValid.stages[2]?.dt).toBe(2);
    store.setField(['stages', 2, 'dt'], -1);
    expect(store.getState().validation.ok).toBe(false);
    expect(store.getState().lastValid.stages[2]?.dt).toBe(2);
    expect(store.getState().draft.stages[2]?.dt).toBe(-1);
    store.setField(['stages', 2, 'dt'], 3);
    expect(store.getState().validation.ok).toBe(true);
    expect(store.getState().lastValid.stages[2]?.dt).toBe(3);
  });
});
