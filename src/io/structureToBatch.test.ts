import { describe, expect, it } from 'vitest';
import { parseLammpsData } from './lammpsData.ts';
import { ParseError } from './parseError.ts';
import { structureToBatch, typeMapFromElements } from './structureToBatch.ts';
import { parseXyz } from './xyz.ts';

const XYZ = `3
Lattice="8 0 0 0 8 0 0 0 8" pbc="T T F"
Cu 0 0 0
Ni 2 0 0
Cu 0 2 0
`;

describe('structureToBatch', () => {
  it('maps elements to potential types like pair_coeff * * file El1 El2 (NULL included)', () => {
    const [s] = parseXyz(XYZ, 'cuni.xyz');
    const map = typeMapFromElements(['Ni', 'NULL', 'Cu']);
    expect([...map.entries()]).toEqual([
      ['Ni', 0],
      ['Cu', 2],
    ]);
    const b = structureToBatch(s!, map);
    expect(Array.from(b.types)).toEqual([2, 0, 2]);
    expect(Array.from(b.atomicNumbers)).toEqual([29, 28, 29]);
    expect(Array.from(b.masses)).toEqual([63.546, 58.6934, 63.546]);
    expect(Array.from(b.cells)).toEqual([8, 0, 0, 0, 8, 0, 0, 0, 8]);
    expect(Array.from(b.pbc)).toEqual([1, 1, 0]);
    expect(Array.from(b.atomsPtr)).toEqual([0, 3]);
    // A NULL type by map, and masses given explicitly.
    const nul = structureToBatch(s!, { Cu: 0, Ni: -1 }, { masses: { Cu: 63.55 } });
    expect(Array.from(nul.types)).toEqual([0, -1, 0]);
    expect(nul.masses[0]).toBe(63.55);
  });

  it('uses the masses and velocities of a LAMMPS data file', () => {
    const data = `t\n\n1 atoms\n1 atom types\n0 5 xlo xhi\n0 5 ylo yhi\n0 5 zlo zhi\n\nMasses\n\n1 63.55 # Cu\n\nAtoms\n\n1 1 1 2 3\n\nVelocities\n\n1 1 0 0\n`;
    const b = structureToBatch(parseLammpsData(data, 'one.data'), { Cu: 0 });
    expect(b.masses[0]).toBe(63.55);
    expect(Array.from(b.velocities)).toEqual([1e-3, 0, 0]);
  });

  it('puts a structure without cell in a box with vacuum', () => {
    const [s] = parseXyz('2\n\nAr -1 0 0\nAr 2.4 0 0\n', 'ar2.xyz');
    const b = structureToBatch(s!, { Ar: 0 }, { vacuum: 5 });
    expect(Array.from(b.cells)).toEqual([13.4, 0, 0, 0, 10, 0, 0, 0, 10]);
    expect(Array.from(b.positions)).toEqual([5, 5, 5, 8.4, 5, 5]);
    expect(Array.from(b.pbc)).toEqual([0, 0, 0]);
  });

  it('names the file and the line of the first atom whose element has no type or mass', () => {
    const [s] = parseXyz(XYZ, 'cuni.xyz');
    expect(() => structureToBatch(s!, { Cu: 0 })).toThrow(
      new ParseError('cuni.xyz', 4, 'element Ni of atom 2 has no potential type (type map: Cu → 0)'),
    );
    const [x] = parseXyz('1\n\nXx 0 0 0\n', 'xx.xyz');
    expect(() => structureToBatch(x!, { Xx: 0 })).toThrow(
      /^xx\.xyz:3: element Xx of atom 1 has no known mass/,
    );
    const [p] = parseXyz('1\npbc=T\nAr 0 0 0\n', 'p.xyz');
    expect(() => structureToBatch(p!, { Ar: 0 })).toThrow(
      /^p\.xyz: periodic along axis x but the file gives no cell/,
    );
  });
});
