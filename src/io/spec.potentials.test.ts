import { describe, expect, it } from 'vitest';
import { argonVoidSpec } from './examples.ts';
import { PotentialSpec, safeParseSpec } from './spec.ts';

describe('potential specs', () => {
  it('accepts Morse with units in the schema, and EAM in all three styles', () => {
    const morse = PotentialSpec.parse({ kind: 'morse', d0: 0.3429, alpha: 1.3588, r0: 2.866, cutoff: 9.5 });
    expect(morse).toEqual({ kind: 'morse', d0: 0.3429, alpha: 1.3588, r0: 2.866, cutoff: 9.5, shift: false });
    expect(
      PotentialSpec.parse({
        kind: 'eam',
        style: 'eam/alloy',
        file: 'CuNi.eam.alloy',
        elements: ['Cu', 'NULL', 'Ni'],
      }),
    ).toBeTruthy();
    expect(
      PotentialSpec.parse({ kind: 'eam', style: 'eam/fs', file: 'Fe_mm.eam.fs', elements: ['Fe'] }),
    ).toBeTruthy();
    expect(
      PotentialSpec.parse({
        kind: 'eam',
        style: 'eam',
        file: 'Cu_u3.eam',
        files: ['Cu_u3.eam', 'Ag_u3.eam'],
        elements: ['Cu', 'Ag'],
      }),
    ).toBeTruthy();
  });

  it('rejects nonsense with the field and the unit', () => {
    const issues = (potential: unknown) => {
      const spec = { ...structuredClone(argonVoidSpec), potential };
      const r = safeParseSpec(spec);
      return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
    };
    expect(issues({ kind: 'morse', d0: 0.3, alpha: -1, r0: 2.8, cutoff: 9 })).toEqual([
      'potential.alpha: must be > 0 1/Å',
    ]);
    expect(issues({ kind: 'morse', d0: 0.3, alpha: 1, r0: 2.8 })).toEqual([
      'potential.cutoff: must be a number (in Å)',
    ]);
    expect(issues({ kind: 'eam', style: 'eam/alloy', file: 'x', elements: ['Cu'], files: ['a'] })).toEqual([
      'potential.files: only style eam takes one file per type',
    ]);
    expect(issues({ kind: 'eam', style: 'eam', file: 'x', elements: ['Cu', 'Ag'], files: ['a'] })).toEqual([
      'potential.files: needs one file per type: 2 element(s), 1 file(s)',
    ]);
    expect(issues({ kind: 'eam', style: 'eam/fs', file: 'x', elements: ['NULL'] })).toEqual([
      'potential.elements: at least one type must not be NULL',
    ]);
    expect(issues({ kind: 'eam', style: 'meam', file: 'x', elements: ['Cu'] })).toEqual([
      'potential.style: must be one of eam, eam/alloy, eam/fs',
    ]);
  });
});
