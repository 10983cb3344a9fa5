/**
 * The WebGPU force field of a domain rank (gpuForces.ts) against the single-rank f64 reference at
 * the tolerances of DESIGN §3: Lennard-Jones (and Morse) and EAM on grids 2×1×1, 4×1×1 and 2×2×2, in-process
 * ranks in one page, each with its own engine on the page's device; then 100 NVE steps on 2×2×2
 * (re-neighbouring every step) against the same force field on 1×1×1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EamSpec, LennardJonesSpec, MorseSpec, PotentialSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import { tablesOf } from '../gpu/potentialTesting.ts';
import { argonFcc, expectClose, testDevice, withErrorScopes } from '../gpu/testing.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import { eamReference } from '../reference/eam.ts';
import type { ForceResult } from '../reference/forceResult.ts';
import { lennardJonesReference } from '../reference/lennardJones.ts';
import { morseReference } from '../reference/morse.ts';
import { buildFcc } from '../structures/index.ts';
import {
  DOMAIN_CASES,
  type DomainCase,
  domainCaseBatch,
  gather,
  jitteredFcc,
  ownedResult,
  runOnGrid,
} from './domain.testing.ts';
import { createGpuForceField, type GpuRankForceField } from './gpuForces.ts';
import type { LocalForces } from './localForces.ts';
import { velocityVerletStep } from './nve.ts';
import type { DomainRank } from './rank.ts';

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device.destroy());

const LJ: LennardJonesSpec = { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true };
const SKIN = 1;
const ALL = { energy: true, virial: true };
const POTENTIALS = '/usr/share/lammps/potentials';
const CU: EamSpec = { kind: 'eam', style: 'eam', file: `${POTENTIALS}/Cu_u3.eam`, elements: ['Cu'] };
const CUNI: EamSpec = {
  kind: 'eam',
  style: 'eam/alloy',
  file: `${POTENTIALS}/CuNi.eam.alloy`,
  elements: ['Cu', 'Ni', 'NULL'],
};

/**
 * DESIGN §3: energy rel 1e-5, forces 1e-4 eV/Å + 1e-3 rel, virial 5e-4 eV (per-atom energies and
 * virials too). The energy's scale is Σ|e_i|, not |E|: the random gases of DOMAIN_CASES cancel to
 * totals far below their per-atom energies (one to −1e-4 eV against Σ|e_i| = 1.07 eV), where no f32
 * engine holds 1e-5 of the total (f32 coordinates of 30 Å round by 2e-6 Å). For the crystals
 * |E| = Σ|e_i|.
 */
function expectParity(got: ForceResult, want: ForceResult, what: string): void {
  let sumAbs = 0;
  for (const e of want.energies) sumAbs += Math.abs(e);
  expectClose(got.energy, want.energy, 1e-5 * sumAbs, 0, `${what} energy`);
  expectClose(got.forces, want.forces, 1e-4, 1e-3, `${what} forces`);
  const eScale = Math.max(...want.energies.map(Math.abs));
  expectClose(got.energies, want.energies, 1e-5 * eScale, 1e-5, `${what} per-atom energy`);
  expectClose(got.virial, want.virial, 5e-4, 0, `${what} virial`);
  expectClose(got.atomVirial, want.atomVirial, 5e-4, 1e-3, `${what} per-atom virial`);
}

/** Runs `body` on every rank of the grid with a fresh GPU force field per rank (destroyed after). */
function onGpuGrid<T>(
  batch: Batch,
  dims: [number, number, number],
  potential: PotentialSpec,
  tables: EamTabulation | undefined,
  body: (rank: DomainRank, ff: GpuRankForceField) => Promise<T>,
  initialCapacity?: number,
): Promise<T[]> {
  const make = () =>
    createGpuForceField(device, potential, {
      skin: SKIN,
      ...(tables ? { tables } : {}),
      ...(initialCapacity !== undefined ? { initialCapacity } : {}),
    });
  const probe = make();
  probe.destroy();
  return runOnGrid(
    batch,
    dims,
    probe.cutoff + SKIN,
    async (rank) => {
      const ff = make();
      try {
        return await body(rank, ff);
      } finally {
        ff.destroy();
      }
    },
    probe.visible,
  );
}

