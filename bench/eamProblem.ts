/**
 * The LAMMPS EAM benchmark problem (LAMMPS's bench/in.eam): fcc copper, a = 3.615 Å, 20³ cells
 * (32,000 atoms), Cu_u3.eam (funcfl), velocities at 1600 K, neighbor skin 1 Å checked every step,
 * NVE with dt = 5 fs. Built once here so that LAMMPS (from a data file) and our engine integrate the
 * very same initial state. Browser-safe (no Node imports): the bench page and the driver use it.
 */

import type { Batch } from '../src/engine/batch.ts';
import { fccPositions } from '../src/engine/crosscheck/structures.ts';
import { setMaxwellBoltzmann } from '../src/engine/structures/fcc.ts';
import { mulberry32 } from '../src/engine/structures/random.ts';
import type { EamSpec } from '../src/io/spec.ts';

/** Parameters of the problem (LAMMPS's bench/in.eam). */
export const EAM_BENCH = {
  /** Lattice constant of fcc Cu, Å. */
  latticeConstant: 3.615,
  /** Initial temperature, K (over 3N − 3 degrees of freedom, as `velocity all create`). */
  temperature: 1600,
  /** Neighbor skin, Å (`neighbor 1.0 bin`). */
  skin: 1.0,
  /** Time step, fs (`timestep 0.005` ps). */
  dt: 5,
  /** The potential file, from Debian's lammps-data. */
  potentialFile: '/usr/share/lammps/potentials/Cu_u3.eam',
} as const;

/** The potential of the problem (`pair_style eam`, `pair_coeff 1 1 Cu_u3.eam`). */
export const EAM_BENCH_POTENTIAL: EamSpec = {
  kind: 'eam',
  style: 'eam',
  file: EAM_BENCH.potentialFile,
  elements: ['Cu'],
};

/**
 * cells³ fcc cells of Cu (4·cells³ atoms) with `mass` (amu, the file's) and Maxwell–Boltzmann
 * velocities (Å/fs) without net momentum, scaled to exactly 1600 K over 3N − 3 degrees of freedom.
 */
export function eamBenchBatch(cells: number, mass: number, seed = 376847): Batch {
  const a = EAM_BENCH.latticeConstant;
  const positions = fccPositions(a, [cells, cells, cells]);
  const n = positions.length / 3;
  const l = a * cells;
  const batch: Batch = {
    nAtoms: n,
    nSystems: 1,
    atomsPtr: Int32Array.of(0, n),
    positions,
    velocities: new Float64Array(3 * n),
    masses: new Float64Array(n).fill(mass),
    types: new Int32Array(n),
    atomicNumbers: new Int32Array(n).fill(29),
    cells: Float64Array.of(l, 0, 0, 0, l, 0, 0, 0, l),
    pbc: Uint8Array.of(1, 1, 1),
    systemIds: Int32Array.of(0),
  };
  // setMaxwellBoltzmann hits T exactly over 3N degrees of freedom; LAMMPS counts 3N − 3.
  setMaxwellBoltzmann(batch, EAM_BENCH.temperature, mulberry32(seed));
  const scale = Math.sqrt((3 * n) / (3 * n - 3));
  for (let k = 0; k < 3 * n; k++) batch.velocities[k]! *= scale;
  return batch;
}
