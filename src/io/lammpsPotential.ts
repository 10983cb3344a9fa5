/**
 * LAMMPS EAM potential files (DYNAMO formats), read as LAMMPS reads them:
 * - funcfl (`pair_style eam`): one element; F(ρ), Z(r) and ρ(r) on their grids.
 * - setfl (`pair_style eam/alloy`): several elements; per element F(ρ) and ρ(r), then r·φ(r)
 *   for every pair i ≥ j.
 * - Finnis–Sinclair (`pair_style eam/fs`): like setfl, but each element i lists N density
 *   functions ρ_ij(r), one per element j.
 *
 * Tables are stored 0-based: value m of a table is at ρ = m·drho or r = m·dr (LAMMPS keeps the
 * same values 1-based). Units are LAMMPS `metal`: eV, Å, amu; Z(r) of funcfl files is in the
 * DYNAMO units √(Hartree·Bohr). Every problem is a `ParseError` naming file and line.
 */
import { LineReader, toInteger, words } from './text.ts';

/** The per-element header line: atomic number, mass, lattice constant, lattice type. */
export interface EamElementHeader {
  /** Atomic number Z as written in the file. */
  atomicNumber: number;
  /** Mass, amu. */
  mass: number;
  /** Lattice constant, Å (0 when the file omits it). */
  latticeConstant: number;
  /** Lattice type, e.g. `FCC` ('' when the file omits it). */
  latticeType: string;
}

/** Grid of the tabulated functions, as in the file's header. */
export interface EamGrid {
  /** Number of ρ points. */
  nrho: number;
  /** ρ spacing (density units of the file). */
  drho: number;
  /** Number of r points. */
  nr: number;
  /** r spacing, Å. */
  dr: number;
  /** Cutoff radius, Å. */
  cutoff: number;
}

/** A DYNAMO funcfl file (one element). */
export interface FuncflFile extends EamGrid {
  format: 'funcfl';
  /** File name, for messages and to tell files apart (LAMMPS compares file names). */
  file: string;
  /** First line of the file. */
  comment: string;
  element: EamElementHeader;
  /** Embedding energy F(ρ), eV (nrho values). */
  frho: Float64Array;
  /** Effective charge Z(r), √(Hartree·Bohr) (nr values). */
  zr: Float64Array;
  /** Electron density ρ(r) (nr values). */
  rhor: Float64Array;
}

/** A DYNAMO setfl file (`eam/alloy`). */
export interface SetflFile extends EamGrid {
  format: 'setfl';
  file: string;
  /** The three comment lines. */
  comments: string[];
  /** Element names as listed on line 4. */
  elements: string[];
  /** Header line of each element. */
  headers: EamElementHeader[];
  /** F(ρ) of each element, eV (nrho values each). */
  frho: Float64Array[];
  /** ρ(r) of each element (nr values each). */
  rhor: Float64Array[];
  /** r·φ(r), eV·Å, for element pairs i ≥ j at index i(i+1)/2 + j (nr values each). */
  z2r: Float64Array[];
}

/** A Finnis–Sinclair file (`eam/fs`). */
export interface EamFsFile extends EamGrid {
  format: 'eam/fs';
  file: string;
  comments: string[];
  elements: string[];
  headers: EamElementHeader[];
  frho: Float64Array[];
  /**
   * Density functions, N×N row-major: `rhor[i·N + j]` is the j-th density block listed under
   * element i in the file (LAMMPS's `fs->rhor[i][j]`).
   */
  rhor: Float64Array[];
  /** r·φ(r), eV·Å, pairs i ≥ j at index i(i+1)/2 + j. */
  z2r: Float64Array[];
}

export type EamPotentialFile = FuncflFile | SetflFile | EamFsFile;

/** Largest table we accept; real files have at most a few 10⁴ points. */
const MAX_POINTS = 1_000_000;
/** Largest number of elements in one file. */
const MAX_ELEMENTS = 128;

function readGrid(reader: LineReader): EamGrid {
  const ws = words(reader.nextNonBlank('the grid line "nrho drho nr dr cutoff"'));
  if (ws.length < 5) {
    throw reader.error(`expected 5 values "nrho drho nr dr cutoff", found ${ws.length}`);
  }
  const nrho = reader.integer(ws[0], 'nrho');
  const drho = reader.real(ws[1], 'drho');
  const nr = reader.integer(ws[2], 'nr');
  const dr = reader.real(ws[3], 'dr');
  const cutoff = reader.real(ws[4], 'cutoff (Å)');
  // The 4-point regridding of funcfl files and LAMMPS's spline both need at least 5 points.
  if (nrho < 5 || nrho > MAX_POINTS) throw reader.error(`nrho = ${nrho} must be between 5 and ${MAX_POINTS}`);
  if (nr < 5 || nr > MAX_POINTS) throw reader.error(`nr = ${nr} must be between 5 and ${MAX_POINTS}`);
  if (!(drho > 0)) throw reader.error(`drho = ${drho} must be > 0`);
  if (!(dr > 0)) throw reader.error(`dr = ${dr} must be > 0 Å`);
  if (!(cutoff > 0)) throw reader.error(`cutoff = ${cutoff} must be > 0 Å`);
  return { nrho, drho, nr, dr, cutoff };
}

