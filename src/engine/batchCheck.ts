/**
 * Checks of what an engine's `reload` (inflight batching) and `setConstraints` take, before anything
 * is changed. Shared by the WebGPU and the f64 CPU engine.
 */
import type { Batch } from './batch.ts';

/**
 * Throws a clear error unless `batch` has `nAtoms` atoms in `nSystems` systems, consistent array
 * lengths, atomsPtr from 0 to nAtoms without decreasing, finite positions and velocities (Å, Å/fs),
 * finite masses > 0 (amu), integer types ≥ −1 (−1 = NULL), cells with finite entries and pbc flags
 * of 0 or 1. `what` names the caller in messages.
 */
export function checkBatchShape(batch: Batch, nAtoms: number, nSystems: number, what: string): void {
  if (batch.nAtoms !== nAtoms || batch.nSystems !== nSystems) {
    throw new Error(
      `${what}: the batch has ${batch.nAtoms} atoms in ${batch.nSystems} systems; this engine holds ` +
        `${nAtoms} atoms in ${nSystems} systems (pad with empty slots and a reservoir of NULL atoms)`,
    );
  }
  const lengths: [string, number, number][] = [
    ['atomsPtr', batch.atomsPtr.length, nSystems + 1],
    ['positions', batch.positions.length, 3 * nAtoms],
    ['velocities', batch.velocities.length, 3 * nAtoms],
    ['masses', batch.masses.length, nAtoms],
    ['types', batch.types.length, nAtoms],
    ['atomicNumbers', batch.atomicNumbers.length, nAtoms],
    ['cells', batch.cells.length, 9 * nSystems],
    ['pbc', batch.pbc.length, 3 * nSystems],
    ['systemIds', batch.systemIds.length, nSystems],
  ];
  for (const [name, actual, expected] of lengths) {
    if (actual !== expected) throw new Error(`${what}: ${name} has ${actual} entries; expected ${expected}`);
  }
  if (batch.atomsPtr[0] !== 0 || batch.atomsPtr[nSystems] !== nAtoms) {
    throw new Error(`${what}: atomsPtr must run from 0 to nAtoms = ${nAtoms}`);
  }
  for (let s = 0; s < nSystems; s++) {
    if (batch.atomsPtr[s + 1]! < batch.atomsPtr[s]!) {
      throw new Error(`${what}: atomsPtr decreases at system ${s}`);
    }
  }
  for (let i = 0; i < nAtoms; i++) {
    const m = batch.masses[i]!;
    if (!(m > 0 && Number.isFinite(m)))
      throw new Error(`${what}: atom ${i}: mass ${m} amu must be finite and > 0`);
    const t = batch.types[i]!;
    if (!(Number.isInteger(t) && t >= -1))
      throw new Error(`${what}: atom ${i}: type ${t} must be an integer ≥ −1`);
  }
  for (let k = 0; k < 3 * nAtoms; k++) {
    if (!Number.isFinite(batch.positions[k]!) || !Number.isFinite(batch.velocities[k]!)) {
      throw new Error(`${what}: atom ${Math.floor(k / 3)}: position or velocity is not finite`);
    }
  }
  for (let k = 0; k < 9 * nSystems; k++) {
    if (!Number.isFinite(batch.cells[k]!))
      throw new Error(`${what}: system ${Math.floor(k / 9)}: cell is not finite`);
  }
  for (let k = 0; k < 3 * nSystems; k++) {
    const p = batch.pbc[k]!;
    if (p !== 0 && p !== 1) throw new Error(`${what}: system ${Math.floor(k / 3)}: pbc flags must be 0 or 1`);
  }
}

/** Throws unless `systems` lists valid system indices (0 ≤ s < nSystems, integers). */
export function checkSystemIndices(systems: readonly number[], nSystems: number, what: string): void {
  for (const s of systems) {
    if (!(Number.isInteger(s) && s >= 0 && s < nSystems)) {
      throw new Error(`${what}: system index ${s} is out of range 0..${nSystems - 1}`);
    }
  }
}

/** Frozen flags and force caps as the engine's `setConstraints` takes them. */
export interface ConstraintsInput {
  /** Per atom in batch order, non-zero = frozen; `null` lifts; omitted keeps the setting. */
  frozen?: Uint8Array | null;
  /** Per system, eV/Å (> 0; Infinity = no clamp); `null` lifts; omitted keeps the setting. */
  maxForce?: Float64Array | null;
}

/**
 * Checks `frozen` (length nAtoms) and `maxForce` (length nSystems, each > 0 or +Infinity);
 * throws a clear error otherwise.
 */
export function checkConstraints(input: ConstraintsInput, nAtoms: number, nSystems: number): void {
  if (input.frozen && input.frozen.length !== nAtoms) {
    throw new Error(
      `setConstraints: frozen has ${input.frozen.length} flags; expected one per atom (${nAtoms})`,
    );
  }
  if (input.maxForce) {
    if (input.maxForce.length !== nSystems) {
      throw new Error(
        `setConstraints: maxForce has ${input.maxForce.length} values; expected one per system (${nSystems})`,
      );
    }
    input.maxForce.forEach((f, s) => {
      if (!(f > 0)) throw new Error(`setConstraints: maxForce of system ${s} is ${f} eV/Å; it must be > 0`);
    });
  }
}
