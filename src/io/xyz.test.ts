import { describe, expect, it } from 'vitest';
import { type AseImage, DUMP_ATOMS, runPython } from './ase.testing.ts';
import { fuzzParser } from './fuzz.testing.ts';
import { ParseError } from './parseError.ts';
import { convertValue, parseXyz, splitKeyValues, writeExtXyz } from './xyz.ts';

const EXT = `3
Lattice="10 0 0 0 11 0 0 0 12" Properties=species:S:1:pos:R:3:forces:R:3:tag:I:1 energy=-3.25 pbc="T T F" config_type="bulk fcc" step=7 converged
Cu 0.0 0.0 0.0 0.1 -0.2 0.3 1
ni 1.5 1.5 0.0 -0.1 0.2 -0.3 2
Cu 0.0 1.5 1.5 0 0 0 3
2
comment without keys
Ar 0 0 0
Ar 3.4 0 0
`;

const flat = (rows: number[][]) => rows.flat();

describe('extXYZ comment line', () => {
  it('splits key=value pairs as ASE does (quotes, braces, bare keys, spaces around =)', () => {
    expect(splitKeyValues('a=1 b="x y" c={1 2 3} flag d = 4 e=\'q\' f=[T F]')).toEqual([
      ['a', '1'],
      ['b', 'x y'],
      ['c', '1 2 3'],
      ['flag', 'T'],
      ['d', '4'],
      ['e', 'q'],
      ['f', 'T F'],
    ]);
    expect(convertValue('1 2 3')).toEqual([1, 2, 3]);
    expect(convertValue('1.5')).toBe(1.5);
    expect(convertValue('T F T')).toEqual([true, false, true]);
    expect(convertValue('bulk fcc')).toBe('bulk fcc');
  });
});

