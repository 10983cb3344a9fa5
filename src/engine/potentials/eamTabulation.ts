/**
 * EAM tables in LAMMPS's internal representation: what `PairEAM::file2array()` (and its
 * `eam/alloy` and `eam/fs` overrides) builds from the potential file(s) before
 * `array2spline()` turns every table into cubic-spline coefficients. Reproducing this step
 * exactly (including the 4-point Lagrange regridding of funcfl files onto one common grid) is
 * what lets the reference and the GPU kernels agree with LAMMPS to round-off.
 *
 * Units (LAMMPS `metal`): F(ρ) eV, r·φ(r) eV·Å, r Å, masses amu.
 */

import { findElement } from '../../io/elements.ts';
import type { EamPotentialFile, EamStyle, FuncflFile } from '../../io/lammpsPotential.ts';
import { ParseError } from '../../io/parseError.ts';

/**
 * The tabulated EAM functions on one common grid, with the maps from potential types to tables.
 *
 * Tables are 0-based: `frho[k][m]` is F at ρ = m·drho (m = 0 … nrho−1) and `rhor[k][m]`,
 * `z2r[k][m]` are at r = m·dr (m = 0 … nr−1). LAMMPS stores the same numbers 1-based
 * (`frho[k][m+1]`), so its spline index m corresponds to our m − 1.
 *
 * Type maps are indexed by potential type t = 0 … nTypes−1 (LAMMPS type t + 1). A type whose
 * element is `NULL` maps to −1 everywhere: the potential ignores such atoms (LAMMPS instead points
 * them at an extra table of zeros, which only pair hybrid needs).
 */
export interface EamTabulation {
  /** Pair style the tables come from. */
  style: EamStyle;
  /** Number of potential types (length of the element list). */
  nTypes: number;
  /** Element per type as given (`NULL` for NULL types). */
  elements: string[];
  /** Number of ρ points of every F table. */
  nrho: number;
  /** ρ spacing. */
  drho: number;
  /** Number of r points of every ρ(r) and r·φ(r) table. */
  nr: number;
  /** r spacing, Å. */
  dr: number;
  /** Cutoff, Å (LAMMPS's cutmax: the largest cutoff of the files used). */
  cutoff: number;
  /**
   * LAMMPS's `rhomax`: above it F is continued linearly with slope F′(rhomax) in the energy.
   * Equal to (nrho − 1)·drho for setfl and eam/fs files, but for funcfl files LAMMPS sets it to the
   * largest (nrho_file − 1)·drho_file, which is nrho·drho after regridding.
   */
  rhomax: number;
  /** Embedding energies F(ρ), eV; one table per element (funcfl: per file). */
  frho: Float64Array[];
  /** Electron densities ρ(r): per element (setfl), per file (funcfl), per element pair (eam/fs). */
  rhor: Float64Array[];
  /** r·φ(r), eV·Å, per unordered element pair: index i(i+1)/2 + j for i ≥ j. */
  z2r: Float64Array[];
  /** Per type t: index into `frho`, −1 for NULL. */
  type2frho: Int32Array;
  /**
   * nTypes × nTypes row-major, as LAMMPS's `type2rhor[itype][jtype]`: entry [a·nTypes + b] is the
   * index into `rhor` of the density that an atom of type **a** contributes at a neighbour of
   * type **b**. LAMMPS's compute accumulates `rho[i] += rhor[type2rhor[jtype][itype]](r_ij)`.
   * For funcfl and setfl it depends on a only; for eam/fs it is element(a)·N + element(b), i.e. the
   * block listed under element a for element b. −1 if either type is NULL.
   */
  type2rhor: Int32Array;
  /** nTypes × nTypes row-major: index into `z2r` for the pair (symmetric), −1 if either is NULL. */
  type2z2r: Int32Array;
  /** Mass per type from the file, amu (0 for NULL types). */
  masses: number[];
  /** Atomic number per type from the file (0 for NULL types). */
  atomicNumbers: number[];
}

/** LAMMPS's funcfl conversion of Z_i·Z_j (√(Hartree·Bohr)²) to r·φ (eV·Å): 27.2 eV/Hartree × 0.529 Å/Bohr. */
export const FUNCFL_Z2R_FACTOR = 27.2 * 0.529;

const NULL_ELEMENT = 'NULL';

/** Index of the pair (i, j) in a lower-triangular list of pairs, as LAMMPS's type2z2r. */
function pairIndex(a: number, b: number): number {
  const row = Math.max(a, b);
  const col = Math.min(a, b);
  return (row * (row + 1)) / 2 + col;
}

