/**
 * EAM parity of the decomposition (density → forward F' → forces) with the single-rank f64
 * reference, on LAMMPS's own potential files (Debian lammps-data, as reference/lammpsParity.test.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEamPotential } from '../../io/lammpsPotential.ts';
import { eamSplines } from '../potentials/eamSpline.ts';
import { eamTabulation } from '../potentials/eamTabulation.ts';
import { eamReference } from '../reference/eam.ts';
import { gather, jitteredFcc, ownedResult, parityError, runOnGrid } from './domain.testing.ts';
import { eamDomain, eamVisibility } from './eam.ts';

const DIR = '/usr/share/lammps/potentials';
const cuNi = eamSplines(
  eamTabulation(
    [parseEamPotential(readFileSync(`${DIR}/CuNi.eam.alloy`, 'utf8'), 'CuNi.eam.alloy', 'eam/alloy')],
    'eam/alloy',
    ['Cu', 'Ni', 'NULL'],
  ),
);
const cu = eamSplines(
  eamTabulation([parseEamPotential(readFileSync(`${DIR}/Cu_u3.eam`, 'utf8'), 'Cu_u3.eam', 'eam')], 'eam', [
    'Cu',
  ]),
);

const CASES = [
  {
    name: 'CuNi setfl, 2×1×1, NULL atoms and a NULL element',
    dims: [2, 1, 1],
    sp: cuNi,
    types: [0, 1, 0, 1, -1, 2],
  },
  {
    name: 'CuNi setfl, 4×1×1 (multi-hop: 3.6 Å boxes, 5.5 Å cutoff)',
    dims: [4, 1, 1],
    sp: cuNi,
    types: [0, 1, 1, -1],
  },
  { name: 'CuNi setfl, 2×2×2', dims: [2, 2, 2], sp: cuNi, types: [0, 1, 2, 0, 1] },
  {
    name: 'Cu funcfl, 2×2×2, z open',
    dims: [2, 2, 2],
    sp: cu,
    types: [0, 0, 0, -1],
    pbc: [true, true, false],
  },
  {
    name: 'Cu funcfl, 2×1×2 sheared (triclinic) cell',
    dims: [2, 1, 2],
    sp: cu,
    types: [0, 0, -1],
    cell: [14.4, 0, 0, 1.8, 14.4, 0, -1.2, 0.9, 14.4],
  },
] as const;

describe('decomposition: EAM parity with the single-rank f64 reference', () => {
  it.each(CASES)('$name', async (c) => {
    const batch = jitteredFcc(
      4,
      [...c.types],
      'cell' in c ? [...c.cell] : undefined,
      'pbc' in c ? [...c.pbc] : undefined,
    );
    const want = eamReference(batch, c.sp);
    const parts = await runOnGrid(
      batch,
      [...c.dims],
      c.sp.cutoff,
      async (rank) => ownedResult(rank, await eamDomain(rank, c.sp)),
      eamVisibility(c.sp),
    );
    const err = parityError(gather(batch.nAtoms, parts), want);
    for (const [k, e] of Object.entries(err)) expect(e, k).toBeLessThan(1e-10);
  });

  it('without the forward exchange of F′ the forces are wrong (the exchange is what makes parity)', async () => {
    const batch = jitteredFcc(4, [0, 1]);
    const want = eamReference(batch, cuNi);
    const parts = await runOnGrid(
      batch,
      [2, 2, 2],
      cuNi.cutoff,
      async (rank) => {
        // Forward a stale F′ (zeros) by replacing the rank's forward with a no-op for this call.
        const forward = rank.forward.bind(rank);
        rank.forward = async () => {};
        const f = await eamDomain(rank, cuNi);
        rank.forward = forward;
        return ownedResult(rank, f);
      },
      eamVisibility(cuNi),
    );
    const err = parityError(gather(batch.nAtoms, parts), want);
    expect(err.energy).toBeLessThan(1e-10);
    expect(err.forces).toBeGreaterThan(1e-3);
  });
});
