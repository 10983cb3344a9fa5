/**
 * Checks shared by the reference potentials' tests: forces against finite differences of the
 * energy, and the virial against strain derivatives on (restricted triclinic) cells.
 */
import { type Batch, cloneBatch } from '../batch.ts';
import { rotateVectors, toRestrictedTriclinic } from '../cell.ts';
import type { ForceResult } from './forceResult.ts';

/** Total energy of every system, eV. */
export type EnergyFn = (batch: Batch) => number;

/** Largest |F + ∂E/∂x| over every coordinate (central differences, step h Å), and the largest |F|. */
export function finiteDifferenceForceError(
  batch: Batch,
  result: ForceResult,
  energy: EnergyFn,
  h = 1e-5,
): { error: number; maxForce: number } {
  let error = 0;
  let maxForce = 0;
  const b = cloneBatch(batch);
  for (let k = 0; k < 3 * batch.nAtoms; k++) {
    const x = b.positions[k]!;
    b.positions[k] = x + h;
    const ePlus = energy(b);
    b.positions[k] = x - h;
    const eMinus = energy(b);
    b.positions[k] = x;
    error = Math.max(error, Math.abs(-(ePlus - eMinus) / (2 * h) - result.forces[k]!));
    maxForce = Math.max(maxForce, Math.abs(result.forces[k]!));
  }
  return { error, maxForce };
}

/**
 * The batch (one system) under the homogeneous deformation x → (I + e·E_ab) x of positions and
 * cell rows, rotated back into LAMMPS's restricted triclinic form (a rotation changes no energy).
 */
export function strained(batch: Batch, a: number, b: number, e: number): Batch {
  const out = cloneBatch(batch);
  const deform = (v: Float64Array) => {
    for (let k = 0; k < v.length; k += 3) v[k + a]! += e * v[k + b]!;
  };
  deform(out.positions);
  deform(out.cells);
  const { cell, rotation } = toRestrictedTriclinic(out.cells);
  out.cells = cell;
  out.positions = rotateVectors(rotation, out.positions);
  return out;
}

/** Largest |dE/dε_ab + W_ab| over the 9 strain components (central differences), and the largest |W_ab|. */
export function strainVirialError(
  batch: Batch,
  result: ForceResult,
  energy: EnergyFn,
  h = 1e-6,
): { error: number; maxVirial: number } {
  let error = 0;
  let maxVirial = 0;
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) {
      const dEde = (energy(strained(batch, a, b, h)) - energy(strained(batch, a, b, -h))) / (2 * h);
      const w = result.virial[3 * a + b]!;
      error = Math.max(error, Math.abs(dEde + w));
      maxVirial = Math.max(maxVirial, Math.abs(w));
    }
  }
  return { error, maxVirial };
}

/** |Σ F| per component over all atoms, |Σ_i W_i − W| per component (one system), and Σ E_i − E. */
export function conservationErrors(
  batch: Batch,
  r: ForceResult,
): { force: number; atomVirial: number; energy: number } {
  const f = [0, 0, 0];
  const w = new Float64Array(6);
  let e = 0;
  for (let i = 0; i < batch.nAtoms; i++) {
    for (let k = 0; k < 3; k++) f[k]! += r.forces[3 * i + k]!;
    for (let k = 0; k < 6; k++) w[k]! += r.atomVirial[6 * i + k]!;
    e += r.energies[i]!;
  }
  const v = r.virial;
  const want = [v[0]!, v[4]!, v[8]!, v[1]!, v[2]!, v[5]!];
  return {
    force: Math.max(...f.map(Math.abs)),
    atomVirial: Math.max(...want.map((x, k) => Math.abs(x - w[k]!))),
    energy: Math.abs(e - r.energy[0]!),
  };
}

/**
 * One periodic system of `n` atoms at random in a restricted triclinic `cell` (Å), no two closer
 * than `minDistance` Å over the 27 nearest images, types cycling through `types`. For tests.
 */
export function randomTriclinicBatch(
  n: number,
  cell: readonly number[],
  minDistance: number,
  random: () => number,
  types: readonly number[] = [0],
  pbc: readonly [boolean, boolean, boolean] = [true, true, true],
): Batch {
  const pos: number[] = [];
  while (pos.length < 3 * n) {
    const s = [random(), random(), random()];
    const r = [0, 1, 2].map((a) => s[0]! * cell[a]! + s[1]! * cell[3 + a]! + s[2]! * cell[6 + a]!);
    let ok = true;
    for (let j = 0; ok && j < pos.length; j += 3) {
      for (let t = 0; ok && t < 27; t++) {
        const n3 = [(t % 3) - 1, (Math.floor(t / 3) % 3) - 1, Math.floor(t / 9) - 1];
        const d = [0, 1, 2].map(
          (a) => r[a]! - pos[j + a]! - n3[0]! * cell[a]! - n3[1]! * cell[3 + a]! - n3[2]! * cell[6 + a]!,
        );
        if (Math.hypot(d[0]!, d[1]!, d[2]!) < minDistance) ok = false;
      }
    }
    if (ok) pos.push(...r);
  }
  return {
    nAtoms: n,
    nSystems: 1,
    atomsPtr: Int32Array.of(0, n),
    positions: Float64Array.from(pos),
    velocities: new Float64Array(3 * n),
    masses: new Float64Array(n).fill(50),
    types: Int32Array.from({ length: n }, (_, i) => types[i % types.length]!),
    atomicNumbers: new Int32Array(n),
    cells: Float64Array.from(cell),
    pbc: Uint8Array.from(pbc, (p) => (p ? 1 : 0)),
    systemIds: Int32Array.of(0),
  };
}
