import { describe, expect, it } from 'vitest';
import { funcflText, setflText } from '../../io/eamFiles.testing.ts';
import { readEamFiles } from './eamFiles.ts';
import { eamTypes, pairTypes } from './typeAssignment.ts';

describe('pairTypes', () => {
  it('puts every element on type 0 unless it is NULL', () => {
    const t = pairTypes(['Ar', 'Kr'], { Kr: 'NULL' });
    expect([...t.typeMap]).toEqual([
      ['Ar', 0],
      ['Kr', -1],
    ]);
    expect(t.problems).toEqual([]);
  });

  it('refuses a system where every element is NULL', () => {
    expect(pairTypes(['Ar'], { Ar: 'NULL' }).problems).toEqual([
      'every element is NULL: the potential has nothing to compute',
    ]);
  });
});

describe('eamTypes', () => {
  const alloy = readEamFiles([{ name: 'CuNi.eam.alloy', text: setflText(['Cu', 'Ni']) }], 'eam/alloy');

  it('gives each element its own type and the spec element list, as pair_coeff * * file El1 El2', () => {
    const t = eamTypes(['Ni', 'Cu'], {}, alloy, 'alloy.xyz');
    expect([...t.typeMap]).toEqual([
      ['Ni', 0],
      ['Cu', 1],
    ]);
    expect(t.elements).toEqual(['Ni', 'Cu']);
    expect(t.file).toBe('CuNi.eam.alloy');
    expect(t.files).toBeUndefined();
    expect(t.problems).toEqual([]);
  });

  it('names an element missing from the potential file, with the file and what it has', () => {
    const t = eamTypes(['Cu', 'Ar'], {}, alloy, 'mix.xyz');
    expect(t.problems).toEqual([
      'element Ar of mix.xyz is not in CuNi.eam.alloy (it has Cu, Ni): map it to one of these or to NULL',
    ]);
    const mapped = eamTypes(['Cu', 'Ar'], { Ar: 'NULL' }, alloy, 'mix.xyz');
    expect(mapped.problems).toEqual([]);
    expect(mapped.elements).toEqual(['Cu', 'NULL']);
  });

  it('maps an element onto another element of the file', () => {
    const t = eamTypes(['Ar'], { Ar: 'Ni' }, alloy, 'argon.xyz');
    expect(t.elements).toEqual(['Ni']);
    expect(t.problems).toEqual([]);
  });

  it('uses one funcfl file per type when several are uploaded', () => {
    const funcfl = readEamFiles(
      [
        { name: 'Cu.eam', text: funcflText(undefined, 29, 63.55, 0) },
        { name: 'Ni.eam', text: funcflText(undefined, 28, 58.69, 1) },
      ],
      'eam',
    );
    const t = eamTypes(['Ni', 'Cu', 'Ar'], { Ar: 'NULL' }, funcfl, 'x.xyz');
    expect(t.elements).toEqual(['Ni', 'Cu', 'NULL']);
    expect(t.files).toEqual(['Ni.eam', 'Cu.eam', 'Cu.eam']);
    expect(t.file).toBe('Cu.eam');
    expect(t.problems).toEqual([]);
  });

  it('asks for the file before one is uploaded', () => {
    const t = eamTypes(['Cu'], {}, null, 'x.xyz');
    expect(t.file).toBe('');
    expect(t.problems).toEqual(['upload the EAM potential file(s)']);
  });
});
