import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type EamSpec, FccSystemSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import { eamSplines, rKnot, splineValue } from '../potentials/eamSpline.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import { eamReference } from '../reference/eam.ts';
import { buildFcc } from '../structures/index.ts';
import { parityCases } from '../structures/parityCases.ts';
import {
  evaluateOnGpu,
  expectMatchesReference,
  expectNveMatchesReference,
  nullAtoms,
  tablesOf,
  withFileMasses,
} from './potentialTesting.ts';
import { testDevice, withErrorScopes } from './testing.ts';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device.destroy());

/** Funcfl Cu_u3.eam, setfl CuNi.eam.alloy (two elements), eam/fs AlFe_mm.eam.fs. */
const cases = parityCases().filter((c) => c.potential.kind === 'eam');

/** ρ at atom i of a one-type, one-system, fully periodic orthorhombic batch (minimum image), f64. */
function hostDensity(batch: Batch, i: number, tables: EamTabulation): number {
  const sp = eamSplines(tables);
  const knot = new Float64Array(2);
  let rho = 0;
  for (let j = 0; j < batch.nAtoms; j++) {
    let r2 = 0;
    for (let a = 0; a < 3; a++) {
      const l = batch.cells[4 * a]!;
      let d = batch.positions[3 * i + a]! - batch.positions[3 * j + a]!;
      d -= l * Math.round(d / l);
      r2 += d * d;
    }
    if (j === i || r2 >= sp.cutoff ** 2) continue;
    rKnot(sp, Math.sqrt(r2), knot);
    rho += splineValue(sp.rhor, sp.type2rhor[0]! * 7 * sp.nr + knot[0]!, knot[1]!);
  }
  return rho;
}

function eamOf(spec: unknown): EamSpec {
  const p = spec as EamSpec;
  if (p.kind !== 'eam') throw new Error('expected an EAM case');
  return p;
}

describe('EAM on the GPU vs the f64 reference', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s: run 0', async (_name, c) => {
    const spec = eamOf(c.potential);
    const tables = (await tablesOf(spec))!;
    const batch = withFileMasses(c.build(), tables);
    await withErrorScopes(device, async () => {
      const { engine, atoms, stats } = await evaluateOnGpu(device, batch, spec, tables);
      expectMatchesReference(atoms, stats, eamReference(batch, tables), nullAtoms(batch, tables), c.name);
      engine.destroy();
    });
  });

  test.each(cases.filter((c) => c.structure === 'crystal').map((c) => [c.name, c] as const))(
    '%s: 100-step NVE matches velocity Verlet in f64',
    async (_name, c) => {
      const spec = eamOf(c.potential);
      const tables = (await tablesOf(spec))!;
      const batch = withFileMasses(c.build(), tables);
      await withErrorScopes(device, () =>
        expectNveMatchesReference(
          device,
          batch,
          spec,
          tables,
          c.material.dt,
          (b) => eamReference(b, tables),
          c.name,
          0.3,
        ),
      );
    },
  );

  test('densities above the table (compressed crystal): F continues linearly, forces use F′ at the end', async () => {
    const c = cases.find((k) => k.name === 'eam-funcfl-Cu_u3/crystal')!;
    const spec = eamOf(c.potential);
    const tables = (await tablesOf(spec))!;
    // fcc at a = 2.3 Å (nearest neighbors at 1.63 Å instead of 2.56 Å), 6³ cells.
    const batch = buildFcc(
      FccSystemSpec.parse({
        kind: 'fcc',
        element: 'Cu',
        mass: 63.55,
        latticeConstant: 2.3,
        repeat: [6, 6, 6],
        jitter: 0.05,
        seed: 4,
      }),
    );
    expect(hostDensity(batch, 0, tables)).toBeGreaterThan(1.2 * tables.rhomax);
    const ref = eamReference(batch, tables);
    await withErrorScopes(device, async () => {
      const { engine, atoms, stats } = await evaluateOnGpu(device, batch, spec, tables);
      // The virial is ~4e4 eV here: 5e-4 eV would ask f32 for 1e-8 relative; 1e-6 relative instead.
      expectMatchesReference(atoms, stats, ref, nullAtoms(batch, tables), 'compressed Cu', 1e-6);
      engine.destroy();
    });
  });

  test('an atom type the tables lack is refused with a clear error', async () => {
    const c = cases.find((k) => k.name === 'eam-alloy-CuNi/crystal')!;
    const spec = eamOf(c.potential);
    const tables = (await tablesOf(spec))!;
    const batch = withFileMasses(c.build(), tables);
    batch.types[5] = 2;
    await expect(evaluateOnGpu(device, batch, spec, tables)).rejects.toThrow(/type 2.*2 types/);
  });
});