/** Energies, forces and virials of the whole system from the GPU force fields of a grid. */
async function gpuForces(
  batch: Batch,
  dims: [number, number, number],
  potential: PotentialSpec,
  tables?: EamTabulation,
): Promise<ForceResult> {
  const parts = await onGpuGrid(batch, dims, potential, tables, async (rank, ff) =>
    ownedResult(rank, await ff.compute(rank, ALL)),
  );
  return gather(batch.nAtoms, parts);
}

const LJ_CASES = [
  '2×1×1',
  '4×1×1: ghosts forwarded over two hops',
  '2×2×2',
  '2×2×2 triclinic',
  '2×1×1, cell smaller than the cutoff (multi-hop)',
  '2×2×2 with an empty rank (7)',
  '4×1×1 with a rank (2) owning only NULL atoms',
  '2×1×1, NULL and real atoms straddling both boundaries',
].map((name) => DOMAIN_CASES.find((c) => c.name === name) as DomainCase);

describe('WebGPU rank force field: Lennard-Jones', () => {
  it.each(LJ_CASES)('$name: matches the single-rank f64 reference', async (c) => {
    const batch = domainCaseBatch(c);
    const got = await withErrorScopes(device, () => gpuForces(batch, c.dims, LJ));
    expectParity(got, lennardJonesReference(batch, LJ), c.name);
  });

  it('Morse on 2×2×2 (the same pair path) matches its reference', async () => {
    const morse: MorseSpec = {
      kind: 'morse',
      d0: 0.3429,
      alpha: 1.3588,
      r0: 2.866,
      cutoff: 8.5,
      shift: true,
    };
    const c = DOMAIN_CASES.find((d) => d.name === '2×2×2') as DomainCase;
    const batch = domainCaseBatch(c);
    const got = await withErrorScopes(device, () => gpuForces(batch, c.dims, morse));
    expectParity(got, morseReference(batch, morse), 'morse 2×2×2');
  });

  it('between re-neighbourings only positions go up: no reload, no forced list rebuild, right forces', async () => {
    const c = DOMAIN_CASES.find((d) => d.name === '2×2×2') as DomainCase;
    const batch = domainCaseBatch(c);
    /** Displacement of atom `id`, Å (|d| < skin/2: the GPU list stays valid). */
    const shift = (id: number, a: number) => 0.2 * Math.sin(1.7 * id + 2.3 * a);
    const moved = { ...batch, positions: batch.positions.map((x, k) => x + shift(Math.floor(k / 3), k % 3)) };
    const parts = await withErrorScopes(device, () =>
      onGpuGrid(batch, c.dims, LJ, undefined, async (rank, ff) => {
        const first = await ownedResult(rank, await ff.compute(rank, ALL));
        const builds = ff.rows.engine ? await ff.rows.engine.readRebuildCount() : 0;
        for (let i = 0; i < rank.nLocal; i++) {
          for (let a = 0; a < 3; a++) rank.x[3 * i + a]! += shift(rank.id[i]!, a);
        }
        await rank.forwardPositions();
        const second = await ownedResult(rank, await ff.compute(rank, ALL));
        const buildsAfter = ff.rows.engine ? await ff.rows.engine.readRebuildCount() : 0;
        return { first, second, builds, buildsAfter, reloads: ff.rows.reloads, created: ff.rows.created };
      }),
    );
    expectParity(
      gather(
        batch.nAtoms,
        parts.map((p) => p.first),
      ),
      lennardJonesReference(batch, LJ),
      'before',
    );
    expectParity(
      gather(
        batch.nAtoms,
        parts.map((p) => p.second),
      ),
      lennardJonesReference(moved, LJ),
      'after',
    );
    for (const p of parts) {
      expect(p.reloads).toBe(0);
      expect(p.created).toBe(1);
      expect(p.buildsAfter).toBe(p.builds);
    }
  });

  it('rows that outgrow the engine recreate it 1.5× larger; fewer rows reload it in place', async () => {
    const c = DOMAIN_CASES[1]!; // 2×1×1
    const small = domainCaseBatch({ ...c, n: 40 });
    const big = domainCaseBatch(c);
    const fields = [0, 1].map(() => createGpuForceField(device, LJ, { skin: SKIN, initialCapacity: 1 }));
    const evaluate = (batch: Batch) =>
      withErrorScopes(device, () =>
        runOnGrid(batch, c.dims, LJ.cutoff + SKIN, async (rank) => {
          const ff = fields[rank.rank]!;
          const result = await ownedResult(rank, await ff.compute(rank, ALL));
          const { capacity, created, reloads } = ff.rows;
          return { result, nAll: rank.nAll, capacity, created, reloads };
        }),
      );
    const check = async (batch: Batch, what: string) => {
      const parts = await evaluate(batch);
      const got = gather(
        batch.nAtoms,
        parts.map((p) => p.result),
      );
      expectParity(got, lennardJonesReference(batch, LJ), what);
      return parts;
    };
    const first = await check(small, 'small');
    for (const p of first) expect([p.capacity, p.created, p.reloads]).toEqual([p.nAll, 1, 0]);
    const grown = await check(big, 'grown');
    for (const [r, p] of grown.entries()) {
      expect(p.nAll).toBeGreaterThan(first[r]!.capacity);
      expect([p.capacity, p.created, p.reloads]).toEqual([Math.max(64, Math.ceil(1.5 * p.nAll)), 2, 0]);
    }
    const again = await check(small, 'small again');
    for (const [r, p] of again.entries()) {
      expect([p.capacity, p.created, p.reloads]).toEqual([grown[r]!.capacity, 2, 1]);
    }
    for (const ff of fields) ff.destroy();
  });

  it('says what is wrong: a ghost cutoff below the cutoff, EAM without tables, a GNN without its model', async () => {
    expect(() => createGpuForceField(device, { ...CU, elements: ['Cu'] }, { skin: SKIN })).toThrow(
      /needs its tables/,
    );
    expect(() =>
      createGpuForceField(device, { kind: 'gnn', model: 'x', elements: ['Cu'] }, { skin: SKIN }),
    ).toThrow(/needs its model/);
    const batch = domainCaseBatch(DOMAIN_CASES[1]!);
    const ff = createGpuForceField(device, LJ, { skin: SKIN });
    await expect(runOnGrid(batch, [2, 1, 1], 6, (rank) => ff.compute(rank, ALL))).rejects.toThrow(
      /cutoff 8.5 Å exceeds the ghost cutoff 6 Å/,
    );
    ff.destroy();
  });
});

