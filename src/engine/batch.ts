/**
 * Host-side batch of independent systems in CSR layout (DESIGN §4). This is what crosses
 * worker boundaries and what the f64 reference works on; the GPU engine keeps the same
 * arrays as f32 structure-of-arrays buffers.
 */
export interface Batch {
  /** Number of atoms over all systems. */
  nAtoms: number;
  /** Number of systems. */
  nSystems: number;
  /** Atom offsets per system, length nSystems + 1: atoms of system s are atomsPtr[s] ≤ i < atomsPtr[s+1]. */
  atomsPtr: Int32Array;
  /** Positions, Å, xyz interleaved (length 3·nAtoms). */
  positions: Float64Array;
  /** Velocities, Å/fs, xyz interleaved (length 3·nAtoms). */
  velocities: Float64Array;
  /** Masses, amu (length nAtoms). */
  masses: Float64Array;
  /** Potential type index per atom; −1 marks a NULL atom (integrated, invisible to the potential). */
  types: Int32Array;
  /** Atomic numbers per atom, for colours and export (0 if unknown). */
  atomicNumbers: Int32Array;
  /**
   * Cell per system, Å: three row vectors a, b, c (length 9·nSystems), in LAMMPS's restricted
   * triclinic form a = (lx,0,0), b = (xy,ly,0), c = (xz,yz,lz), origin at 0 (src/engine/cell.ts converts
   * general cells). The reference neighbor list (reference/neighborList.ts) is the one part that still
   * needs orthorhombic cells; the GPU list and every potential take any restricted cell.
   */
  cells: Float64Array;
  /** Periodicity per system and axis, 1 = periodic (length 3·nSystems). */
  pbc: Uint8Array;
  /** Stable system ids (length nSystems). */
  systemIds: Int32Array;
}

/** Index of the system that owns each atom (length nAtoms), derived from atomsPtr. */
export function systemOfAtom(batch: Pick<Batch, 'nAtoms' | 'nSystems' | 'atomsPtr'>): Int32Array {
  const out = new Int32Array(batch.nAtoms);
  for (let s = 0; s < batch.nSystems; s++) {
    out.fill(s, batch.atomsPtr[s], batch.atomsPtr[s + 1]);
  }
  return out;
}

/** A deep copy, so that callers may mutate without aliasing. */
export function cloneBatch(batch: Batch): Batch {
  return {
    nAtoms: batch.nAtoms,
    nSystems: batch.nSystems,
    atomsPtr: batch.atomsPtr.slice(),
    positions: batch.positions.slice(),
    velocities: batch.velocities.slice(),
    masses: batch.masses.slice(),
    types: batch.types.slice(),
    atomicNumbers: batch.atomicNumbers.slice(),
    cells: batch.cells.slice(),
    pbc: batch.pbc.slice(),
    systemIds: batch.systemIds.slice(),
  };
}

/** Builds a one-system batch from plain arrays. */
export function singleSystemBatch(args: {
  positions: ArrayLike<number>;
  masses: ArrayLike<number>;
  types?: ArrayLike<number>;
  atomicNumbers?: ArrayLike<number>;
  cell: readonly [number, number, number];
  pbc?: readonly [boolean, boolean, boolean];
  velocities?: ArrayLike<number>;
  systemId?: number;
}): Batch {
  const n = args.masses.length;
  if (args.positions.length !== 3 * n) {
    throw new Error(`positions has ${args.positions.length} values; expected 3 × ${n} atoms`);
  }
  const [lx, ly, lz] = args.cell;
  const pbc = args.pbc ?? [true, true, true];
  return {
    nAtoms: n,
    nSystems: 1,
    atomsPtr: Int32Array.of(0, n),
    positions: Float64Array.from(args.positions),
    velocities: args.velocities ? Float64Array.from(args.velocities) : new Float64Array(3 * n),
    masses: Float64Array.from(args.masses),
    types: args.types ? Int32Array.from(args.types) : new Int32Array(n),
    atomicNumbers: args.atomicNumbers ? Int32Array.from(args.atomicNumbers) : new Int32Array(n),
    cells: Float64Array.of(lx, 0, 0, 0, ly, 0, 0, 0, lz),
    pbc: Uint8Array.from(pbc, (p) => (p ? 1 : 0)),
    systemIds: Int32Array.of(args.systemId ?? 0),
  };
}
