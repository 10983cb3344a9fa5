/**
 * The LAMMPS "LJ melt" benchmark problem (bench/in.lj of LAMMPS), built identically for LAMMPS
 * (reduced `units lj`) and for our engine (argon in physical units), so both integrate the same
 * initial state: fcc at ρ* = 0.8442, velocities at T* = 3.0, rc = 2.5σ, skin 0.3σ, dt = 0.005τ, NVE.
 * Browser-safe (no Node imports): the bench page and the Node driver both use it.
 */
import type { Batch } from '../src/engine/batch.ts';
import { fccPositions } from '../src/engine/crosscheck/structures.ts';
import { mulberry32, normal } from '../src/engine/structures/random.ts';
import { ACCELERATION_PER_FORCE_OVER_MASS } from '../src/engine/units.ts';

/** Reduced-unit parameters of the melt problem. */
export const MELT = {
  /** Number density, σ⁻³. */
  density: 0.8442,
  /** Initial temperature, ε/kB. */
  temperature: 3.0,
  /** Cutoff, σ. */
  cutoff: 2.5,
  /** Verlet skin, σ. */
  skin: 0.3,
  /** Time step, τ. */
  dt: 0.005,
} as const;

/** Argon, the physical units our engine runs the problem in: ε eV, σ Å, m amu. */
export const MELT_ARGON = { epsilon: 0.0104, sigma: 3.4, mass: 39.948 } as const;

/** τ = σ·sqrt(m/ε) of argon, fs. */
export const TAU_FS =
  MELT_ARGON.sigma * Math.sqrt(MELT_ARGON.mass / (MELT_ARGON.epsilon * ACCELERATION_PER_FORCE_OVER_MASS));

/**
 * The melt problem with `cells`³ fcc cells (4·cells³ atoms) in reduced units: positions σ, velocities
 * σ/τ, mass 1. Velocities are Gaussian, with zero total momentum, scaled to T* exactly over 3N − 3
 * degrees of freedom, as LAMMPS's `velocity all create` does.
 */
export function meltReduced(cells: number, seed = 87287): Batch {
  const a = Math.cbrt(4 / MELT.density);
  const positions = fccPositions(a, [cells, cells, cells]);
  const n = positions.length / 3;
  const random = mulberry32(seed);
  const velocities = new Float64Array(3 * n);
  for (let k = 0; k < velocities.length; k++) velocities[k] = normal(random);
  const mean = [0, 0, 0];
  for (let i = 0; i < n; i++) for (let d = 0; d < 3; d++) mean[d]! += velocities[3 * i + d]! / n;
  let twiceKinetic = 0;
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < 3; d++) {
      velocities[3 * i + d]! -= mean[d]!;
      twiceKinetic += velocities[3 * i + d]! ** 2;
    }
  }
  const scale = Math.sqrt((MELT.temperature * (3 * n - 3)) / twiceKinetic);
  for (let k = 0; k < velocities.length; k++) velocities[k]! *= scale;
  const l = a * cells;
  return {
    nAtoms: n,
    nSystems: 1,
    atomsPtr: Int32Array.of(0, n),
    positions,
    velocities,
    masses: new Float64Array(n).fill(1),
    types: new Int32Array(n),
    atomicNumbers: new Int32Array(n).fill(18),
    cells: Float64Array.of(l, 0, 0, 0, l, 0, 0, 0, l),
    pbc: Uint8Array.of(1, 1, 1),
    systemIds: Int32Array.of(0),
  };
}

/** The same state in argon's physical units: Å, Å/fs, amu. */
export function toArgon(reduced: Batch): Batch {
  const { sigma, mass } = MELT_ARGON;
  return {
    ...reduced,
    positions: reduced.positions.map((x) => x * sigma),
    velocities: reduced.velocities.map((v) => (v * sigma) / TAU_FS),
    masses: reduced.masses.map((m) => m * mass),
    cells: reduced.cells.map((x) => x * sigma),
    atomsPtr: reduced.atomsPtr.slice(),
    types: reduced.types.slice(),
    atomicNumbers: reduced.atomicNumbers.slice(),
    pbc: reduced.pbc.slice(),
    systemIds: reduced.systemIds.slice(),
  };
}