const EAM_CASES: {
  name: string;
  spec: EamSpec;
  dims: [number, number, number];
  types: number[];
  pbc?: [boolean, boolean, boolean];
}[] = [
  { name: 'Cu funcfl, 2×1×1, NULL atoms', spec: CU, dims: [2, 1, 1], types: [0, 0, 0, -1] },
  { name: 'Cu funcfl, 4×1×1 (3.6 Å boxes, multi-hop)', spec: CU, dims: [4, 1, 1], types: [0, 0, -1] },
  { name: 'Cu funcfl, 2×2×2', spec: CU, dims: [2, 2, 2], types: [0, 0, 0, -1] },
  {
    name: 'Cu funcfl, 2×2×2, z open',
    spec: CU,
    dims: [2, 2, 2],
    types: [0, 0, -1],
    pbc: [true, true, false],
  },
  { name: 'CuNi setfl, 2×2×2, a NULL element', spec: CUNI, dims: [2, 2, 2], types: [0, 1, 2, -1, 0] },
];

describe('WebGPU rank force field: EAM (F′ exchanged between the density and force passes)', () => {
  it.each(EAM_CASES)('$name: matches the single-rank f64 reference', async (c) => {
    const tables = (await tablesOf(c.spec))!;
    const batch = jitteredFcc(4, c.types, undefined, c.pbc);
    const got = await withErrorScopes(device, () => gpuForces(batch, c.dims, c.spec, tables));
    expectParity(got, eamReference(batch, tables), c.name);
  });

  it('without the forward exchange of F′ the forces are wrong', async () => {
    const tables = (await tablesOf(CU))!;
    const batch = jitteredFcc(4, [0]);
    const parts = await onGpuGrid(batch, [2, 2, 2], CU, tables, async (rank, ff) => {
      rank.forward = async () => {};
      return ownedResult(rank, await ff.compute(rank, ALL));
    });
    const got = gather(batch.nAtoms, parts);
    const want = eamReference(batch, tables);
    let worst = 0;
    for (let k = 0; k < want.forces.length; k++)
      worst = Math.max(worst, Math.abs(got.forces[k]! - want.forces[k]!));
    expect(worst).toBeGreaterThan(1e-2);
  });
});

