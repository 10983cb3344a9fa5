/**
 * XYZ and extended XYZ (extXYZ), with ASE's conventions (`ase.io.extxyz`): line 1 the atom
 * count, line 2 `key=value` pairs (values quoted with "", '', {} or []; bare keys are T),
 * `Lattice="ax ay az bx by bz cx cy cz"` (rows a, b, c), `Properties=name:type:cols:...`
 * (types R real, I integer, S string, L logical; default `species:S:1:pos:R:3`),
 * `pbc="T T F"` (T T T when Lattice is given and pbc is not), calculator results `energy`,
 * `stress` and per-atom `forces`. Several frames follow one another.
 *
 * General cells are turned into LAMMPS's restricted triclinic form; positions, forces and stress
 * are rotated with them (see {@link Structure.rotation}).
 */
import { cellVolume, isRestrictedTriclinic, rotateVectors, toRestrictedTriclinic } from '../engine/cell.ts';
import { elementByNumber } from './elements.ts';
import { ParseError } from './parseError.ts';
import type { InfoValue, Structure } from './structure.ts';
import { LineReader, quote, toInteger, toReal, words } from './text.ts';

/** Names ASE gives the columns it knows (extXYZ name → meaning). */
const POSITIONS = 'pos';
const SPECIES = 'species';
const NUMBERS = 'Z';
const FORCES = 'forces';
const CHARGES = 'charge';
const MASSES = 'masses';

/** Splits the comment line into key/value pairs as ASE's `key_val_str_to_dict` does. */
export function splitKeyValues(line: string): [string, string][] {
  const closing: Record<string, string> = { '"': '"', "'": "'", '{': '}', '[': ']' };
  // Each pair is a list of parts separated by '=': [key, value, ...].
  const pairs: string[][] = [['']];
  let delimiter: string | null = null;
  let escaped = false;
  const lastPair = () => pairs[pairs.length - 1]!;
  const append = (ch: string) => {
    const p = lastPair();
    p[p.length - 1] += ch;
  };
  for (const ch of line.trim()) {
    if (escaped) {
      append(ch);
      escaped = false;
    } else if (ch === '\\') {
      escaped = true;
    } else if (delimiter !== null) {
      if (ch === delimiter) delimiter = null;
      else append(ch);
    } else if (ch in closing) {
      delimiter = closing[ch]!;
    } else if (/\s/.test(ch)) {
      const p = lastPair();
      if (p[p.length - 1] === '') continue;
      pairs.push(['']);
    } else if (ch === '=') {
      // "key = value": a pair that has not started yet belongs to the previous key.
      const p = lastPair();
      if (p.length === 1 && p[0] === '' && pairs.length > 1) pairs.pop();
      lastPair().push('');
    } else {
      append(ch);
    }
  }
  const out: [string, string][] = [];
  for (const parts of pairs) {
    const key = parts[0]!;
    if (key === '') continue;
    out.push(parts.length === 1 ? [key, 'T'] : [key, parts.slice(1).join('=')]);
  }
  return out;
}

/** Converts a value string as ASE does: integers, reals, arrays of them, T/F booleans, else the string. */
export function convertValue(value: string): InfoValue {
  const parts = value.match(/[^\s,]+/g) ?? [];
  if (parts.length > 0) {
    const ints = parts.map(toInteger);
    if (ints.every((x) => x !== undefined)) return ints.length === 1 ? ints[0]! : (ints as number[]);
    const reals = parts.map(toReal);
    if (reals.every((x) => x !== undefined)) return reals.length === 1 ? reals[0]! : (reals as number[]);
    if (parts.every((p) => p === 'T' || p === 'F')) {
      const bools = parts.map((p) => p === 'T');
      return bools.length === 1 ? bools[0]! : bools;
    }
  }
  return value;
}

interface Column {
  name: string;
  type: 'R' | 'I' | 'S' | 'L';
  columns: number;
  /** Index of its first word on an atom line. */
  offset: number;
}

