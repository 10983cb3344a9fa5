import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { density, embedding, pair, SMALL_GRID, setflText } from '../../io/eamFiles.testing.ts';
import { parseEamFs, parseFuncfl, parseSetfl } from '../../io/lammpsPotential.ts';
import { ParseError } from '../../io/parseError.ts';
import { eamTabulation, FUNCFL_Z2R_FACTOR } from './eamTabulation.ts';

const DIR = '/usr/share/lammps/potentials';
const funcfl = (name: string) => parseFuncfl(readFileSync(`${DIR}/${name}`, 'utf8'), name);

/** A funcfl file whose three functions are cubic polynomials (4-point Lagrange regridding is exact for them). */
function cubicFuncfl(name: string, z: number, nrho: number, drho: number, nr: number, dr: number): string {
  const f = (x: number) => 1 - 2 * x + 0.5 * x * x - 0.1 * x * x * x;
  const zr = (r: number) => 3 + r - 0.2 * r * r + 0.01 * r * r * r;
  const rho = (r: number) => 2 - 0.3 * r + 0.02 * r * r * r;
  const block = (n: number, d: number, g: (x: number) => number) =>
    Array.from({ length: n }, (_, m) => g(m * d).toExponential(17)).join('\n');
  return [
    name,
    `${z} 10.0 3.0 FCC`,
    `${nrho} ${drho} ${nr} ${dr} ${(nr - 1) * dr}`,
    block(nrho, drho, f),
    block(nr, dr, zr),
    block(nr, dr, rho),
    '',
  ].join('\n');
}
const cubicF = (x: number) => 1 - 2 * x + 0.5 * x * x - 0.1 * x * x * x;
const cubicZ = (r: number) => 3 + r - 0.2 * r * r + 0.01 * r * r * r;
const cubicRho = (r: number) => 2 - 0.3 * r + 0.02 * r * r * r;

