import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { density, embedding, funcflText, pair, SMALL_GRID, setflText } from './eamFiles.testing.ts';
import { fuzzParser } from './fuzz.testing.ts';
import {
  eamStyleFromFileName,
  parseEamFs,
  parseEamPotential,
  parseFuncfl,
  parseSetfl,
} from './lammpsPotential.ts';
import { ParseError } from './parseError.ts';

const DIR = '/usr/share/lammps/potentials';
const read = (name: string) => readFileSync(`${DIR}/${name}`, 'utf8');
/** The numbers written on 1-based line `n` of a text. */
const numbersOnLine = (text: string, n: number) => text.split('\n')[n - 1]!.trim().split(/\s+/).map(Number);

function expectParseError(f: () => unknown, message: RegExp): ParseError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    expect((e as ParseError).message).toMatch(message);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
}

describe('LAMMPS EAM potential files', () => {
  it('reads the funcfl file Cu_u3.eam (header, and values at known lines)', () => {
    const text = read('Cu_u3.eam');
    const p = parseFuncfl(text, 'Cu_u3.eam');
    expect(p.element).toEqual({ atomicNumber: 29, mass: 63.55, latticeConstant: 3.615, latticeType: 'FCC' });
    expect([p.nrho, p.drho, p.nr, p.dr, p.cutoff]).toEqual([
      500, 5.0100200400801306e-4, 500, 1.0000000000000009e-2, 4.9499999999999886,
    ]);
    // 5 values per line: F on lines 4–103, Z on 104–203, ρ on 204–303.
    expect(Array.from(p.frho.subarray(0, 5))).toEqual(numbersOnLine(text, 4));
    expect(Array.from(p.frho.subarray(495, 500))).toEqual(numbersOnLine(text, 103));
    expect(Array.from(p.zr.subarray(0, 5))).toEqual(numbersOnLine(text, 104));
    expect(Array.from(p.rhor.subarray(10, 15))).toEqual(numbersOnLine(text, 206));
    expect(Array.from(p.rhor.subarray(495, 500))).toEqual(numbersOnLine(text, 303));
  });

  it('reads the two-element setfl file CuNi.eam.alloy at known lines', () => {
    const text = read('CuNi.eam.alloy');
    const p = parseSetfl(text, 'CuNi.eam.alloy');
    expect(p.elements).toEqual(['Ni', 'Cu']);
    expect(p.headers.map((h) => [h.atomicNumber, h.mass])).toEqual([
      [28, 58.689],
      [29, 63.546],
    ]);
    expect([p.nrho, p.nr]).toEqual([500, 500]);
    expect(Array.from(p.frho[0]!.subarray(0, 5))).toEqual(numbersOnLine(text, 7));
    expect(Array.from(p.rhor[0]!.subarray(0, 5))).toEqual(numbersOnLine(text, 107));
    expect(Array.from(p.frho[1]!.subarray(5, 10))).toEqual(numbersOnLine(text, 209));
    expect(Array.from(p.rhor[1]!.subarray(495, 500))).toEqual(numbersOnLine(text, 407));
    // r·φ: Ni–Ni 408–507, Cu–Ni 508–607, Cu–Cu 608–707.
    expect(p.z2r).toHaveLength(3);
    expect(Array.from(p.z2r[1]!.subarray(0, 5))).toEqual(numbersOnLine(text, 508));
    expect(Array.from(p.z2r[2]!.subarray(495, 500))).toEqual(numbersOnLine(text, 707));
  });

  it('reads Finnis–Sinclair files: N density blocks per element', () => {
    const text = read('AlFe_mm.eam.fs');
    const p = parseEamFs(text, 'AlFe_mm.eam.fs');
    expect(p.elements).toEqual(['Al', 'Fe']);
    expect(p.rhor).toHaveLength(4);
    expect(p.z2r).toHaveLength(3);
    // Al header on line 6; F(Al) 7–2006, ρ_Al,Al 2007–4006, ρ_Al,Fe 4007–6006, Fe header 6007.
    expect(p.headers[1]!.atomicNumber).toBe(26);
    expect(Array.from(p.rhor[1]!.subarray(0, 5))).toEqual(numbersOnLine(text, 4007));
    expect(Array.from(p.frho[1]!.subarray(0, 5))).toEqual(numbersOnLine(text, 6008));
  });

  it('reads every EAM file of Debian lammps-data in the format its name says', () => {
    let n = 0;
    for (const f of readdirSync(DIR)) {
      const style = eamStyleFromFileName(f);
      if (!style) continue;
      const p = parseEamPotential(read(f), f, style);
      const tables = p.format === 'funcfl' ? [p.frho] : p.frho;
      expect(tables.every((t) => t.length === p.nrho)).toBe(true);
      n++;
    }
    expect(n).toBeGreaterThanOrEqual(25);
  });

  it('reads synthetic files exactly', () => {
    const g = SMALL_GRID;
    const f = parseFuncfl(funcflText(), 'x.eam');
    expect(f.frho[7]).toBe(Number(embedding(0, 7, g).toExponential(16)));
    expect(f.zr[3]).toBe(Number(pair(0, 0, 3, g).toExponential(16)));
    const fs = parseEamFs(setflText(['Cu', 'Ni'], g, true), 'x.eam.fs');
    expect(fs.rhor[1]![2]).toBe(Number(density(0, 2, g, 1).toExponential(16)));
  });

  it('names file, line and problem for bad files', () => {
    const text = funcflText();
    const lines = text.split('\n');
    // Truncated in the middle of Z(r): F takes lines 4–6 (12 values), Z 7–9.
    expectParseError(
      () => parseFuncfl(lines.slice(0, 8).join('\n'), 'Cu_small.eam'),
      /^Cu_small\.eam:8: expected 14 values of Z\(r\), found 10 \(file truncated\?\)$/,
    );
    // Wrong counts: the header says fewer ρ(r) values than the file has.
    expectParseError(
      () => parseFuncfl(text.replace('12 0.05 14', '12 0.05 13'), 'c.eam'),
      /^c\.eam:9: expected 13 values of Z\(r\), but this line holds 1 more/,
    );
    expectParseError(
      () => parseFuncfl(text.replace('12 0.05 14', '12 0.05 15'), 'c.eam'),
      /^c\.eam:10: expected 15 values of Z\(r\), but this line holds 4 more/,
    );
    // Non-numeric and NaN values.
    const bad = [...lines];
    bad[4] = bad[4]!.replace(/^\S+/, 'abc');
    expectParseError(
      () => parseFuncfl(bad.join('\n'), 'n.eam'),
      /^n\.eam:5: value 6 of F\(ρ\): "abc" is not a number$/,
    );
    bad[4] = lines[4]!.replace(/^\S+/, 'NaN');
    expectParseError(
      () => parseFuncfl(bad.join('\n'), 'n.eam'),
      /^n\.eam:5: value 6 of F\(ρ\): "NaN" is not a finite number$/,
    );
    expectParseError(
      () => parseFuncfl(text.replace('12 0.05', 'twelve 0.05'), 'h.eam'),
      /^h\.eam:3: nrho: "twelve" is not a whole number$/,
    );
    expectParseError(
      () => parseFuncfl(text.replace('0.05 14 0.4', '0.05 14 0'), 'h.eam'),
      /^h\.eam:3: dr = 0 must be > 0 Å$/,
    );
    // setfl: element count and names disagree; trailing data.
    const s = setflText(['Cu', 'Ni']);
    expectParseError(
      () => parseSetfl(s.replace('2 Cu Ni', '3 Cu Ni'), 'a.eam.alloy'),
      /^a\.eam\.alloy:4: the file says 3 element\(s\) but names 2$/,
    );
    expectParseError(
      () => parseSetfl(`${s}1 2 3\n`, 'a.eam.alloy'),
      /^a\.eam\.alloy:\d+: unexpected data after the last table/,
    );
    expectParseError(() => parseSetfl('', 'e.eam.alloy'), /^e\.eam\.alloy: file ends before comment line 1/);
  });

  it('survives 6,000 corrupted files (2,000 per format) with ParseErrors only, quickly', () => {
    const cases: [string[], (t: string) => unknown][] = [
      [[funcflText(), read('Cu_u3.eam')], (t) => parseFuncfl(t, 'f.eam')],
      [[setflText(['Cu', 'Ni']), setflText(['Al'])], (t) => parseSetfl(t, 'f.eam')],
      [[setflText(['Cu', 'Ni', 'Al'], SMALL_GRID, true)], (t) => parseEamFs(t, 'f.eam')],
    ];
    for (const [seeds, parse] of cases) {
      const { rejected, accepted } = fuzzParser(seeds, 'f.eam', parse, 2000);
      expect(rejected).toBeGreaterThan(1000);
      expect(accepted).toBeGreaterThan(0);
    }
  });
});
