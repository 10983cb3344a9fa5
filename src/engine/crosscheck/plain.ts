/**
 * Plain-array forms of a Batch and a ForceResult, for crossing the Vitest browser-command channel
 * (its messages are JSON-like: typed arrays do not survive it). Also declares the `lammpsLennardJones`
 * browser command that vitest.config.ts registers (its server side is scripts/lammps.ts).
 */

import type { LammpsPotential } from '../../../scripts/lammpsPair.ts';
import type { Batch } from '../batch.ts';
import type { ForceResult, LennardJonesParams } from '../reference/lennardJones.ts';

/** A Batch with every typed array as a plain number array. */
export type PlainBatch = { [K in keyof Batch]: Batch[K] extends number ? number : number[] };

/** A ForceResult with plain number arrays (same units: eV, eV/Å). */
export type PlainForceResult = { [K in keyof ForceResult]: number[] };

export function toPlainBatch(batch: Batch): PlainBatch {
  return {
    nAtoms: batch.nAtoms,
    nSystems: batch.nSystems,
    atomsPtr: Array.from(batch.atomsPtr),
    positions: Array.from(batch.positions),
    velocities: Array.from(batch.velocities),
    masses: Array.from(batch.masses),
    types: Array.from(batch.types),
    atomicNumbers: Array.from(batch.atomicNumbers),
    cells: Array.from(batch.cells),
    pbc: Array.from(batch.pbc),
    systemIds: Array.from(batch.systemIds),
  };
}

export function fromPlainBatch(plain: PlainBatch): Batch {
  return {
    nAtoms: plain.nAtoms,
    nSystems: plain.nSystems,
    atomsPtr: Int32Array.from(plain.atomsPtr),
    positions: Float64Array.from(plain.positions),
    velocities: Float64Array.from(plain.velocities),
    masses: Float64Array.from(plain.masses),
    types: Int32Array.from(plain.types),
    atomicNumbers: Int32Array.from(plain.atomicNumbers),
    cells: Float64Array.from(plain.cells),
    pbc: Uint8Array.from(plain.pbc),
    systemIds: Int32Array.from(plain.systemIds),
  };
}

export function toPlainForceResult(r: ForceResult): PlainForceResult {
  return {
    energy: Array.from(r.energy),
    energies: Array.from(r.energies),
    forces: Array.from(r.forces),
    virial: Array.from(r.virial),
    atomVirial: Array.from(r.atomVirial),
    stress: Array.from(r.stress),
  };
}

export function fromPlainForceResult(plain: PlainForceResult): ForceResult {
  return {
    energy: Float64Array.from(plain.energy),
    energies: Float64Array.from(plain.energies),
    forces: Float64Array.from(plain.forces),
    virial: Float64Array.from(plain.virial),
    atomVirial: Float64Array.from(plain.atomVirial),
    stress: Float64Array.from(plain.stress),
  };
}

declare module 'vitest/browser' {
  interface BrowserCommands {
    /** LAMMPS `lj/cut` single point of a batch, run on the test server (scripts/lammps.ts). */
    lammpsLennardJones: (batch: PlainBatch, params: LennardJonesParams) => Promise<PlainForceResult>;
    /**
     * LAMMPS `run 0` of every system under any potential it shares with the workbench
     * (scripts/lammps.ts `lammpsEvaluate`; EAM files are paths on the test server).
     */
    lammpsEvaluate: (batch: PlainBatch, potential: LammpsPotential) => Promise<PlainForceResult>;
    /**
     * LAMMPS `fix nve` for `steps` steps of `dt` fs of system `s` (scripts/lammps.ts `lammpsNve`):
     * final unwrapped positions (Å) and velocities (Å/fs) of the system's atoms.
     */
    lammpsNve: (
      batch: PlainBatch,
      s: number,
      potential: LammpsPotential,
      dt: number,
      steps: number,
    ) => Promise<{ positions: number[]; velocities: number[] }>;
  }
}