function parseProperties(spec: string, reader: LineReader): Column[] {
  const fields = spec.split(':');
  if (fields.length % 3 !== 0) {
    throw reader.error(`Properties=${quote(spec)} must be name:type:columns triples`);
  }
  const out: Column[] = [];
  let offset = 0;
  for (let i = 0; i < fields.length; i += 3) {
    const name = fields[i]!;
    const type = fields[i + 1]!;
    const columns = toInteger(fields[i + 2]!);
    if (type !== 'R' && type !== 'I' && type !== 'S' && type !== 'L') {
      throw reader.error(
        `Properties: column ${quote(name)} has unknown type ${quote(type)} (expected R, I, S or L)`,
      );
    }
    if (columns === undefined || columns < 1 || columns > 1000) {
      throw reader.error(
        `Properties: column ${quote(name)} has an invalid column count ${quote(fields[i + 2]!)}`,
      );
    }
    if (out.some((c) => c.name === name))
      throw reader.error(`Properties: column ${quote(name)} is listed twice`);
    out.push({ name, type, columns, offset });
    offset += columns;
  }
  const pos = out.find((c) => c.name === POSITIONS);
  if (pos?.type !== 'R' || pos.columns !== 3) {
    throw reader.error('Properties must contain pos:R:3 (the positions)');
  }
  if (!out.some((c) => (c.name === SPECIES && c.type === 'S') || (c.name === NUMBERS && c.type === 'I'))) {
    throw reader.error('Properties must contain species:S:1 or Z:I:1 (the elements)');
  }
  return out;
}

/**
 * The restricted form of a general cell, or null when the cell is degenerate: zero or negligible
 * volume against the product of its vector lengths.
 */
function restrictCell(cell: Float64Array): { cell: Float64Array; rotation: Float64Array } | null {
  const lengths = [0, 1, 2].map((k) => Math.hypot(cell[3 * k]!, cell[3 * k + 1]!, cell[3 * k + 2]!));
  if (!(cellVolume(cell) > 1e-10 * lengths[0]! * lengths[1]! * lengths[2]!)) return null;
  try {
    return toRestrictedTriclinic(cell);
  } catch {
    // Overflowing volumes (|values| ~ 1e200) are as unusable as degenerate ones.
    return null;
  }
}

/** R S Rᵀ for a 3×3 row-major tensor. */
function rotateTensor(r: Float64Array, s: Float64Array): Float64Array {
  const out = new Float64Array(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let acc = 0;
      for (let k = 0; k < 3; k++)
        for (let l = 0; l < 3; l++) acc += r[3 * i + k]! * s[3 * k + l]! * r[3 * j + l]!;
      out[3 * i + j] = acc;
    }
  }
  return out;
}

function numbersOf(value: InfoValue | undefined, n: number, key: string, reader: LineReader): Float64Array {
  const arr = typeof value === 'number' ? [value] : Array.isArray(value) ? value : [];
  if (arr.length !== n || !arr.every((x) => typeof x === 'number')) {
    throw reader.error(`${key} must be ${n} numbers, found ${quote(String(value))}`);
  }
  return Float64Array.from(arr as number[]);
}

function parsePbc(value: InfoValue, reader: LineReader): [boolean, boolean, boolean] {
  if (typeof value === 'boolean') return [value, value, value];
  if (Array.isArray(value) && value.length === 3 && value.every((x) => typeof x === 'boolean')) {
    return value as [boolean, boolean, boolean];
  }
  throw reader.error(`pbc must be "T", "F" or three of them like "T T F", found ${quote(String(value))}`);
}

