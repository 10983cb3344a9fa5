/**
 * The f64 force fields of a rank (referenceForces.ts): Morse parity with the single-rank reference
 * on the grids and hard cases of the decomposition, the factory's choices and its errors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEamPotential } from '../../io/lammpsPotential.ts';
import type { EamSpec, LennardJonesSpec, MorseSpec } from '../../io/spec.ts';
import { eamTabulation } from '../potentials/eamTabulation.ts';
import { eamReference } from '../reference/eam.ts';
import { lennardJonesReference } from '../reference/lennardJones.ts';
import { morseReference } from '../reference/morse.ts';
import {
  DOMAIN_CASES,
  domainCaseBatch,
  gather,
  jitteredFcc,
  ownedResult,
  parityError,
  runOnGrid,
} from './domain.testing.ts';
import { createReferenceForceField } from './referenceForces.ts';

const MORSE: MorseSpec = { kind: 'morse', d0: 0.3429, alpha: 1.3588, r0: 2.866, cutoff: 8.5, shift: true };
const LJ: LennardJonesSpec = {
  kind: 'lennard-jones',
  epsilon: 0.0104,
  sigma: 3.4,
  cutoff: 8.5,
  shift: false,
};
const TOL = 1e-10;
const request = { energy: true, virial: true };

describe('f64 rank force fields', () => {
  it.each(DOMAIN_CASES)('$name: Morse matches the single-rank reference', async (c) => {
    const batch = domainCaseBatch(c);
    const want = morseReference(batch, MORSE);
    const ff = createReferenceForceField(MORSE);
    expect(ff.label).toBe('morse (f64)');
    const parts = await runOnGrid(batch, c.dims, ff.cutoff, async (rank) =>
      ownedResult(rank, await ff.compute(rank, request)),
    );
    const err = parityError(gather(batch.nAtoms, parts), want);
    for (const [k, e] of Object.entries(err)) expect(e, k).toBeLessThan(TOL);
  });

  it('Morse without the energy shift differs from the shifted one by half a shift per neighbour', async () => {
    const batch = domainCaseBatch(DOMAIN_CASES[3]!);
    const unshifted = { ...MORSE, shift: false };
    const ff = createReferenceForceField(unshifted);
    const parts = await runOnGrid(batch, [2, 2, 2], ff.cutoff, async (rank) =>
      ownedResult(rank, await ff.compute(rank, request)),
    );
    const err = parityError(gather(batch.nAtoms, parts), morseReference(batch, unshifted));
    for (const [k, e] of Object.entries(err)) expect(e, k).toBeLessThan(TOL);
    const shiftedEnergy = morseReference(batch, MORSE).energy[0]!;
    expect(Math.abs(parts[0]!.energy - shiftedEnergy)).toBeGreaterThan(1e-3);
  });

  it('Lennard-Jones and EAM through the factory match their references on 2×2×2', async () => {
    const batch = domainCaseBatch(DOMAIN_CASES[3]!);
    const lj = createReferenceForceField(LJ);
    const ljParts = await runOnGrid(batch, [2, 2, 2], lj.cutoff, async (rank) =>
      ownedResult(rank, await lj.compute(rank, request)),
    );
    for (const [k, e] of Object.entries(
      parityError(gather(batch.nAtoms, ljParts), lennardJonesReference(batch, LJ)),
    ))
      expect(e, k).toBeLessThan(TOL);

    const file = '/usr/share/lammps/potentials/Cu_u3.eam';
    const spec: EamSpec = { kind: 'eam', style: 'eam', file: 'Cu_u3.eam', elements: ['Cu'] };
    const tables = eamTabulation([parseEamPotential(readFileSync(file, 'utf8'), spec.file, 'eam')], 'eam', [
      'Cu',
    ]);
    const eam = createReferenceForceField(spec, tables);
    expect(eam.visible(-1)).toBe(false);
    expect(eam.visible(0)).toBe(true);
    const cu = jitteredFcc(4, [0, 0, 0, -1]);
    const eamParts = await runOnGrid(
      cu,
      [2, 2, 2],
      eam.cutoff,
      async (rank) => ownedResult(rank, await eam.compute(rank, request)),
      eam.visible,
    );
    for (const [k, e] of Object.entries(parityError(gather(cu.nAtoms, eamParts), eamReference(cu, tables))))
      expect(e, k).toBeLessThan(TOL);
  });

  it('says what is wrong: EAM without tables or with the wrong types, a ghost cutoff below the potential cutoff', async () => {
    const spec: EamSpec = { kind: 'eam', style: 'eam', file: 'Cu_u3.eam', elements: ['Cu', 'Cu'] };
    expect(() => createReferenceForceField(spec)).toThrow(/needs its tables/);
    const file = '/usr/share/lammps/potentials/Cu_u3.eam';
    const tables = eamTabulation([parseEamPotential(readFileSync(file, 'utf8'), spec.file, 'eam')], 'eam', [
      'Cu',
    ]);
    expect(() => createReferenceForceField(spec, tables)).toThrow(/1 types but the potential lists 2/);
    const ff = createReferenceForceField(MORSE);
    const batch = domainCaseBatch(DOMAIN_CASES[1]!);
    await expect(runOnGrid(batch, [2, 1, 1], 6, async (rank) => ff.compute(rank, request))).rejects.toThrow(
      /Morse cutoff 8.5 Å exceeds the ghost cutoff 6 Å/,
    );
  });
});