describe('parseXyz', () => {
  it('reads extXYZ frames: cell, pbc, properties, energy, forces, info; and plain XYZ', () => {
    const [a, b] = parseXyz(EXT, 'two.xyz');
    expect(a!.symbols).toEqual(['Cu', 'Ni', 'Cu']);
    expect(Array.from(a!.cell)).toEqual([10, 0, 0, 0, 11, 0, 0, 0, 12]);
    expect(a!.hasCell).toBe(true);
    expect(a!.pbc).toEqual([true, true, false]);
    expect(a!.rotation).toBeNull();
    expect(a!.energy).toBe(-3.25);
    expect(Array.from(a!.forces!)).toEqual([0.1, -0.2, 0.3, -0.1, 0.2, -0.3, 0, 0, 0]);
    expect(Array.from(a!.positions)).toEqual([0, 0, 0, 1.5, 1.5, 0, 0, 1.5, 1.5]);
    expect(Array.from(a!.arrays.tag!.values)).toEqual([1, 2, 3]);
    expect(a!.info).toEqual({ config_type: 'bulk fcc', step: 7, converged: true });
    expect(Array.from(a!.atomLines)).toEqual([3, 4, 5]);
    expect(b!.symbols).toEqual(['Ar', 'Ar']);
    expect(b!.hasCell).toBe(false);
    expect(b!.pbc).toEqual([false, false, false]);
    expect(Array.from(b!.atomLines)).toEqual([8, 9]);
  });

  it('turns a general cell into the restricted triclinic form and rotates positions, forces and stress', () => {
    // A triclinic cell rotated arbitrarily.
    const c = Math.cos(0.7);
    const s = Math.sin(0.7);
    const rot = (v: number[]) => [c * v[0]! - s * v[1]!, s * v[0]! + c * v[1]!, v[2]!];
    const rot2 = (v: number[]) => [v[0]!, c * v[1]! - s * v[2]!, s * v[1]! + c * v[2]!];
    const R = (v: number[]) => rot2(rot(v));
    const cell = [R([5, 0, 0]), R([1, 6, 0]), R([0.5, -0.7, 7])];
    const frac = [
      [0.1, 0.2, 0.3],
      [0.6, 0.5, 0.9],
    ];
    const cart = frac.map((f) =>
      [0, 1, 2].map((k) => f[0]! * cell[0]![k]! + f[1]! * cell[1]![k]! + f[2]! * cell[2]![k]!),
    );
    const forces = [R([1, 2, 3]), R([-1, -2, -3])];
    // diag(1, 2, 3) in the restricted frame, expressed in the rotated frame: Σ_k d_k R(e_k) R(e_k)ᵀ.
    const axes = [R([1, 0, 0]), R([0, 1, 0]), R([0, 0, 1])];
    const generalStress = Array.from({ length: 9 }, (_, ij) =>
      axes.reduce((acc, e, k) => acc + (k + 1) * e[Math.floor(ij / 3)]! * e[ij % 3]!, 0),
    );
    const text = writeExtXyz([
      {
        symbols: ['Cu', 'Cu'],
        positions: flat(cart),
        cell: flat(cell),
        forces: flat(forces),
        energy: -1,
        stress: generalStress,
      },
    ]);
    const [st] = parseXyz(text, 'tri.xyz');
    const k = st!.cell;
    expect([k[1], k[2], k[5]]).toEqual([0, 0, 0]);
    expect(k[0]).toBeCloseTo(5, 12);
    expect(k[3]).toBeCloseTo(1, 12);
    expect(k[4]).toBeCloseTo(6, 12);
    expect(k[6]).toBeCloseTo(0.5, 12);
    expect(k[7]).toBeCloseTo(-0.7, 12);
    expect(k[8]).toBeCloseTo(7, 12);
    // Same fractional coordinates in the new cell; forces rotated with the frame.
    for (let i = 0; i < 2; i++) {
      for (let a = 0; a < 3; a++) {
        const expected = frac[i]![0]! * k[a]! + frac[i]![1]! * k[3 + a]! + frac[i]![2]! * k[6 + a]!;
        expect(st!.positions[3 * i + a]).toBeCloseTo(expected, 12);
        expect(st!.forces![3 * i + a]).toBeCloseTo([1, 2, 3][a]! * (i === 0 ? 1 : -1), 12);
      }
    }
    [1, 0, 0, 0, 2, 0, 0, 0, 3].forEach((x, ij) => {
      expect(st!.stress![ij]).toBeCloseTo(x, 12);
    });
  });

  it('names file, line and problem for bad files', () => {
    const bad = (text: string, re: RegExp) => {
      expect(() => parseXyz(text, 'bad.xyz')).toThrow(ParseError);
      expect(() => parseXyz(text, 'bad.xyz')).toThrow(re);
    };
    bad(
      '4\ncomment\nAr 0 0 0\nAr 1 0 0\n',
      /^bad\.xyz:1: frame 1 declares 4 atoms but only 2 line\(s\) follow/,
    );
    bad(
      '2\n\nAr 0 0 0\nAr 1 0\n',
      /^bad\.xyz:4: atom 2: expected 4 columns \(species:S:1:pos:R:3\), found 3$/,
    );
    bad('1\n\nAr 0 zero 0\n', /^bad\.xyz:3: atom 1: pos\[1\] must be a finite number, found "zero"$/);
    bad('1\n\nAr 0 NaN 0\n', /^bad\.xyz:3: atom 1: pos\[1\] must be a finite number, found "NaN"$/);
    bad('two\n\nAr 0 0 0\n', /^bad\.xyz:1: expected the number of atoms of frame 1, found "two"$/);
    bad('1\nLattice="1 0 0 0 1 0 0 0"\nAr 0 0 0\n', /^bad\.xyz:2: Lattice must be 9 numbers/);
    bad('1\nLattice="1 0 0 2 0 0 0 0 1"\nAr 0 0 0\n', /^bad\.xyz:2: Lattice vectors are degenerate/);
    bad('1\npbc="T F"\nAr 0 0 0\n', /^bad\.xyz:2: pbc must be/);
    bad(
      '1\nProperties=species:S:1:pos:Q:3\nAr 0 0 0\n',
      /^bad\.xyz:2: Properties: column "pos" has unknown type "Q"/,
    );
    bad('1\nProperties=species:S:1\nAr 0 0 0\n', /^bad\.xyz:2: Properties must contain pos:R:3/);
    bad('1\nenergy=abc\nAr 0 0 0\n', /^bad\.xyz:2: energy must be a number \(eV\)/);
    bad('', /^bad\.xyz: the file holds no frame$/);
  });

  it('survives 4,000 corrupted files with ParseErrors only, quickly', () => {
    const ase = `2\nLattice="3.6 0.0 0.0 0.0 3.6 0.0 0.0 0.0 3.6" Properties=species:S:1:pos:R:3:forces:R:3 energy=-7.1 stress="1 0 0 0 1 0 0 0 1" pbc="T T T"\nCu       0.00000000       0.00000000       0.00000000       0.01000000       0.00000000      -0.00200000\nCu       1.80000000       1.80000000       0.00000000      -0.01000000       0.00000000       0.00200000\n`;
    const { rejected } = fuzzParser(
      [EXT, ase, '1\n\nAr 0 0 0\n'],
      'fz.xyz',
      (t) => parseXyz(t, 'fz.xyz'),
      4000,
    );
    expect(rejected).toBeGreaterThan(1000);
  });
});