function readFrame(reader: LineReader, natoms: number): Structure {
  const commentLine = reader.next('the comment line');
  const info: Record<string, InfoValue> = {};
  for (const [key, raw] of splitKeyValues(commentLine)) info[key] = convertValue(raw);

  let hasCell = false;
  let cell: Float64Array = new Float64Array(9);
  if ('Lattice' in info) {
    cell = numbersOf(info.Lattice, 9, 'Lattice', reader);
    hasCell = true;
    delete info.Lattice;
  }
  let pbc: [boolean, boolean, boolean] = hasCell ? [true, true, true] : [false, false, false];
  if ('pbc' in info) {
    pbc = parsePbc(info.pbc!, reader);
    delete info.pbc;
  }
  let properties = 'species:S:1:pos:R:3';
  if ('Properties' in info) {
    if (typeof info.Properties !== 'string')
      throw reader.error('Properties must be a name:type:columns list');
    properties = info.Properties;
    delete info.Properties;
  }
  const columns = parseProperties(properties, reader);
  const width = columns.reduce((acc, c) => acc + c.columns, 0);
  let energy: number | undefined;
  if ('energy' in info) {
    if (typeof info.energy !== 'number')
      throw reader.error(`energy must be a number (eV), found ${quote(String(info.energy))}`);
    energy = info.energy;
    delete info.energy;
  }
  let stress: Float64Array | undefined;
  if ('stress' in info) {
    stress = numbersOf(info.stress, 9, 'stress', reader);
    delete info.stress;
  }

  const symbols: string[] = new Array<string>(natoms);
  const atomLines = new Int32Array(natoms);
  const numeric = new Map<string, Float64Array>();
  for (const c of columns) if (c.type !== 'S') numeric.set(c.name, new Float64Array(natoms * c.columns));
  const speciesColumn = columns.find((c) => c.name === SPECIES && c.type === 'S');
  for (let i = 0; i < natoms; i++) {
    const ws = words(reader.next(`atom ${i + 1} of ${natoms}`));
    atomLines[i] = reader.lineNumber;
    if (ws.length < width) {
      throw reader.error(`atom ${i + 1}: expected ${width} columns (${properties}), found ${ws.length}`);
    }
    for (const c of columns) {
      for (let k = 0; k < c.columns; k++) {
        const w = ws[c.offset + k]!;
        const label = c.columns > 1 ? `${c.name}[${k}]` : c.name;
        if (c.type === 'S') continue;
        let x: number | undefined;
        if (c.type === 'R') x = toReal(w);
        else if (c.type === 'I') x = toInteger(w);
        else x = w === 'T' || w === 'True' ? 1 : w === 'F' || w === 'False' ? 0 : undefined;
        if (x === undefined) {
          const kind = c.type === 'R' ? 'a finite number' : c.type === 'I' ? 'a whole number' : 'T or F';
          throw reader.error(`atom ${i + 1}: ${label} must be ${kind}, found ${quote(w)}`);
        }
        numeric.get(c.name)![i * c.columns + k] = x;
      }
    }
    if (speciesColumn) {
      const s = ws[speciesColumn.offset]!;
      // ASE capitalises symbols: "CU" and "cu" both mean Cu.
      symbols[i] = s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
    } else {
      const z = numeric.get(NUMBERS)![i]!;
      const el = z >= 1 && z <= 118 ? safeElementByNumber(z) : undefined;
      if (!el)
        throw reader.error(`atom ${i + 1}: no element with atomic number Z = ${z} in the element table`);
      symbols[i] = el;
    }
  }

  const positions = numeric.get(POSITIONS)!;
  numeric.delete(POSITIONS);
  numeric.delete(NUMBERS);
  const structure: Structure = {
    file: reader.file,
    atomLines,
    symbols,
    positions,
    hasCell,
    cell,
    pbc,
    rotation: null,
    arrays: {},
    info,
  };
  if (energy !== undefined) structure.energy = energy;
  if (stress !== undefined) structure.stress = stress;
  const take = (name: string): Float64Array | undefined => {
    const v = numeric.get(name);
    numeric.delete(name);
    return v;
  };
  const forces = columns.find((c) => c.name === FORCES)?.columns === 3 ? take(FORCES) : undefined;
  if (forces) structure.forces = forces;
  const charges = columns.find((c) => c.name === CHARGES)?.columns === 1 ? take(CHARGES) : undefined;
  if (charges) structure.charges = charges;
  const masses = columns.find((c) => c.name === MASSES)?.columns === 1 ? take(MASSES) : undefined;
  if (masses) structure.masses = masses;
  for (const c of columns) {
    const v = numeric.get(c.name);
    if (v) structure.arrays[c.name] = { columns: c.columns, values: v };
  }

  if (hasCell && !isRestrictedTriclinic(cell)) {
    const restricted = restrictCell(cell);
    const latticeLine = reader.lineNumber - natoms;
    if (!restricted)
      throw reader.error('Lattice vectors are degenerate (the cell has no volume)', latticeLine);
    structure.cell = restricted.cell;
    structure.rotation = restricted.rotation;
    structure.positions = rotateVectors(restricted.rotation, structure.positions);
    if (structure.forces) structure.forces = rotateVectors(restricted.rotation, structure.forces);
    if (structure.stress) structure.stress = rotateTensor(restricted.rotation, structure.stress);
  }
  return structure;
}

function safeElementByNumber(z: number): string | undefined {
  try {
    return elementByNumber(z).symbol;
  } catch {
    return undefined;
  }
}

/**
 * Reads every frame of an XYZ or extXYZ file.
 * @param text File contents.
 * @param file File name, for messages.
 * @throws ParseError naming the file and line of the first problem.
 */
