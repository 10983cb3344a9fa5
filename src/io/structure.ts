/**
 * A structure read from a file (XYZ/extXYZ frame or LAMMPS data file), before element symbols
 * are mapped to potential types. Cells are always in LAMMPS's restricted triclinic form
 * (a = (lx,0,0), b = (xy,ly,0), c = (xz,yz,lz)); positions and vectors read in another frame are
 * rotated with the cell, and `rotation` says how.
 */

/** A value of the extXYZ comment line (`key=value`), or a LAMMPS header entry. */
export type InfoValue = string | number | boolean | number[] | boolean[];

export interface Structure {
  /** File the structure came from (for messages). */
  file: string;
  /** 1-based line of the file on which each atom is written (for messages). */
  atomLines: Int32Array;
  /** Element symbol per atom, as in the file (capitalised like ASE does for extXYZ). */
  symbols: string[];
  /** Positions, Å, xyz interleaved (3·n), in the restricted frame. */
  positions: Float64Array;
  /** Whether the file gives a cell. Without one, `cell` is all zeros. */
  hasCell: boolean;
  /** Cell rows a, b, c, Å (9 values), restricted triclinic. */
  cell: Float64Array;
  /** Periodicity along a, b, c. */
  pbc: [boolean, boolean, boolean];
  /**
   * Orthogonal 3×3 row-major R with r_restricted = R · r_file, applied to positions, forces,
   * velocities and stress; null when the file's frame was already restricted (R = identity).
   */
  rotation: Float64Array | null;
  /** Total energy, eV. */
  energy?: number;
  /** Forces, eV/Å (3·n), restricted frame. */
  forces?: Float64Array;
  /** Velocities, Å/fs (3·n), restricted frame. */
  velocities?: Float64Array;
  /** Stress, eV/Å³, 3×3 row-major (ASE sign convention), restricted frame. */
  stress?: Float64Array;
  /** Per-atom charges, e. */
  charges?: Float64Array;
  /** Per-atom masses, amu, when the file gives them (LAMMPS Masses section, extXYZ masses column). */
  masses?: Float64Array;
  /** Other per-atom numeric columns (extXYZ), `columns` values per atom. */
  arrays: Record<string, { columns: number; values: Float64Array }>;
  /** Other key=value entries of the comment line (extXYZ) or header values (LAMMPS). */
  info: Record<string, InfoValue>;
}

/** Number of atoms of a structure. */
export function atomCount(s: Pick<Structure, 'symbols'>): number {
  return s.symbols.length;
}
