/**
 * LAMMPS data files (`read_data`), atom styles `atomic` (`id type x y z [ix iy iz]`) and
 * `charge` (`id type q x y z [ix iy iz]`): header counts, box bounds `xlo xhi` … and tilts
 * `xy xz yz`, the Masses, Atoms and Velocities sections. LAMMPS boxes are already restricted
 * triclinic; positions are shifted so that the box origin (xlo, ylo, zlo) is 0. Atoms are
 * ordered by id. Velocities are converted from the file's unit style to Å/fs.
 */
import { ELEMENTS, findElement } from './elements.ts';
import { ParseError } from './parseError.ts';
import type { Structure } from './structure.ts';
import { LineReader, quote, words } from './text.ts';

/** Atom styles this reader understands. */
export type LammpsAtomStyle = 'atomic' | 'charge';

export interface LammpsDataOptions {
  /** Atom style; default: the `# style` hint of the Atoms line, else guessed from the column count. */
  style?: LammpsAtomStyle;
  /**
   * LAMMPS unit style of the file, for velocities: `metal` (Å/ps, the default, as for EAM) or
   * `real` (Å/fs). Lengths are Å in both.
   */
  units?: 'metal' | 'real';
  /**
   * Element of each LAMMPS type: `{ 1: 'Cu', 2: 'Ni' }` or `['Cu', 'Ni']` (type 1 first). Without
   * it, a Masses comment naming an element (`1 63.546 # Cu`) or the nearest standard mass is used.
   */
  typeElements?: Readonly<Record<number, string>> | readonly string[];
}

/** Extra result of {@link parseLammpsData}: the LAMMPS bookkeeping, per atom in id order. */
export interface LammpsDataStructure extends Structure {
  /** Atom ids. */
  ids: Int32Array;
  /** LAMMPS types (1-based). */
  lammpsTypes: Int32Array;
  /** Image flags ix, iy, iz (3·n; 0 when the file omits them). */
  images: Int32Array;
  /** Element per LAMMPS type (index type − 1). */
  typeElements: string[];
  /** Atom style read. */
  style: LammpsAtomStyle;
}

const SKIPPABLE_SECTIONS: Record<string, (counts: Map<string, number>) => number> = {
  'Pair Coeffs': (c) => c.get('atom types') ?? 0,
  'PairIJ Coeffs': (c) => {
    const n = c.get('atom types') ?? 0;
    return (n * (n + 1)) / 2;
  },
};
const MOLECULAR_SECTIONS = new Set([
  'Bonds',
  'Angles',
  'Dihedrals',
  'Impropers',
  'Bond Coeffs',
  'Angle Coeffs',
  'Dihedral Coeffs',
  'Improper Coeffs',
  'Ellipsoids',
  'Lines',
  'Triangles',
  'Bodies',
]);
const COUNT_KEYWORDS = [
  'atom types',
  'bond types',
  'angle types',
  'dihedral types',
  'improper types',
  'extra bond per atom',
  'extra angle per atom',
  'extra dihedral per atom',
  'extra improper per atom',
  'extra special per atom',
  'ellipsoids',
  'lines',
  'triangles',
  'bodies',
  'atoms',
  'bonds',
  'angles',
  'dihedrals',
  'impropers',
];
/** Most atoms or types we accept (a guard against corrupted counts). */
const MAX_COUNT = 50_000_000;

function stripComment(line: string): { body: string; comment: string } {
  const k = line.indexOf('#');
  return k < 0 ? { body: line, comment: '' } : { body: line.slice(0, k), comment: line.slice(k + 1).trim() };
}

function sectionName(body: string): string | null {
  const t = body.trim().replace(/\s+/g, ' ');
  if (t === 'Masses' || t === 'Atoms' || t === 'Velocities') return t;
  if (t in SKIPPABLE_SECTIONS || MOLECULAR_SECTIONS.has(t)) return t;
  return null;
}

/** Reads the non-blank, comment-stripped body lines of a section of `n` entries. */
function* sectionLines(
  reader: LineReader,
  name: string,
  n: number,
): Generator<{ ws: string[]; comment: string }> {
  let read = 0;
  while (read < n) {
    if (reader.done) {
      throw reader.error(
        `section ${name}: expected ${n} lines, found ${read} (file truncated?)`,
        reader.lines.length,
      );
    }
    const { body, comment } = stripComment(reader.next(`section ${name}`));
    const ws = words(body);
    if (ws.length === 0) continue;
    if (sectionName(body) !== null) {
      throw reader.error(`section ${name}: expected ${n} lines, found ${read} before the next section`);
    }
    read++;
    yield { ws, comment };
  }
}

