/**
 * The `lammpsLennardJones` browser command end to end (browser → test server → LAMMPS → browser),
 * checked against the f64 reference computed here in the page. Runs in the browser project because
 * browser commands exist only there; it needs no GPU.
 */
import { expect, test } from 'vitest';
import { commands } from 'vitest/browser';
import { lennardJonesReference } from '../reference/lennardJones.ts';
import { fromPlainForceResult, toPlainBatch } from './plain.ts';
import { ARGON, argonSlab } from './structures.ts';

test('LAMMPS numbers reach the browser intact (slab, shifted LJ)', async () => {
  const batch = argonSlab([4, 4, 3]);
  const p = { epsilon: ARGON.epsilon, sigma: ARGON.sigma, cutoff: ARGON.cutoff, shift: true };
  const lammps = fromPlainForceResult(await commands.lammpsLennardJones(toPlainBatch(batch), p));
  const reference = lennardJonesReference(batch, p);
  expect(lammps.forces).toHaveLength(3 * batch.nAtoms);
  expect(Math.abs(lammps.energy[0]! - reference.energy[0]!)).toBeLessThan(
    1e-9 * Math.abs(reference.energy[0]!),
  );
  for (let k = 0; k < lammps.forces.length; k++) {
    expect(Math.abs(lammps.forces[k]! - reference.forces[k]!)).toBeLessThan(1e-10);
  }
  for (let k = 0; k < 9; k++) expect(Math.abs(lammps.virial[k]! - reference.virial[k]!)).toBeLessThan(1e-9);
});