describe('eamTabulation (LAMMPS file2array)', () => {
  it('funcfl, one file: LAMMPS grid sizes, z2r = 27.2·0.529·Z², tables equal to the file', () => {
    const f = funcfl('Cu_u3.eam');
    const t = eamTabulation([f], 'eam', ['Cu']);
    // LAMMPS: nr = int((nr_file − 1)·dr/dr + 0.5) = nr_file − 1, likewise nrho; rhomax = (nrho_file − 1)·drho.
    expect([t.nr, t.nrho, t.dr, t.drho, t.cutoff]).toEqual([499, 499, f.dr, f.drho, f.cutoff]);
    expect(t.rhomax).toBe(499 * f.drho);
    expect(FUNCFL_Z2R_FACTOR).toBe(27.2 * 0.529);
    for (let m = 1; m < t.nr; m++) {
      const z = f.zr[m]!;
      expect(t.z2r[0]![m]).toBeCloseTo(27.2 * 0.529 * z * z, 12);
      expect(t.rhor[0]![m]).toBeCloseTo(f.rhor[m]!, 14);
    }
    for (let m = 1; m < t.nrho; m++) expect(t.frho[0]![m]).toBeCloseTo(f.frho[m]!, 14);
    expect(Array.from(t.type2frho)).toEqual([0]);
    expect(t.masses).toEqual([63.55]);
    expect(t.atomicNumbers).toEqual([29]);
  });

  it('funcfl, two files on different grids: regridded exactly like LAMMPS (exact for cubics)', () => {
    const a = parseFuncfl(cubicFuncfl('a.eam', 29, 40, 0.05, 50, 0.1), 'a.eam');
    const b = parseFuncfl(cubicFuncfl('b.eam', 47, 30, 0.08, 40, 0.13), 'b.eam');
    const t = eamTabulation([a, b], 'eam', ['Cu', 'Ag']);
    expect([t.dr, t.drho]).toEqual([0.13, 0.08]);
    expect(t.nr).toBe(Math.trunc((39 * 0.13) / 0.13 + 0.5));
    expect(t.nrho).toBe(Math.trunc(Math.max(39 * 0.05, 29 * 0.08) / 0.08 + 0.5));
    expect(t.cutoff).toBeCloseTo(39 * 0.13, 12);
    for (let m = 0; m < t.nrho; m++) {
      if (m * 0.08 <= 39 * 0.05) expect(t.frho[0]![m]).toBeCloseTo(cubicF(m * 0.08), 10);
      expect(t.frho[1]![m]).toBeCloseTo(cubicF(m * 0.08), 10);
    }
    for (let m = 0; m < t.nr; m++) {
      const r = m * 0.13;
      if (r <= 49 * 0.1) {
        expect(t.rhor[0]![m]).toBeCloseTo(cubicRho(r), 10);
        expect(t.z2r[0]![m]).toBeCloseTo(FUNCFL_Z2R_FACTOR * cubicZ(r) ** 2, 8);
        expect(t.z2r[1]![m]).toBeCloseTo(FUNCFL_Z2R_FACTOR * cubicZ(r) ** 2, 8);
      }
    }
    expect(Array.from(t.type2rhor)).toEqual([0, 0, 1, 1]);
    expect(Array.from(t.type2z2r)).toEqual([0, 1, 1, 2]);
  });

  it('funcfl Cu_u3 + Ag_u3: r·φ on the common grid equals LAMMPS pair_write (pair_style eam)', () => {
    const cu = funcfl('Cu_u3.eam');
    const ag = funcfl('Ag_u3.eam');
    const t = eamTabulation([cu, ag], 'eam', ['Cu', 'Ag']);
    expect(t.dr).toBe(ag.dr);
    const dir = mkdtempSync(join(tmpdir(), 'eam-pairwrite-'));
    try {
      const lo = 20;
      const hi = t.nr - 3;
      const lines = [
        'units metal',
        'atom_style atomic',
        'region box block 0 20 0 20 0 20',
        'create_box 2 box',
        'create_atoms 1 single 1 1 1',
        'create_atoms 2 single 10 10 10',
        'pair_style eam',
        `pair_coeff 1 1 ${DIR}/Cu_u3.eam`,
        `pair_coeff 2 2 ${DIR}/Ag_u3.eam`,
        'run 0',
      ];
      for (const [i, j] of [
        [1, 1],
        [1, 2],
        [2, 2],
      ]) {
        lines.push(`pair_write ${i} ${j} ${hi - lo + 1} r ${lo * t.dr} ${hi * t.dr} t${i}${j}.txt T`);
      }
      writeFileSync(join(dir, 'in.lmp'), `${lines.join('\n')}\n`);
      execFileSync('lmp', ['-in', 'in.lmp', '-log', 'none', '-screen', 'none'], { cwd: dir });
      for (const [i, j] of [
        [0, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        const rows = readFileSync(join(dir, `t${i + 1}${j + 1}.txt`), 'utf8')
          .split('\n')
          .map((l) => l.trim().split(/\s+/).map(Number))
          .filter((w) => w.length === 4 && Number.isFinite(w[0]));
        expect(rows).toHaveLength(hi - lo + 1);
        const table = t.z2r[t.type2z2r[i * 2 + j]!]!;
        for (const [k, r, energy] of rows as [number, number, number, number][]) {
          const m = lo + k - 1;
          expect(r).toBeCloseTo(m * t.dr, 10);
          // At a knot LAMMPS's spline returns the table value: φ = z2r[m] / r.
          expect(Math.abs(energy - table[m]! / r)).toBeLessThan(1e-10 * Math.max(1, Math.abs(energy)));
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('setfl: tables copied, type maps as LAMMPS, masses from the file, NULL types', () => {
    const g = SMALL_GRID;
    const p = parseSetfl(setflText(['Cu', 'Ni']), 'CuNi.eam.alloy');
    // Types: 0 → Ni, 1 → NULL, 2 → Cu.
    const t = eamTabulation([p], 'eam/alloy', ['Ni', 'NULL', 'Cu']);
    expect([t.nrho, t.nr, t.rhomax]).toEqual([g.nrho, g.nr, (g.nrho - 1) * g.drho]);
    expect(Array.from(t.type2frho)).toEqual([1, -1, 0]);
    expect(Array.from(t.type2rhor)).toEqual([1, -1, 1, -1, -1, -1, 0, -1, 0]);
    expect(Array.from(t.type2z2r)).toEqual([2, -1, 1, -1, -1, -1, 1, -1, 0]);
    expect(t.frho[1]![3]).toBeCloseTo(embedding(1, 3, g), 14);
    expect(t.rhor[0]![5]).toBeCloseTo(density(0, 5, g), 14);
    expect(t.z2r[1]![4]).toBeCloseTo(pair(1, 0, 4, g), 14);
    expect(t.masses).toEqual([58.6934, 0, 63.546]);
    expect(t.atomicNumbers).toEqual([28, 0, 29]);
  });

  it('eam/fs: type2rhor[a][b] is the block of element(a) listed for element(b)', () => {
    const g = SMALL_GRID;
    const p = parseEamFs(setflText(['Cu', 'Ni', 'Al'], g, true), 'x.eam.fs');
    const t = eamTabulation([p], 'eam/fs', ['Al', 'Cu']);
    // Al = element 2, Cu = element 0 of the file; N = 3.
    expect(Array.from(t.type2rhor)).toEqual([2 * 3 + 2, 2 * 3 + 0, 0 * 3 + 2, 0]);
    // The density that Al (a) contributes at Cu (b): block listed under Al for Cu.
    expect(t.rhor[t.type2rhor[1]!]![3]).toBeCloseTo(density(2, 3, g, 0), 14);
    expect(Array.from(t.type2z2r)).toEqual([5, 3, 3, 0]);
  });

  it('real files: CuNi.eam.alloy and Fe_mm.eam.fs', () => {
    const cuni = parseSetfl(readFileSync(`${DIR}/CuNi.eam.alloy`, 'utf8'), 'CuNi.eam.alloy');
    const t = eamTabulation([cuni], 'eam/alloy', ['Cu', 'Ni']);
    expect(t.frho[t.type2frho[0]!]).toEqual(cuni.frho[1]);
    expect(t.cutoff).toBe(cuni.cutoff);
    const fe = parseEamFs(readFileSync(`${DIR}/Fe_mm.eam.fs`, 'utf8'), 'Fe_mm.eam.fs');
    const tf = eamTabulation([fe], 'eam/fs', ['Fe', 'NULL']);
    expect(tf.z2r[0]).toEqual(fe.z2r[0]);
    expect(Array.from(tf.type2frho)).toEqual([0, -1]);
  });

  it('names the file when an element is missing or the files do not fit the style', () => {
    const p = parseSetfl(setflText(['Cu', 'Ni']), 'CuNi.eam.alloy');
    expect(() => eamTabulation([p], 'eam/alloy', ['Cu', 'Al'])).toThrow(
      new ParseError('CuNi.eam.alloy', 4, 'element Al is missing from the potential file (it has Cu, Ni)'),
    );
    expect(() => eamTabulation([p], 'eam/alloy', ['Cu', 'Al'])).toThrow(
      /^CuNi\.eam\.alloy:4: element Al is missing/,
    );
    expect(() => eamTabulation([p], 'eam/fs', ['Cu'])).toThrow(
      /needs a eam\/fs file, but this is a setfl file/,
    );
    expect(() => eamTabulation([p], 'eam/alloy', ['NULL'])).toThrow(/every type is NULL/);
    expect(() => eamTabulation([funcfl('Cu_u3.eam')], 'eam', ['Ni'])).toThrow(
      /^Cu_u3\.eam:2: element Ni is missing from this funcfl file: it is for Z = 29/,
    );
  });
});