function elementOfType(
  type: number,
  options: LammpsDataOptions,
  mass: number | undefined,
  massComment: string,
): string | undefined {
  const map = options.typeElements;
  if (map !== undefined) {
    const el = Array.isArray(map)
      ? (map as readonly string[])[type - 1]
      : (map as Record<number, string>)[type];
    if (el !== undefined) return el;
  }
  const hint = words(massComment)[0];
  if (hint !== undefined && findElement(hint)) return hint;
  if (mass !== undefined) {
    let best: string | undefined;
    let bestDelta = 0.1;
    for (const e of ELEMENTS) {
      const d = Math.abs(e.mass - mass);
      if (d < bestDelta) {
        bestDelta = d;
        best = e.symbol;
      }
    }
    return best;
  }
  return undefined;
}

/**
 * Reads a LAMMPS data file of atom style `atomic` or `charge`.
 * @param text File contents.
 * @param file File name, for messages.
 * @throws ParseError naming file and line of the first problem.
 */
export function parseLammpsData(
  text: string,
  file: string,
  options: LammpsDataOptions = {},
): LammpsDataStructure {
  const reader = new LineReader(text, file);
  const title = reader.next('the title line');
  const counts = new Map<string, number>();
  const bounds: Record<string, [number, number]> = {};
  let tilt: [number, number, number] = [0, 0, 0];

  // Header: until the first section keyword.
  let section: string | null = null;
  let sectionHint = '';
  while (!reader.done) {
    const { body, comment } = stripComment(reader.next('the header'));
    const ws = words(body);
    if (ws.length === 0) continue;
    const name = sectionName(body);
    if (name !== null) {
      section = name;
      sectionHint = comment;
      break;
    }
    const rest = ws.slice(1).join(' ');
    const countKey = COUNT_KEYWORDS.find((k) => rest === k);
    if (countKey !== undefined) {
      const n = reader.integer(ws[0], `number of ${countKey}`);
      if (n < 0 || n > MAX_COUNT) throw reader.error(`number of ${countKey} = ${n} is out of range`);
      if (counts.has(countKey)) throw reader.error(`"${countKey}" is given twice`);
      counts.set(countKey, n);
      continue;
    }
    const boxKey = ['xlo xhi', 'ylo yhi', 'zlo zhi'].find((k) => ws.slice(2).join(' ') === k);
    if (boxKey !== undefined) {
      const lo = reader.real(ws[0], `${boxKey.split(' ')[0]} (Å)`);
      const hi = reader.real(ws[1], `${boxKey.split(' ')[1]} (Å)`);
      if (!(hi > lo)) throw reader.error(`${boxKey}: ${hi} must be greater than ${lo}`);
      bounds[boxKey] = [lo, hi];
      continue;
    }
    if (ws.slice(3).join(' ') === 'xy xz yz') {
      tilt = [reader.real(ws[0], 'xy (Å)'), reader.real(ws[1], 'xz (Å)'), reader.real(ws[2], 'yz (Å)')];
      continue;
    }
    throw reader.error(`unknown header line ${quote(body.trim())}`);
  }

  const natoms = counts.get('atoms');
  if (natoms === undefined) throw new ParseError(file, 0, 'the header does not give "N atoms"');
  if (natoms > reader.lines.length) {
    throw new ParseError(
      file,
      0,
      `the header declares ${natoms} atoms but the file has only ${reader.lines.length} lines (file truncated?)`,
    );
  }
  const ntypes = counts.get('atom types');
  if (ntypes === undefined || ntypes < 1)
    throw new ParseError(file, 0, 'the header does not give "N atom types" (N ≥ 1)');
  if (ntypes > 1000)
    throw new ParseError(file, 0, `${ntypes} atom types is more than this reader accepts (1000)`);
  for (const k of ['xlo xhi', 'ylo yhi', 'zlo zhi']) {
    if (!bounds[k]) throw new ParseError(file, 0, `the header does not give "${k}"`);
  }
  const [xlo, xhi] = bounds['xlo xhi']!;
  const [ylo, yhi] = bounds['ylo yhi']!;
  const [zlo, zhi] = bounds['zlo zhi']!;

  const masses = new Map<number, { mass: number; comment: string }>();
  const ids = new Int32Array(natoms);
  const lammpsTypes = new Int32Array(natoms);
  const positions = new Float64Array(3 * natoms);
  const images = new Int32Array(3 * natoms);
  const charges = new Float64Array(natoms);
  const atomLines = new Int32Array(natoms);
  let velocitiesById: Map<number, [number, number, number]> | null = null;
  let style: LammpsAtomStyle | null = options.style ?? null;
  let sawAtoms = false;
  const velocityScale = (options.units ?? 'metal') === 'metal' ? 1e-3 : 1;

  while (section !== null) {
    const sectionLine = reader.lineNumber;
    if (section === 'Masses') {
      for (const { ws, comment } of sectionLines(reader, 'Masses', ntypes)) {
        const t = reader.integer(ws[0], 'Masses: type');
        if (t < 1 || t > ntypes) throw reader.error(`Masses: type ${t} is outside 1…${ntypes}`);
        const m = reader.real(ws[1], `Masses: mass of type ${t} (amu)`);
        if (!(m > 0)) throw reader.error(`Masses: mass of type ${t} = ${m} must be > 0 amu`);
        if (masses.has(t)) throw reader.error(`Masses: type ${t} is given twice`);
        masses.set(t, { mass: m, comment });
      }
    } else if (section === 'Atoms') {
      if (sawAtoms) throw reader.error('a second Atoms section', sectionLine);
      sawAtoms = true;
      const hint = words(sectionHint)[0];
      if (style === null && hint !== undefined) {
        if (hint !== 'atomic' && hint !== 'charge') {
          throw reader.error(`atom style ${quote(hint)} is not supported (atomic or charge)`, sectionLine);
        }
        style = hint;
      }
      const seen = new Set<number>();
      let i = 0;
      for (const { ws } of sectionLines(reader, 'Atoms', natoms)) {
        if (style === null) {
          if (ws.length === 5 || ws.length === 8) style = 'atomic';
          else if (ws.length === 6 || ws.length === 9) style = 'charge';
          else {
            throw reader.error(
              `Atoms: ${ws.length} columns fit neither atom style atomic (id type x y z [ix iy iz]) nor charge (id type q x y z [ix iy iz])`,
            );
          }
        }
        const base = style === 'atomic' ? 5 : 6;
        const layout = style === 'atomic' ? 'id type x y z [ix iy iz]' : 'id type q x y z [ix iy iz]';
        if (ws.length !== base && ws.length !== base + 3) {
          throw reader.error(
            `Atoms (${style}): expected ${base} or ${base + 3} columns (${layout}), found ${ws.length}`,
          );
        }
        const id = reader.integer(ws[0], 'Atoms: atom id');
        if (id < 1) throw reader.error(`Atoms: atom id ${id} must be ≥ 1`);
        if (seen.has(id)) throw reader.error(`Atoms: atom id ${id} appears twice`);
        seen.add(id);
        const t = reader.integer(ws[1], `Atoms: type of atom ${id}`);
        if (t < 1 || t > ntypes) throw reader.error(`Atoms: type ${t} of atom ${id} is outside 1…${ntypes}`);
        const o = base - 3;
        if (style === 'charge') charges[i] = reader.real(ws[2], `Atoms: charge of atom ${id}`);
        positions[3 * i] = reader.real(ws[o], `Atoms: x of atom ${id} (Å)`) - xlo;
        positions[3 * i + 1] = reader.real(ws[o + 1], `Atoms: y of atom ${id} (Å)`) - ylo;
        positions[3 * i + 2] = reader.real(ws[o + 2], `Atoms: z of atom ${id} (Å)`) - zlo;
        if (ws.length === base + 3) {
          for (let k = 0; k < 3; k++)
            images[3 * i + k] = reader.integer(ws[base + k], `Atoms: image flag of atom ${id}`);
        }
        ids[i] = id;
        lammpsTypes[i] = t;
        atomLines[i] = reader.lineNumber;
        i++;
      }
    } else if (section === 'Velocities') {
      if (velocitiesById) throw reader.error('a second Velocities section', sectionLine);
      velocitiesById = new Map();
      for (const { ws } of sectionLines(reader, 'Velocities', natoms)) {
        if (ws.length !== 4)
          throw reader.error(`Velocities: expected 4 columns (id vx vy vz), found ${ws.length}`);
        const id = reader.integer(ws[0], 'Velocities: atom id');
        if (velocitiesById.has(id)) throw reader.error(`Velocities: atom id ${id} appears twice`);
        velocitiesById.set(id, [
          reader.real(ws[1], `Velocities: vx of atom ${id}`) * velocityScale,
          reader.real(ws[2], `Velocities: vy of atom ${id}`) * velocityScale,
          reader.real(ws[3], `Velocities: vz of atom ${id}`) * velocityScale,
        ]);
      }
    } else if (section in SKIPPABLE_SECTIONS) {
      for (const _ of sectionLines(reader, section, SKIPPABLE_SECTIONS[section]!(counts))) {
        // Coefficients belong to the potential, which the spec sets.
      }
    } else {
      throw reader.error(
        `section ${section} needs a molecular atom style; only atomic and charge are supported`,
        sectionLine,
      );
    }
    // Next section keyword, if any.
    section = null;
    while (!reader.done) {
      const { body, comment } = stripComment(reader.next('the next section'));
      if (words(body).length === 0) continue;
      section = sectionName(body);
      sectionHint = comment;
      if (section === null)
        throw reader.error(
          `expected a section keyword (Masses, Atoms, Velocities), found ${quote(body.trim())}`,
        );
      break;
    }
  }
  if (!sawAtoms && natoms > 0)
    throw new ParseError(file, 0, `the file has no Atoms section for its ${natoms} atoms`);

  // Elements per type.
  const typeElements: string[] = [];
  for (let t = 1; t <= ntypes; t++) {
    const m = masses.get(t);
    const el = elementOfType(t, options, m?.mass, m?.comment ?? '');
    if (el === undefined) {
      throw new ParseError(
        file,
        0,
        m === undefined
          ? `cannot tell the element of type ${t}: the file has no mass for it; give the elements of the types`
          : `cannot tell the element of type ${t} (mass ${m.mass} amu matches no element); give the elements of the types`,
      );
    }
    typeElements.push(el);
  }

  // Order atoms by id, as ASE and LAMMPS's write_data do.
  const order = Array.from({ length: natoms }, (_, k) => k).sort((a, b) => ids[a]! - ids[b]!);
  const pick3 = <T extends Float64Array | Int32Array>(src: T, dst: T) => {
    order.forEach((k, i) => {
      dst[3 * i] = src[3 * k]!;
      dst[3 * i + 1] = src[3 * k + 1]!;
      dst[3 * i + 2] = src[3 * k + 2]!;
    });
    return dst;
  };
  const sortedIds = Int32Array.from(order, (k) => ids[k]!);
  const sortedTypes = Int32Array.from(order, (k) => lammpsTypes[k]!);
  const structure: LammpsDataStructure = {
    file,
    atomLines: Int32Array.from(order, (k) => atomLines[k]!),
    symbols: Array.from(sortedTypes, (t) => typeElements[t - 1]!),
    positions: pick3(positions, new Float64Array(3 * natoms)),
    hasCell: true,
    cell: Float64Array.of(xhi - xlo, 0, 0, tilt[0], yhi - ylo, 0, tilt[1], tilt[2], zhi - zlo),
    pbc: [true, true, true],
    rotation: null,
    arrays: {},
    info: { title: title.trim(), origin: [xlo, ylo, zlo] },
    ids: sortedIds,
    lammpsTypes: sortedTypes,
    images: pick3(images, new Int32Array(3 * natoms)),
    typeElements,
    style: style ?? 'atomic',
  };
  if (style === 'charge') structure.charges = Float64Array.from(order, (k) => charges[k]!);
  if (masses.size > 0) {
    const perAtom = new Float64Array(natoms);
    for (let i = 0; i < natoms; i++) {
      const m = masses.get(sortedTypes[i]!);
      if (m === undefined) {
        throw new ParseError(
          file,
          structure.atomLines[i]!,
          `Masses gives no mass for type ${sortedTypes[i]}`,
        );
      }
      perAtom[i] = m.mass;
    }
    structure.masses = perAtom;
  }
  if (velocitiesById) {
    const v = new Float64Array(3 * natoms);
    for (let i = 0; i < natoms; i++) {
      const vi = velocitiesById.get(sortedIds[i]!);
      if (vi === undefined)
        throw new ParseError(file, 0, `Velocities gives no velocity for atom ${sortedIds[i]}`);
      v.set(vi, 3 * i);
    }
    structure.velocities = v;
  }
  return structure;
}