export function parseXyz(text: string, file: string): Structure[] {
  const reader = new LineReader(text, file);
  const frames: Structure[] = [];
  for (;;) {
    while (!reader.done && reader.lines[reader.index]!.trim() === '') reader.index++;
    if (reader.done) break;
    const countLine = reader.next('the atom count');
    const ws = words(countLine);
    const natoms = ws.length === 1 ? toInteger(ws[0]!) : undefined;
    if (natoms === undefined || natoms < 0) {
      throw reader.error(
        `expected the number of atoms of frame ${frames.length + 1}, found ${quote(countLine.trim())}`,
      );
    }
    const remaining = reader.lines.length - reader.index - 1;
    if (natoms > remaining) {
      throw reader.error(
        `frame ${frames.length + 1} declares ${natoms} atoms but only ${Math.max(remaining, 0)} line(s) follow its comment line (file truncated?)`,
      );
    }
    frames.push(readFrame(reader, natoms));
  }
  if (frames.length === 0) throw new ParseError(file, 0, 'the file holds no frame');
  return frames;
}

/** What {@link writeExtXyz} writes for one frame. */
export interface ExtXyzFrame {
  symbols: readonly string[];
  /** Positions, Å (3·n). */
  positions: ArrayLike<number>;
  /** Cell rows a, b, c, Å (9 values); omitted or all zero for no cell. */
  cell?: ArrayLike<number>;
  pbc?: readonly [boolean, boolean, boolean];
  /** Total energy, eV. */
  energy?: number;
  /** Forces, eV/Å (3·n). */
  forces?: ArrayLike<number>;
  /** Stress, eV/Å³, 3×3 row-major (ASE sign). */
  stress?: ArrayLike<number>;
  /** Extra scalar entries of the comment line. */
  info?: Record<string, string | number | boolean>;
}

/** Shortest text that reads back as exactly the same double. */
function num(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`cannot write ${x} to extXYZ`);
  return Object.is(x, -0) ? '0' : String(x);
}

function infoValue(v: string | number | boolean): string {
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (typeof v === 'number') return num(v);
  return /[\s"'{}[\]=\\]/.test(v) || v === '' ? `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : v;
}

/** Writes frames as extXYZ that ASE's `ase.io.read(..., index=':')` reads back exactly. */
export function writeExtXyz(frames: readonly ExtXyzFrame[]): string {
  const out: string[] = [];
  for (const f of frames) {
    const n = f.symbols.length;
    if (f.positions.length !== 3 * n)
      throw new RangeError(`positions has ${f.positions.length} values for ${n} atoms`);
    if (f.forces && f.forces.length !== 3 * n)
      throw new RangeError(`forces has ${f.forces.length} values for ${n} atoms`);
    const header: string[] = [];
    const cell = f.cell && Array.from(f.cell).some((x) => x !== 0) ? Array.from(f.cell) : null;
    if (cell) header.push(`Lattice="${cell.map(num).join(' ')}"`);
    header.push(`Properties=species:S:1:pos:R:3${f.forces ? ':forces:R:3' : ''}`);
    if (f.energy !== undefined) header.push(`energy=${num(f.energy)}`);
    if (f.stress) header.push(`stress="${Array.from(f.stress).map(num).join(' ')}"`);
    for (const [k, v] of Object.entries(f.info ?? {})) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
        throw new RangeError(`info key ${JSON.stringify(k)} is not a valid extXYZ key`);
      header.push(`${k}=${infoValue(v)}`);
    }
    const pbc = f.pbc ?? (cell ? [true, true, true] : [false, false, false]);
    header.push(`pbc="${pbc.map((p) => (p ? 'T' : 'F')).join(' ')}"`);
    out.push(String(n), header.join(' '));
    for (let i = 0; i < n; i++) {
      const sym = f.symbols[i]!;
      if (!/^\S+$/.test(sym))
        throw new RangeError(`symbol ${JSON.stringify(sym)} of atom ${i + 1} is not writable`);
      let line = `${sym} ${num(f.positions[3 * i]!)} ${num(f.positions[3 * i + 1]!)} ${num(f.positions[3 * i + 2]!)}`;
      if (f.forces)
        line += ` ${num(f.forces[3 * i]!)} ${num(f.forces[3 * i + 1]!)} ${num(f.forces[3 * i + 2]!)}`;
      out.push(line);
    }
  }
  return `${out.join('\n')}\n`;
}
