import { describe, expect, it } from 'vitest';
import { argonVoidSpec } from '../../io/examples.ts';
import { safeParseSpec } from '../../io/spec.ts';
import { defaultPairPotentials, isInputIssue, potentialFields } from './potentialFields.ts';
import { setAt } from './specFields.ts';

describe('potentialFields', () => {
  it('lists the Lennard-Jones parameters with their units', () => {
    const fields = potentialFields(argonVoidSpec);
    expect(fields.map((f) => [f.key, f.unit, f.value])).toEqual([
      ['potential.epsilon', 'eV', 0.0104],
      ['potential.sigma', 'Å', 3.4],
      ['potential.cutoff', 'Å', 8.5],
    ]);
  });

  it('lists the Morse parameters; EAM has none (its numbers come from the file)', () => {
    const morse = setAt(argonVoidSpec, ['potential'], defaultPairPotentials.morse);
    expect(potentialFields(morse).map((f) => `${f.label} ${f.unit}`)).toEqual([
      'D0 eV',
      'α 1/Å',
      'r0 Å',
      'cutoff Å',
    ]);
    const eam = setAt(argonVoidSpec, ['potential'], {
      kind: 'eam',
      style: 'eam',
      file: 'a.eam',
      elements: ['Ar'],
    });
    expect(potentialFields(eam)).toEqual([]);
  });

  it('the defaults are valid potentials, and a file system must name its file', () => {
    for (const p of Object.values(defaultPairPotentials)) {
      expect(safeParseSpec({ ...argonVoidSpec, potential: p }).ok).toBe(true);
    }
    expect(safeParseSpec({ ...argonVoidSpec, system: { kind: 'file', file: 'a.xyz' } }).ok).toBe(true);
    const r = safeParseSpec({ ...argonVoidSpec, system: { kind: 'file', file: '' } });
    expect(r.ok ? [] : r.issues).toEqual([{ path: 'system.file', message: 'must name a structure file' }]);
  });

  it('tells potential and system issues from stage issues', () => {
    expect(isInputIssue('potential.file')).toBe(true);
    expect(isInputIssue('system.file')).toBe(true);
    expect(isInputIssue('stages[0].dt')).toBe(false);
  });
});