function readElementHeader(reader: LineReader, label: string): EamElementHeader {
  const what = `the header line of ${label} "Z mass a lattice"`;
  const ws = words(reader.nextNonBlank(what));
  if (ws.length < 2) throw reader.error(`expected ${what}, found ${ws.length} value(s)`);
  const atomicNumber = reader.integer(ws[0], `atomic number of ${label}`);
  const mass = reader.real(ws[1], `mass of ${label} (amu)`);
  if (!(mass > 0)) throw reader.error(`mass of ${label} = ${mass} must be > 0 amu`);
  const latticeConstant = ws[2] === undefined ? 0 : reader.real(ws[2], `lattice constant of ${label} (Å)`);
  return { atomicNumber, mass, latticeConstant, latticeType: ws[3] ?? '' };
}

/** Nothing but blank lines may follow the last table: anything else means the counts are wrong. */
function expectEnd(reader: LineReader): void {
  while (!reader.done) {
    const line = reader.next('the end');
    if (line.trim() !== '') {
      throw reader.error(
        'unexpected data after the last table (do the counts in the header match the file?)',
      );
    }
  }
}

/** Reads a DYNAMO funcfl file (LAMMPS `pair_style eam`). */
export function parseFuncfl(text: string, file: string): FuncflFile {
  const reader = new LineReader(text, file);
  const comment = reader.next('the comment line');
  const element = readElementHeader(reader, 'the element');
  const grid = readGrid(reader);
  const frho = reader.reals(grid.nrho, 'F(ρ)');
  const zr = reader.reals(grid.nr, 'Z(r)');
  const rhor = reader.reals(grid.nr, 'ρ(r)');
  expectEnd(reader);
  return { format: 'funcfl', file, comment, element, ...grid, frho, zr, rhor };
}

function readElementsLine(reader: LineReader): string[] {
  const ws = words(reader.nextNonBlank('the element line "N El1 El2 ..."'));
  const n = toInteger(ws[0] ?? '');
  if (n === undefined || n < 1 || n > MAX_ELEMENTS) {
    throw reader.error(
      `expected the number of elements (1 to ${MAX_ELEMENTS}) followed by their names, found ${JSON.stringify(ws.slice(0, 4).join(' '))}`,
    );
  }
  if (ws.length !== n + 1) {
    throw reader.error(`the file says ${n} element(s) but names ${ws.length - 1}`);
  }
  const names = ws.slice(1);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw reader.error(`element ${JSON.stringify(name)} is listed twice`);
    seen.add(name);
  }
  return names;
}

function readPairTables(reader: LineReader, elements: readonly string[], nr: number): Float64Array[] {
  const z2r: Float64Array[] = [];
  for (let i = 0; i < elements.length; i++) {
    for (let j = 0; j <= i; j++) {
      z2r.push(reader.reals(nr, `r·φ(r) of ${elements[i]}–${elements[j]}`));
    }
  }
  return z2r;
}

/**
 * Reads the layout setfl and eam/fs files share: three comment lines, the element line, the grid, then
 * per element a header, F(ρ) and its density table(s), then the pair tables. `densitiesPerElement`
 * reads an element's density tables (one for setfl, one per element for eam/fs).
 */
function parseMultiElement<F extends 'setfl' | 'eam/fs'>(
  text: string,
  file: string,
  format: F,
  densitiesPerElement: (reader: LineReader, el: string, elements: string[], nr: number) => Float64Array[],
) {
  const reader = new LineReader(text, file);
  const comments = [
    reader.next('comment line 1'),
    reader.next('comment line 2'),
    reader.next('comment line 3'),
  ];
  const elements = readElementsLine(reader);
  const grid = readGrid(reader);
  const headers: EamElementHeader[] = [];
  const frho: Float64Array[] = [];
  const rhor: Float64Array[] = [];
  for (const el of elements) {
    headers.push(readElementHeader(reader, el));
    frho.push(reader.reals(grid.nrho, `F(ρ) of ${el}`));
    rhor.push(...densitiesPerElement(reader, el, elements, grid.nr));
  }
  const z2r = readPairTables(reader, elements, grid.nr);
  expectEnd(reader);
  return { format, file, comments, elements, headers, ...grid, frho, rhor, z2r };
}

/** Reads a DYNAMO setfl file (LAMMPS `pair_style eam/alloy`). */
export function parseSetfl(text: string, file: string): SetflFile {
  return parseMultiElement(text, file, 'setfl', (reader, el, _elements, nr) => [
    reader.reals(nr, `ρ(r) of ${el}`),
  ]);
}

/** Reads a Finnis–Sinclair file (LAMMPS `pair_style eam/fs`). */
export function parseEamFs(text: string, file: string): EamFsFile {
  return parseMultiElement(text, file, 'eam/fs', (reader, el, elements, nr) =>
    elements.map((other) => reader.reals(nr, `ρ(r) of ${el} listed for ${other}`)),
  );
}

/** The file format each LAMMPS EAM pair style reads. */
export type EamStyle = 'eam' | 'eam/alloy' | 'eam/fs';

/** Reads an EAM file in the format of a LAMMPS pair style. */
export function parseEamPotential(text: string, file: string, style: EamStyle): EamPotentialFile {
  switch (style) {
    case 'eam':
      return parseFuncfl(text, file);
    case 'eam/alloy':
      return parseSetfl(text, file);
    case 'eam/fs':
      return parseEamFs(text, file);
  }
}

/** Guesses the style from a file name as LAMMPS's distribution names them (`.eam`, `.eam.alloy`, `.eam.fs`). */
export function eamStyleFromFileName(file: string): EamStyle | undefined {
  const f = file.toLowerCase();
  if (f.endsWith('.eam.alloy') || f.endsWith('.setfl')) return 'eam/alloy';
  if (f.endsWith('.eam.fs') || f.endsWith('.fs')) return 'eam/fs';
  if (f.endsWith('.eam') || f.endsWith('.funcfl')) return 'eam';
  return undefined;
}
