import { describe, expect, it } from 'vitest';
import { ParseError } from '../../io/parseError.ts';
import { elementsOf, readStructureFile, structureFormat } from './structureFile.ts';

const xyz = ['3', 'Lattice="10 0 0 0 10 0 0 0 10" pbc="T T F"', 'Cu 0 0 0', 'Ni 1 1 1', 'Cu 2 2 2', ''].join(
  '\n',
);

const lammpsData = [
  'two atoms',
  '',
  '2 atoms',
  '1 atom types',
  '0 10 xlo xhi',
  '0 10 ylo yhi',
  '0 10 zlo zhi',
  '',
  'Masses',
  '',
  '1 39.948 # Ar',
  '',
  'Atoms # atomic',
  '',
  '1 1 1 1 1',
  '2 1 4 4 4',
  '',
].join('\n');

describe('structureFormat', () => {
  it('goes by the extension, then by the first line', () => {
    expect(structureFormat('a.xyz', '')).toBe('extxyz');
    expect(structureFormat('a.EXTXYZ', '')).toBe('extxyz');
    expect(structureFormat('cu.data', '3\n')).toBe('lammps-data');
    expect(structureFormat('data.cu', '3\n')).toBe('lammps-data');
    expect(structureFormat('frame.txt', ' 12 \nx')).toBe('extxyz');
    expect(structureFormat('frame.txt', 'LAMMPS data file\n')).toBe('lammps-data');
  });
});

describe('readStructureFile', () => {
  it('reads extXYZ with its elements in order of first appearance', () => {
    const up = readStructureFile('alloy.extxyz', xyz);
    expect(up.format).toBe('extxyz');
    expect(up.frames).toBe(1);
    expect(up.elements).toEqual(['Cu', 'Ni']);
    expect(up.structure.pbc).toEqual([true, true, false]);
  });

  it('uses the last frame of a trajectory', () => {
    const two = `${xyz}${xyz.replace('Ni 1 1 1', 'Ni 1.5 1 1')}`;
    const up = readStructureFile('traj.xyz', two);
    expect(up.frames).toBe(2);
    expect(up.structure.positions[3]).toBe(1.5);
  });

  it('reads LAMMPS data files, elements from the Masses comments', () => {
    const up = readStructureFile('argon.data', lammpsData);
    expect(up.format).toBe('lammps-data');
    expect(up.elements).toEqual(['Ar']);
    expect(up.structure.symbols).toHaveLength(2);
  });

  it('throws a ParseError naming the file and the line', () => {
    const bad = xyz.replace('Ni 1 1 1', 'Ni 1 x 1');
    expect(() => readStructureFile('bad.xyz', bad)).toThrow(ParseError);
    expect(() => readStructureFile('bad.xyz', bad)).toThrow(/^bad\.xyz:4: /);
  });

  it('elementsOf keeps first appearances', () => {
    expect(elementsOf(['B', 'A', 'B', 'C', 'A'])).toEqual(['B', 'A', 'C']);
  });
});
