import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AseImage, DUMP_ATOMS, runPython } from './ase.testing.ts';
import { fuzzParser } from './fuzz.testing.ts';
import { parseLammpsData } from './lammpsData.ts';
import { ParseError } from './parseError.ts';

const ATOMIC = `LAMMPS data file, hand written

4 atoms
2 atom types

1.0 11.0 xlo xhi
-2.0 8.0 ylo yhi
0.0 12.0 zlo zhi
1.5 -0.5 0.25 xy xz yz

Masses

1 63.546 # Cu
2 58.69

Atoms # atomic

3 2 2.0 3.0 4.0 0 1 -1
1 1 1.0 -2.0 0.0 0 0 0
2 1 5.0 0.0 6.0 1 0 0
4 2 10.5 7.5 11.5 0 0 0

Velocities

1 1.0 2.0 3.0
2 -1.0 0.0 0.5
3 0 0 0
4 10 20 30
`;

const CHARGE = `charge style without a hint
3 atoms
1 atom types
0 10 xlo xhi
0 10 ylo yhi
0 10 zlo zhi

Atoms

1 1 0.5 1 1 1
2 1 -0.25 2 2 2
3 1 -0.25 3 3 3
`;

describe('parseLammpsData', () => {
  it('reads atomic style: box origin shifted to 0, tilts, masses, elements, ids sorted, images, velocities', () => {
    const s = parseLammpsData(ATOMIC, 'hand.data');
    expect(s.style).toBe('atomic');
    expect(Array.from(s.cell)).toEqual([10, 0, 0, 1.5, 10, 0, -0.5, 0.25, 12]);
    expect(Array.from(s.ids)).toEqual([1, 2, 3, 4]);
    expect(Array.from(s.lammpsTypes)).toEqual([1, 1, 2, 2]);
    // Type 1 from the Masses comment, type 2 from its mass.
    expect(s.typeElements).toEqual(['Cu', 'Ni']);
    expect(s.symbols).toEqual(['Cu', 'Cu', 'Ni', 'Ni']);
    expect(Array.from(s.positions)).toEqual([0, 0, 0, 4, 2, 6, 1, 5, 4, 9.5, 9.5, 11.5]);
    expect(Array.from(s.images)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, -1, 0, 0, 0]);
    expect(Array.from(s.masses!)).toEqual([63.546, 63.546, 58.69, 58.69]);
    // metal units: Å/ps → Å/fs.
    expect(Array.from(s.velocities!)).toEqual([1e-3, 2e-3, 3e-3, -1e-3, 0, 5e-4, 0, 0, 0, 0.01, 0.02, 0.03]);
    expect(Array.from(s.atomLines)).toEqual([19, 20, 18, 21]);
    expect(s.info.origin).toEqual([1, -2, 0]);
    expect(parseLammpsData(ATOMIC, 'hand.data', { units: 'real' }).velocities![0]).toBe(1);
    expect(parseLammpsData(ATOMIC, 'hand.data', { typeElements: ['Ag', 'Au'] }).symbols).toEqual([
      'Ag',
      'Ag',
      'Au',
      'Au',
    ]);
  });

  it('reads charge style guessed from the column count, with an explicit element map', () => {
    const s = parseLammpsData(CHARGE, 'q.data', { typeElements: { 1: 'O' } });
    expect(s.style).toBe('charge');
    expect(Array.from(s.charges!)).toEqual([0.5, -0.25, -0.25]);
    expect(Array.from(s.positions)).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3]);
    expect(s.symbols).toEqual(['O', 'O', 'O']);
    expect(s.masses).toBeUndefined();
  });

  it('reads what LAMMPS write_data writes (triclinic fcc Cu with velocities) like LAMMPS dumps it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmp-data-'));
    try {
      const input = [
        'units metal',
        'atom_style atomic',
        'lattice fcc 3.615',
        'region box prism 0 3 0 2 0 2 0.7 -0.4 0.3',
        'create_box 1 box',
        'create_atoms 1 box',
        'mass 1 63.546',
        'displace_atoms all random 0.1 0.1 0.1 7',
        'velocity all create 300 42',
        'write_data out.data',
        'write_dump all custom out.dump id x y z vx vy vz modify sort id format float %.17g',
      ].join('\n');
      writeFileSync(join(dir, 'in.lmp'), input);
      execFileSync('lmp', ['-in', 'in.lmp', '-log', 'none', '-screen', 'none'], { cwd: dir });
      const s = parseLammpsData(readFileSync(join(dir, 'out.data'), 'utf8'), 'out.data');
      const dump = readFileSync(join(dir, 'out.dump'), 'utf8').split('\n');
      const bounds = dump.slice(5, 8).map((l) => l.trim().split(/\s+/).map(Number));
      const rows = dump
        .slice(9)
        .filter((l) => l.trim() !== '')
        .map((l) => l.trim().split(/\s+/).map(Number));
      expect(s.symbols).toHaveLength(rows.length);
      expect(s.symbols.every((x) => x === 'Cu')).toBe(true);
      expect(s.cell[3]).toBeCloseTo(0.7 * 3.615, 10);
      // Dump bounds of a triclinic box are the bounding box; xlo, ylo, zlo are the data-file origin.
      const origin = s.info.origin as number[];
      expect(origin[2]).toBeCloseTo(bounds[2]![0]!, 10);
      rows.forEach((r, i) => {
        expect(s.ids[i]).toBe(r[0]);
        for (let a = 0; a < 3; a++) {
          // Both write wrapped positions; the data file's are relative to the box origin here.
          expect(s.positions[3 * i + a]! + origin[a]!).toBeCloseTo(r[1 + a]!, 8);
          expect(s.velocities![3 * i + a]).toBeCloseTo(r[4 + a]! * 1e-3, 12);
        }
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads what ASE writes (charge style, velocities) like ASE reads it', () => {
    const { json, files } = runPython(
      `${DUMP_ATOMS}
from ase.build import bulk
from ase.io import write, read
import numpy as np
a = bulk('Cu', 'fcc', a=3.61) * (2, 2, 1)
a.rattle(0.05, seed=2)
a.set_initial_charges(np.linspace(-0.5, 0.5, len(a)))
a.set_velocities(np.random.default_rng(1).normal(size=(len(a), 3)) * 0.01)
write('ase.data', a, format='lammps-data', atom_style='charge', velocities=True, units='metal')
dump([read('ase.data', format='lammps-data', style='charge', units='metal')])
`,
      {},
      ['ase.data'],
    );
    const [img] = json as AseImage[];
    const s = parseLammpsData(files['ase.data']!, 'ase.data', { typeElements: ['Cu'] });
    expect(Array.from(s.cell)).toEqual(img!.cell.flat());
    expect(Array.from(s.positions)).toEqual(img!.positions.flat());
    img!.velocities!.flat().forEach((v, k) => {
      expect(s.velocities![k]).toBeCloseTo(v, 12);
    });
  });

  it('names file, line and problem for bad files', () => {
    const bad = (text: string, re: RegExp) => {
      expect(() => parseLammpsData(text, 'bad.data')).toThrow(ParseError);
      expect(() => parseLammpsData(text, 'bad.data')).toThrow(re);
    };
    const lines = ATOMIC.split('\n');
    bad(
      lines.slice(0, 20).join('\n'),
      /^bad\.data:20: section Atoms: expected 4 lines, found 3 \(file truncated\?\)$/,
    );
    bad(
      ATOMIC.replace('4 atoms', '5 atoms'),
      /^bad\.data:23: section Atoms: expected 5 lines, found 4 before the next section$/,
    );
    bad(
      ATOMIC.replace('1 1 1.0 -2.0 0.0 0 0 0', '1 1 1.0 -2.0 zero 0 0 0'),
      /^bad\.data:19: Atoms: z of atom 1 \(Å\): "zero" is not a number$/,
    );
    bad(
      ATOMIC.replace('1 1 1.0 -2.0 0.0 0 0 0', '1 1 1.0 nan 0.0 0 0 0'),
      /^bad\.data:19: Atoms: y of atom 1 \(Å\): "nan" is not a finite number$/,
    );
    bad(
      ATOMIC.replace('1 1 1.0 -2.0 0.0 0 0 0', '1 3 1.0 -2.0 0.0 0 0 0'),
      /^bad\.data:19: Atoms: type 3 of atom 1 is outside 1…2$/,
    );
    bad(
      ATOMIC.replace('1 1 1.0 -2.0 0.0 0 0 0', '1 1 1.0 -2.0 0.0 0'),
      /^bad\.data:19: Atoms \(atomic\): expected 5 or 8 columns/,
    );
    bad(
      ATOMIC.replace('Atoms # atomic', 'Atoms # full'),
      /^bad\.data:16: atom style "full" is not supported/,
    );
    bad(
      ATOMIC.replace('2 58.69', '2 1000.5'),
      /^bad\.data: cannot tell the element of type 2 \(mass 1000\.5 amu matches no element\)/,
    );
    bad(ATOMIC.replace('12.0 zlo zhi', 'zlo zhi'), /^bad\.data:8: unknown header line "0\.0 zlo zhi"$/);
    bad(ATOMIC.replace('3 0 0 0', '3 0 0'), /^bad\.data:\d+: Velocities: expected 4 columns/);
    bad('', /^bad\.data: file ends before the title line/);
  });

  it('survives 3,000 corrupted files with ParseErrors only, quickly', () => {
    const { rejected } = fuzzParser([ATOMIC, CHARGE], 'fz.data', (t) => parseLammpsData(t, 'fz.data'), 3000);
    expect(rejected).toBeGreaterThan(1000);
  });
});
