import type { Batch } from '../batch.ts';

/** Joins batches into one, systems in order (system ids kept as they are). */
export function concatenateBatches(batches: readonly Batch[]): Batch {
  const nAtoms = batches.reduce((n, b) => n + b.nAtoms, 0);
  const nSystems = batches.reduce((n, b) => n + b.nSystems, 0);
  const out: Batch = {
    nAtoms,
    nSystems,
    atomsPtr: new Int32Array(nSystems + 1),
    positions: new Float64Array(3 * nAtoms),
    velocities: new Float64Array(3 * nAtoms),
    masses: new Float64Array(nAtoms),
    types: new Int32Array(nAtoms),
    atomicNumbers: new Int32Array(nAtoms),
    cells: new Float64Array(9 * nSystems),
    pbc: new Uint8Array(3 * nSystems),
    systemIds: new Int32Array(nSystems),
  };
  let atom = 0;
  let system = 0;
  for (const b of batches) {
    out.positions.set(b.positions, 3 * atom);
    out.velocities.set(b.velocities, 3 * atom);
    out.masses.set(b.masses, atom);
    out.types.set(b.types, atom);
    out.atomicNumbers.set(b.atomicNumbers, atom);
    out.cells.set(b.cells, 9 * system);
    out.pbc.set(b.pbc, 3 * system);
    out.systemIds.set(b.systemIds, system);
    for (let s = 0; s < b.nSystems; s++) out.atomsPtr[system + s + 1] = atom + b.atomsPtr[s + 1]!;
    atom += b.nAtoms;
    system += b.nSystems;
  }
  return out;
}
