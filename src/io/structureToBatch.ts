/**
 * Turns a parsed {@link Structure} into a one-system {@link Batch}: element symbols become
 * potential type indices through a type map, masses come from the file or the element table.
 */
import type { Batch } from '../engine/batch.ts';
import { findElement } from './elements.ts';
import { ParseError } from './parseError.ts';
import type { Structure } from './structure.ts';

/** Element symbol → potential type index (−1 makes that element NULL: invisible to the potential). */
export type TypeMap = Readonly<Record<string, number>> | ReadonlyMap<string, number>;

export interface StructureToBatchOptions {
  /** Masses per element symbol, amu; they override the file's and the element table's. */
  masses?: Readonly<Record<string, number>>;
  /**
   * Vacuum, Å, added on each side of the atoms along axes without a cell (a file without
   * Lattice): the box then spans the atoms plus this margin and atoms are shifted into it.
   * Default 10 Å.
   */
  vacuum?: number;
  /** System id of the batch (default 0). */
  systemId?: number;
}

function lookup(map: TypeMap, symbol: string): number | undefined {
  return map instanceof Map ? map.get(symbol) : (map as Readonly<Record<string, number>>)[symbol];
}

function mapDescription(map: TypeMap): string {
  const entries = map instanceof Map ? [...map.entries()] : Object.entries(map);
  return entries.map(([k, v]) => `${k} → ${v}`).join(', ') || 'empty';
}

/**
 * Builds a batch from a structure.
 * @param structure A frame from `parseXyz` or the result of `parseLammpsData`.
 * @param typeMap Potential type index of each element symbol of the structure.
 * @throws ParseError naming the file and the line of the first atom whose element is not in the
 *   type map or has no known mass.
 */
export function structureToBatch(
  structure: Structure,
  typeMap: TypeMap,
  options: StructureToBatchOptions = {},
): Batch {
  const n = structure.symbols.length;
  const types = new Int32Array(n);
  const masses = new Float64Array(n);
  const atomicNumbers = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const sym = structure.symbols[i]!;
    const line = structure.atomLines[i] ?? 0;
    const t = lookup(typeMap, sym);
    if (t === undefined || !Number.isInteger(t) || t < -1) {
      throw new ParseError(
        structure.file,
        line,
        `element ${sym} of atom ${i + 1} has no potential type (type map: ${mapDescription(typeMap)})`,
      );
    }
    types[i] = t;
    const el = findElement(sym);
    atomicNumbers[i] = el?.atomicNumber ?? 0;
    const m = options.masses?.[sym] ?? structure.masses?.[i] ?? el?.mass;
    if (m === undefined || !(m > 0)) {
      throw new ParseError(
        structure.file,
        line,
        `element ${sym} of atom ${i + 1} has no known mass; give its mass`,
      );
    }
    masses[i] = m;
  }

  const positions = structure.positions.slice();
  const cell = structure.cell.slice();
  const pbc = structure.pbc;
  if (!structure.hasCell) {
    const vacuum = options.vacuum ?? 10;
    for (let a = 0; a < 3; a++) {
      if (pbc[a]) {
        throw new ParseError(
          structure.file,
          0,
          `periodic along axis ${'xyz'[a]} but the file gives no cell (Lattice)`,
        );
      }
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        lo = Math.min(lo, positions[3 * i + a]!);
        hi = Math.max(hi, positions[3 * i + a]!);
      }
      if (n === 0) lo = hi = 0;
      for (let i = 0; i < n; i++) positions[3 * i + a] = positions[3 * i + a]! - lo + vacuum;
      cell[4 * a] = hi - lo + 2 * vacuum || 1;
    }
  }
  return {
    nAtoms: n,
    nSystems: 1,
    atomsPtr: Int32Array.of(0, n),
    positions,
    velocities: structure.velocities ? structure.velocities.slice() : new Float64Array(3 * n),
    masses,
    types,
    atomicNumbers,
    cells: cell,
    pbc: Uint8Array.from(pbc, (p) => (p ? 1 : 0)),
    systemIds: Int32Array.of(options.systemId ?? 0),
  };
}

/**
 * The type map of `pair_coeff * * file El1 El2 ...`: type t is `elements[t]`; `NULL` entries get
 * no symbol. Symbols of the structure not listed are unmapped (an error in {@link structureToBatch}).
 */
export function typeMapFromElements(elements: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  elements.forEach((el, t) => {
    if (el !== 'NULL' && !map.has(el)) map.set(el, t);
  });
  return map;
}