describe('extXYZ round trips with ASE (python3-ase)', () => {
  it('ASE reads what writeExtXyz writes: same positions, cell, pbc, energy, forces, stress', () => {
    const frames = [
      {
        symbols: ['Cu', 'Ni', 'Cu'],
        positions: [0.1, 0.2, 0.3, 1.0000000000000002, 2.5, 3.25, -0.5, 7.25, 1e-7],
        cell: [10.5, 0, 0, 1.25, 9.75, 0, -0.5, 0.3333333333333333, 11],
        pbc: [true, true, false] as const,
        energy: -12.345678901234567,
        forces: [0.1, -0.2, 0.3, 1e-9, 2, -3, 0, 0, 0],
        stress: [0.01, 0.002, 0.003, 0.002, 0.02, 0.004, 0.003, 0.004, 0.03],
      },
      {
        symbols: ['Ar'],
        positions: [1, 2, 3],
        pbc: [false, false, false] as const,
        info: { note: 'a b', n: 3 },
      },
    ];
    const { json } = runPython(`${DUMP_ATOMS}\nfrom ase.io import read\ndump(read('ours.xyz', index=':'))`, {
      'ours.xyz': writeExtXyz(frames),
    });
    const [a, b] = json as AseImage[];
    expect(a!.symbols).toEqual(frames[0]!.symbols);
    expect(flat(a!.positions)).toEqual(frames[0]!.positions);
    expect(flat(a!.cell)).toEqual(frames[0]!.cell);
    expect(a!.pbc).toEqual([true, true, false]);
    expect(a!.energy).toBe(frames[0]!.energy);
    expect(flat(a!.forces!)).toEqual(frames[0]!.forces);
    // ASE stores stress in Voigt order xx yy zz yz xz xy.
    expect(a!.stress).toEqual([0.01, 0.02, 0.03, 0.004, 0.003, 0.002]);
    expect(b!.symbols).toEqual(['Ar']);
    expect(flat(b!.cell)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(b!.pbc).toEqual([false, false, false]);
  });

  it('parseXyz reads what ASE writes (two frames, triclinic restricted cell, slab pbc)', () => {
    const script = `${DUMP_ATOMS}
from ase.build import bulk, fcc111
from ase.calculators.singlepoint import SinglePointCalculator
from ase.io import write, read
import numpy as np
a = bulk('Cu', 'fcc', a=3.61) * (2, 2, 2)
a.rattle(0.05, seed=1)
rng = np.random.default_rng(3)
a.calc = SinglePointCalculator(a, energy=-28.123456789, forces=rng.normal(size=(len(a), 3)),
                               stress=np.array([0.1, 0.2, 0.3, 0.01, 0.02, 0.03]))
s = fcc111('Ni', size=(2, 2, 3), vacuum=6.0)
s.pbc = (True, True, False)
write('ase.xyz', [a, s], format='extxyz')
dump(read('ase.xyz', index=':'))
`;
    const { json, files } = runPython(script, {}, ['ase.xyz']);
    const images = json as AseImage[];
    const ours = parseXyz(files['ase.xyz']!, 'ase.xyz');
    expect(ours).toHaveLength(2);
    for (let f = 0; f < 2; f++) {
      const img = images[f]!;
      const st = ours[f]!;
      expect(st.symbols).toEqual(img.symbols);
      expect(st.pbc).toEqual(img.pbc);
      // ASE's cells here (bulk fcc primitive, fcc111 slab) are lower triangular already or get rotated.
      if (st.rotation === null) {
        expect(Array.from(st.cell)).toEqual(flat(img.cell));
        expect(Array.from(st.positions)).toEqual(flat(img.positions));
      } else {
        // Rotation preserves lengths: compare interatomic distances and cell vector lengths.
        const len = (v: ArrayLike<number>, o: number) => Math.hypot(v[o]!, v[o + 1]!, v[o + 2]!);
        for (let r = 0; r < 3; r++) expect(len(st.cell, 3 * r)).toBeCloseTo(len(flat(img.cell), 3 * r), 10);
        const p = flat(img.positions);
        const d = (x: ArrayLike<number>, i: number, j: number) =>
          Math.hypot(x[3 * i]! - x[3 * j]!, x[3 * i + 1]! - x[3 * j + 1]!, x[3 * i + 2]! - x[3 * j + 2]!);
        for (let i = 1; i < st.symbols.length; i++) expect(d(st.positions, 0, i)).toBeCloseTo(d(p, 0, i), 10);
      }
      if (img.energy !== undefined) expect(st.energy).toBe(img.energy);
      if (img.forces) {
        const F = flat(img.forces);
        for (let i = 0; i < F.length / 3; i++) {
          expect(Math.hypot(st.forces![3 * i]!, st.forces![3 * i + 1]!, st.forces![3 * i + 2]!)).toBeCloseTo(
            Math.hypot(F[3 * i]!, F[3 * i + 1]!, F[3 * i + 2]!),
            10,
          );
        }
        if (st.rotation === null) expect(Array.from(st.forces!)).toEqual(F);
      }
    }
    expect(ours[1]!.pbc).toEqual([true, true, false]);
    expect(ours[1]!.rotation).toBeNull();
    expect(Array.from(ours[1]!.positions)).toEqual(flat(images[1]!.positions));
  });
});

describe('extXYZ extremes', () => {
  it('rejects cells too large to rotate with a ParseError', () => {
    expect(() => parseXyz('1\nLattice="1e200 1e200 0 0 1e200 0 0 0 1e200"\nAr 0 0 0\n', 'huge.xyz')).toThrow(
      /^huge\.xyz:2: Lattice vectors are degenerate/,
    );
  });
});