/** NVE cases: argon at 300 K (LJ) and copper at 1,200 K (EAM, two readbacks and an F′ exchange per step). */
const NVE_CASES: { name: string; potential: PotentialSpec; batch: () => Batch; dt: number }[] = [
  { name: 'LJ argon', potential: LJ, batch: () => argonFcc(3, 0.05, 300, 5), dt: 5 },
  {
    name: 'EAM copper',
    potential: CU,
    batch: () =>
      buildFcc({
        kind: 'fcc',
        element: 'Cu',
        mass: 63.546,
        latticeConstant: 3.615,
        repeat: [4, 4, 4],
        voidRadius: 0,
        temperature: 1200,
        jitter: 0.05,
        seed: 5,
      }),
    dt: 2,
  },
];

describe('WebGPU rank force field: dynamics', () => {
  it.each(NVE_CASES)(
    '$name: 100 NVE steps on 2×2×2 (re-neighbouring every step) equal 1×1×1 within 1e-4 Å',
    async (c) => {
      const batch = c.batch();
      const tables = await tablesOf(c.potential);
      const dt = c.dt;
      const steps = 100;
      const run = (dims: [number, number, number], every: number, initialCapacity?: number) =>
        onGpuGrid(
          batch,
          dims,
          c.potential,
          tables,
          async (rank, ff) => {
            const force = (r: DomainRank) => ff.compute(r, { energy: false, virial: false });
            let f: LocalForces = await force(rank);
            for (let s = 1; s <= steps; s++)
              f = await velocityVerletStep(rank, f, force, dt, s % every === 0);
            return {
              ids: rank.id.slice(0, rank.nLocal),
              x: rank.unwrappedPositions(),
              reloads: ff.rows.reloads,
              created: ff.rows.created,
            };
          },
          initialCapacity,
        );
      const wide = await withErrorScopes(device, () => run([2, 2, 2], 1));
      const single = await withErrorScopes(device, () => run([1, 1, 1], 10));
      const byId = (parts: { ids: Int32Array; x: Float64Array }[]) => {
        const out = new Float64Array(3 * batch.nAtoms);
        for (const p of parts) {
          p.ids.forEach((id, k) => {
            out.set(p.x.subarray(3 * k, 3 * k + 3), 3 * id);
          });
        }
        return out;
      };
      const a = byId(wide);
      const b = byId(single);
      expectClose(a, b, 1e-4, 0, 'positions after 100 steps, 2×2×2 vs 1×1×1');
      // The atoms moved: the comparison is not between two copies of the start.
      let moved = 0;
      for (let k = 0; k < a.length; k++) moved = Math.max(moved, Math.abs(a[k]! - batch.positions[k]!));
      expect(moved).toBeGreaterThan(0.1);
      // 1×1×1 took new rows only at its 10 re-neighbourings (positions only in between).
      expect(single[0]!.reloads + single[0]!.created).toBe(steps / 10 + 1);
      // 2×2×2 re-neighboured at every step: new rows at every compute, into the same engine unless
      // they outgrew it.
      for (const p of wide) expect(p.reloads + p.created).toBe(steps + 1);
    },
  );
});