/**
 * 4-point Lagrange interpolation of a funcfl table (0-based values on spacing `delta`) at x,
 * exactly as the loops of PairEAM::file2array (LAMMPS indices k−1 … k+2 are ours k−2 … k+1).
 */
function regrid(values: Float64Array, delta: number, x: number): number {
  const n = values.length;
  let p = x / delta + 1.0;
  let k = Math.trunc(p);
  k = Math.min(k, n - 2);
  k = Math.max(k, 2);
  p -= k;
  p = Math.min(p, 2.0);
  const sixth = 1.0 / 6.0;
  const cof1 = -sixth * p * (p - 1.0) * (p - 2.0);
  const cof2 = 0.5 * (p * p - 1.0) * (p - 2.0);
  const cof3 = -0.5 * p * (p + 1.0) * (p - 2.0);
  const cof4 = sixth * p * (p * p - 1.0);
  return cof1 * values[k - 2]! + cof2 * values[k - 1]! + cof3 * values[k]! + cof4 * values[k + 1]!;
}

interface TypeMaps {
  type2frho: Int32Array;
  type2rhor: Int32Array;
  type2z2r: Int32Array;
}

/** Type maps from `map[t]` (element or file index, −1 for NULL); `rhorIndex(a, b)` for non-NULL a, b. */
function typeMaps(map: readonly number[], rhorIndex: (ea: number, eb: number) => number): TypeMaps {
  const n = map.length;
  const type2frho = new Int32Array(n);
  const type2rhor = new Int32Array(n * n);
  const type2z2r = new Int32Array(n * n);
  for (let a = 0; a < n; a++) {
    const ea = map[a]!;
    type2frho[a] = ea;
    for (let b = 0; b < n; b++) {
      const eb = map[b]!;
      const nullPair = ea < 0 || eb < 0;
      type2rhor[a * n + b] = nullPair ? -1 : rhorIndex(ea, eb);
      type2z2r[a * n + b] = nullPair ? -1 : pairIndex(ea, eb);
    }
  }
  return { type2frho, type2rhor, type2z2r };
}

function funcflTabulation(files: readonly FuncflFile[], elements: readonly string[]): EamTabulation {
  const nTypes = elements.length;
  if (files.length !== 1 && files.length !== nTypes) {
    throw new ParseError(
      files[0]?.file ?? '(eam)',
      0,
      `pair_style eam needs one funcfl file for all types or one per type; got ${files.length} file(s) for ${nTypes} type(s)`,
    );
  }
  // As LAMMPS's pair_coeff i i file: a file is read once (compared by name); map[t] = its index.
  const used: FuncflFile[] = [];
  const map: number[] = [];
  for (let t = 0; t < nTypes; t++) {
    const el = elements[t]!;
    if (el === NULL_ELEMENT) {
      map.push(-1);
      continue;
    }
    const f = (files.length === 1 ? files[0] : files[t])!;
    const known = findElement(el);
    if (known && known.atomicNumber !== f.element.atomicNumber) {
      const inFile = f.element.atomicNumber;
      throw new ParseError(
        f.file,
        2,
        `element ${el} is missing from this funcfl file: it is for Z = ${inFile}, not ${el} (Z = ${known.atomicNumber})`,
      );
    }
    let idx = used.findIndex((u) => u.file === f.file);
    if (idx < 0) {
      idx = used.length;
      used.push(f);
    }
    map.push(idx);
  }
  if (used.length === 0) {
    throw new ParseError(
      files[0]?.file ?? '(eam)',
      0,
      'every type is NULL: the potential has nothing to compute',
    );
  }

  // Common grid: the largest spacings and ranges of the files in use.
  let dr = 0;
  let drho = 0;
  let rmax = 0;
  let rhomax = 0;
  let cutoff = 0;
  for (const f of used) {
    dr = Math.max(dr, f.dr);
    drho = Math.max(drho, f.drho);
    rmax = Math.max(rmax, (f.nr - 1) * f.dr);
    rhomax = Math.max(rhomax, (f.nrho - 1) * f.drho);
    cutoff = Math.max(cutoff, f.cutoff);
  }
  // LAMMPS: nr = static_cast<int>(rmax/dr + 0.5), the 0.5 for round-off in the divide.
  const nr = Math.trunc(rmax / dr + 0.5);
  const nrho = Math.trunc(rhomax / drho + 0.5);

  const frho = used.map((f) => {
    const out = new Float64Array(nrho);
    for (let m = 0; m < nrho; m++) out[m] = regrid(f.frho, f.drho, m * drho);
    return out;
  });
  const rhor = used.map((f) => {
    const out = new Float64Array(nr);
    for (let m = 0; m < nr; m++) out[m] = regrid(f.rhor, f.dr, m * dr);
    return out;
  });
  const z2r: Float64Array[] = [];
  for (let i = 0; i < used.length; i++) {
    for (let j = 0; j <= i; j++) {
      const fi = used[i]!;
      const fj = used[j]!;
      const out = new Float64Array(nr);
      for (let m = 0; m < nr; m++) {
        const r = m * dr;
        out[m] = FUNCFL_Z2R_FACTOR * regrid(fi.zr, fi.dr, r) * regrid(fj.zr, fj.dr, r);
      }
      z2r.push(out);
    }
  }
  const maps = typeMaps(map, (ea) => ea);
  return {
    style: 'eam',
    nTypes,
    elements: [...elements],
    nrho,
    drho,
    nr,
    dr,
    cutoff,
    rhomax,
    frho,
    rhor,
    z2r,
    ...maps,
    masses: map.map((e) => (e < 0 ? 0 : used[e]!.element.mass)),
    atomicNumbers: map.map((e) => (e < 0 ? 0 : used[e]!.element.atomicNumber)),
  };
}

/**
 * Builds LAMMPS's tables from parsed potential file(s), as `pair_coeff * * file El1 El2 ...`.
 *
 * @param files For `eam` (funcfl): one file shared by every non-NULL type, or one per type (the
 *   entry of a NULL type is ignored). For `eam/alloy` and `eam/fs`: exactly one file.
 * @param style The LAMMPS pair style; the files must be in its format.
 * @param elements Per potential type: an element name of the file, or `NULL`. For funcfl the name
 *   is checked against the file's atomic number when it is a known element symbol.
 * @throws ParseError naming the file when an element is not in the file or the files do not fit the style.
 */
export function eamTabulation(
  files: readonly EamPotentialFile[],
  style: EamStyle,
  elements: readonly string[],
): EamTabulation {
  const first = files[0];
  if (first === undefined) throw new ParseError('(eam)', 0, 'no potential file given');
  if (elements.length === 0) throw new ParseError(first.file, 0, 'no element list given (one per type)');
  const expected = style === 'eam' ? 'funcfl' : style === 'eam/alloy' ? 'setfl' : 'eam/fs';
  for (const f of files) {
    if (f.format !== expected) {
      throw new ParseError(
        f.file,
        0,
        `pair_style ${style} needs a ${expected} file, but this is a ${f.format} file`,
      );
    }
  }
  if (first.format === 'funcfl') return funcflTabulation(files as readonly FuncflFile[], elements);
  if (files.length !== 1) {
    throw new ParseError(
      first.file,
      0,
      `pair_style ${style} takes one file for all types, got ${files.length}`,
    );
  }
  const file = first;
  const n = file.elements.length;
  // LAMMPS: map[i] = which element the Ith atom type is, −1 if NULL.
  const map = elements.map((el) => {
    if (el === NULL_ELEMENT) return -1;
    const idx = file.elements.indexOf(el);
    if (idx < 0) {
      throw new ParseError(
        file.file,
        4,
        `element ${el} is missing from the potential file (it has ${file.elements.join(', ')})`,
      );
    }
    return idx;
  });
  if (map.every((e) => e < 0)) {
    throw new ParseError(file.file, 0, 'every type is NULL: the potential has nothing to compute');
  }
  const maps = typeMaps(map, file.format === 'eam/fs' ? (ea, eb) => ea * n + eb : (ea) => ea);
  return {
    style,
    nTypes: elements.length,
    elements: [...elements],
    nrho: file.nrho,
    drho: file.drho,
    nr: file.nr,
    dr: file.dr,
    cutoff: file.cutoff,
    rhomax: (file.nrho - 1) * file.drho,
    frho: file.frho.map((t) => t.slice()),
    rhor: file.rhor.map((t) => t.slice()),
    z2r: file.z2r.map((t) => t.slice()),
    ...maps,
    masses: map.map((e) => (e < 0 ? 0 : file.headers[e]!.mass)),
    atomicNumbers: map.map((e) => (e < 0 ? 0 : file.headers[e]!.atomicNumber)),
  };
}
