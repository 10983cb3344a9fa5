/**
 * The GNN on the ranks of a decomposition (per-layer forward exchange of node features, reverse
 * exchange of their gradients, of forces and of per-atom virials) against the single-rank f64
 * reference (reference/gnn.ts), in f64: the grids and edge cases of DESIGN §5 and issue 6, and the
 * failure the backward exchange guards against.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGnnWeights } from '../../io/gnnWeights.ts';
import { type Batch, cloneBatch } from '../batch.ts';
import { nveStep } from '../reference/dynamics.ts';
import type { ForceResult } from '../reference/forceResult.ts';
import { randomGnnModel, seededRandom, testGnnConfig } from '../reference/gnn.testing.ts';
import { gnnReference } from '../reference/gnn.ts';
import { normal } from '../structures/random.ts';
import { ACCELERATION_PER_FORCE_OVER_MASS, BOLTZMANN_EV_PER_K } from '../units.ts';
import { gather, ownedResult, parityError, runOnGrid } from './domain.testing.ts';
import { gnnDomain, gnnRankForceField, gnnVisibility } from './gnn.ts';
import type { LocalForces } from './localForces.ts';
import { velocityVerletStep } from './nve.ts';
import type { DomainRank } from './rank.ts';
import { createReferenceForceField } from './referenceForces.ts';

/** Cu/Ag random model: rcut 4 Å, nDim 6, eDim 4, 2 layers, sel 40. */
const model = randomGnnModel(testGnnConfig(), 3);
/** A three-layer variant (two reverse exchanges of feature gradients between layers). */
const model3 = randomGnnModel(testGnnConfig({ nLayers: 3 }), 4);

/**
 * fcc a = 3.6 Å, k×k×k cells, positions jittered by ±0.15 Å; `typeOf(i, x)` gives each atom's type
 * from its index and position (Å).
 */
function fcc(
  k: [number, number, number],
  typeOf: (i: number, x: number[]) => number,
  options: { cell?: number[]; pbc?: [boolean, boolean, boolean]; seed?: number } = {},
): Batch {
  const a = 3.6;
  const rnd = seededRandom(options.seed ?? 7);
  const basis = [
    [0, 0, 0],
    [0.5, 0.5, 0],
    [0.5, 0, 0.5],
    [0, 0.5, 0.5],
  ];
  const pos: number[] = [];
  for (let x = 0; x < k[0]; x++)
    for (let y = 0; y < k[1]; y++)
      for (let z = 0; z < k[2]; z++)
        for (const b of basis)
          pos.push(...[x + b[0]!, y + b[1]!, z + b[2]!].map((u) => u * a + 0.3 * (rnd() - 0.5)));
  const n = pos.length / 3;
  const cell = options.cell ?? [k[0] * a, 0, 0, 0, k[1] * a, 0, 0, 0, k[2] * a];
  const pbc = options.pbc ?? [true, true, true];
  return {
    nAtoms: n,
    nSystems: 1,
    atomsPtr: Int32Array.of(0, n),
    positions: Float64Array.from(pos),
    velocities: new Float64Array(3 * n),
    masses: new Float64Array(n).fill(63.546),
    types: Int32Array.from({ length: n }, (_, i) => typeOf(i, pos.slice(3 * i, 3 * i + 3))),
    atomicNumbers: new Int32Array(n),
    cells: Float64Array.from(cell),
    pbc: Uint8Array.from(pbc, (p) => (p ? 1 : 0)),
    systemIds: Int32Array.of(0),
  };
}

/** Types drawn from `types` by a seeded generator. */
function drawn(types: number[], seed = 5): (i: number) => number {
  const rnd = seededRandom(seed);
  return () => types[Math.floor(rnd() * types.length)]!;
}

/** Runs the rank GNN on a grid and gathers the owned results by global id. */
async function onGrid(
  batch: Batch,
  dims: [number, number, number],
  m = model,
  options: Parameters<typeof gnnDomain>[3] = {},
  skin = 0.5,
) {
  const perRank: { owned: number; ghosts: number; centres: number; nullOwned: number }[] = [];
  const parts = await runOnGrid(
    batch,
    dims,
    m.config.rcut + skin,
    async (rank) => {
      const f = await gnnDomain(rank, m, { energy: true, virial: true }, options);
      let nullOwned = 0;
      for (let i = 0; i < rank.nLocal; i++) if (rank.type[i] === -1) nullOwned++;
      perRank[rank.rank] = {
        owned: rank.nLocal,
        ghosts: rank.nGhost,
        centres: rank.nLocal - nullOwned,
        nullOwned,
      };
      for (let k = 3 * rank.nLocal; k < 3 * rank.nAll; k++) expect(f.forces[k]).toBe(0);
      return ownedResult(rank, f);
    },
    gnnVisibility(m, options.typeMap),
  );
  return { result: gather(batch.nAtoms, parts), perRank };
}

function expectParity(got: ReturnType<typeof gather>, want: ReturnType<typeof gnnReference>): void {
  const err = parityError(got, want);
  for (const [k, e] of Object.entries(err)) expect(e, k).toBeLessThan(1e-10);
  // The comparison means something: forces are not all zero.
  expect(Math.max(...want.forces.map(Math.abs))).toBeGreaterThan(1e-2);
}

describe('decomposition: GNN parity with the single-rank f64 reference', () => {
  it('1×1×1 (self-swaps build the periodic images) equals the plain-gather reference', async () => {
    const batch = fcc([2, 2, 2], drawn([0, 1]));
    const want = gnnReference(batch, model);
    const { result } = await onGrid(batch, [1, 1, 1]);
    expectParity(result, want);
  });

  it.each([
    { name: '2×1×1, NULL atoms in the send lists', dims: [2, 1, 1], k: [4, 3, 3], types: [0, 1, 0, -1] },
    {
      name: '4×1×1 (a chain of forwarded ghosts: 3.6 Å boxes, 4.5 Å ghost cutoff)',
      dims: [4, 1, 1],
      k: [4, 3, 3],
      types: [0, 1, 1, -1],
    },
    { name: '2×2×2', dims: [2, 2, 2], k: [4, 4, 4], types: [0, 1, -1, 0, 1] },
  ] as const)('$name', async (c) => {
    const batch = fcc([...c.k], drawn([...c.types]));
    const want = gnnReference(batch, model);
    const { result, perRank } = await onGrid(batch, [...c.dims]);
    expectParity(result, want);
    for (const r of perRank) expect(r.ghosts).toBeGreaterThan(0);
  });

  it('2×2×2 with empty ranks (atoms fill the lower half in z, vacuum above)', async () => {
    const batch = fcc([4, 4, 2], drawn([0, 1, -1, 1]), { cell: [14.4, 0, 0, 0, 14.4, 0, 0, 0, 20] });
    for (let i = 0; i < batch.nAtoms; i++) batch.positions[3 * i + 2]! += 0.5; // all below z = 10 Å
    const want = gnnReference(batch, model);
    const { result, perRank } = await onGrid(batch, [2, 2, 2]);
    expectParity(result, want);
    expect(perRank.filter((r) => r.owned === 0).length).toBe(4);
  });

  it('2×1×1 where one rank owns only NULL atoms, NULL atoms straddling the boundary', async () => {
    // x ≥ 7.2 Å: NULL, except the ones right at the boundaries (within 0.4 Å of x = 7.2 and 14.4),
    // which are NULL on both sides; the rank of the right half has no centre, only ghosts.
    const batch = fcc([4, 3, 3], (i, x) => ((x[0]! + 14.4) % 14.4 > 6.8 ? -1 : i % 3 === 0 ? 1 : 0));
    const want = gnnReference(batch, model);
    const { result, perRank } = await onGrid(batch, [2, 1, 1]);
    expectParity(result, want);
    expect(perRank[1]!.owned).toBeGreaterThan(0);
    expect(perRank[1]!.centres).toBe(0);
    expect(perRank[1]!.ghosts).toBeGreaterThan(0);
  });

  it('three layers on a sheared triclinic cell, 2×1×2, z open', async () => {
    const batch = fcc([4, 3, 4], drawn([0, 1, -1]), {
      cell: [14.4, 0, 0, 1.8, 10.8, 0, -1.2, 0.9, 14.4],
      pbc: [true, true, false],
    });
    const want = gnnReference(batch, model3);
    const { result } = await onGrid(batch, [2, 1, 2], model3);
    expectParity(result, want);
  });

  it('one layer (no reverse exchange of feature gradients, only of forces) on 4×1×1', async () => {
    const one = randomGnnModel(testGnnConfig({ nLayers: 1 }), 5);
    const batch = fcc([4, 3, 3], drawn([0, 1, -1]));
    const want = gnnReference(batch, one);
    const { result } = await onGrid(batch, [4, 1, 1], one);
    expectParity(result, want);
  });

  it('a neighbour cap (sel 14 < 18 neighbours) drops the same neighbours as the reference', async () => {
    const capped = randomGnnModel(testGnnConfig({ sel: 14 }), 3);
    const batch = fcc([4, 3, 3], drawn([0, 1]));
    const want = gnnReference(batch, capped);
    expect(want.truncatedAtoms).toBeGreaterThan(0);
    const { result } = await onGrid(batch, [2, 1, 1], capped);
    expectParity(result, want);
  });

  it('a structure → model type map: structure types [Ag, NULL, Cu] on 2×2×1', async () => {
    const typeMap = Int32Array.of(1, -1, 0);
    const batch = fcc([4, 4, 2], drawn([0, 1, 2]));
    const modelTypes = cloneBatch(batch);
    modelTypes.types = batch.types.map((t) => typeMap[t]!);
    const want = gnnReference(modelTypes, model);
    const { result } = await onGrid(batch, [2, 2, 1], model, { typeMap });
    expectParity(result, want);
  });

  it('the shipped copper model cu-mishin1 (rcut 5.5 Å) on 2×1×1 with NULL atoms', async () => {
    const dir = new URL('../../../public/models/', import.meta.url);
    const cu = parseGnnWeights(
      readFileSync(new URL('cu-mishin1.json', dir), 'utf8'),
      new Uint8Array(readFileSync(new URL('cu-mishin1.safetensors', dir))),
      { config: 'cu-mishin1.json', tensors: 'cu-mishin1.safetensors' },
    );
    const batch = fcc([3, 3, 3], (i) => (i % 17 === 5 ? -1 : 0));
    const want = gnnReference(batch, cu);
    const { result } = await onGrid(batch, [2, 1, 1], cu);
    expectParity(result, want);
  });

  it('without the backward exchanges forces and virial break (the energy does not)', async () => {
    const batch = fcc([4, 4, 4], drawn([0, 1]));
    const want = gnnReference(batch, model);
    const { result } = await onGrid(batch, [2, 2, 2], model, { backwardExchange: false });
    const err = parityError(result, want);
    expect(err.energy).toBeLessThan(1e-10);
    expect(err.energies).toBeLessThan(1e-10);
    expect(err.forces).toBeGreaterThan(0.1);
    expect(err.virial).toBeGreaterThan(0.01);
  });

  it('gnnRankForceField wraps the same computation and names its cutoff and visibility', async () => {
    const ff = gnnRankForceField(model, { typeMap: Int32Array.of(0, -1) });
    expect(ff.cutoff).toBe(4);
    expect(ff.visible(0)).toBe(true);
    expect(ff.visible(1)).toBe(false);
    expect(ff.visible(-1)).toBe(false);
    expect(() => ff.visible(2)).toThrow(/type 2, but the GNN potential maps 2 types/);
    expect(() => gnnRankForceField(model, { typeMap: Int32Array.of(5) })).toThrow(/model type 5/);
    const batch = fcc([2, 2, 2], drawn([0, 1]));
    const modelTypes = cloneBatch(batch);
    modelTypes.types = batch.types.map((t) => (t === 0 ? 0 : -1));
    const want = gnnReference(modelTypes, model);
    const parts = await runOnGrid(
      batch,
      [2, 1, 1],
      4.5,
      async (rank) => ownedResult(rank, await ff.compute(rank, { energy: true, virial: true })),
      ff.visible,
    );
    expectParity(gather(batch.nAtoms, parts), want);
  });

  it('createReferenceForceField builds it from a spec (elements → model types) and needs the model', async () => {
    const spec = { kind: 'gnn', model: 'random', elements: ['Ag', 'NULL', 'Cu'] } as const;
    expect(() => createReferenceForceField({ ...spec, elements: [...spec.elements] })).toThrow(
      /GNN potential needs its model \(parseGnnWeights of random\)/,
    );
    expect(() => createReferenceForceField({ ...spec, elements: ['Cu', 'Au'] }, undefined, model)).toThrow(
      /no parameters for Au/,
    );
    const ff = createReferenceForceField({ ...spec, elements: [...spec.elements] }, undefined, model);
    const batch = fcc([4, 3, 3], drawn([0, 1, 2]));
    const modelTypes = cloneBatch(batch);
    modelTypes.types = batch.types.map((t) => [1, -1, 0][t]!);
    const want = gnnReference(modelTypes, model);
    const parts = await runOnGrid(
      batch,
      [2, 1, 1],
      4.5,
      async (rank) => ownedResult(rank, await ff.compute(rank, { energy: true, virial: true })),
      ff.visible,
    );
    expectParity(gather(batch.nAtoms, parts), want);
  });

  it('refuses a ghost cutoff shorter than rcut', async () => {
    const batch = fcc([2, 2, 2], drawn([0, 1]));
    await expect(
      runOnGrid(batch, [1, 1, 1], 3.5, (rank) => gnnDomain(rank, model), gnnVisibility(model)),
    ).rejects.toThrow(/GNN cutoff 4 Å exceeds the ghost cutoff 3.5 Å/);
  });
});

describe('decomposition: GNN dynamics', () => {
  it('100 NVE steps re-neighbouring every step (atoms and NULL atoms migrate) equal the single-rank run', async () => {
    // Maxwell velocities at 600 K; NULL atoms run at ±0.05 Å/fs along x: 5 Å in 100 steps, across boxes.
    const batch = fcc([4, 3, 3], drawn([0, 1, 0, 1, -1], 9));
    const rnd = seededRandom(13);
    const sd = Math.sqrt((BOLTZMANN_EV_PER_K * 600 * ACCELERATION_PER_FORCE_OVER_MASS) / 63.546);
    for (let k = 0; k < 3 * batch.nAtoms; k++) batch.velocities[k] = sd * normal(rnd);
    for (let i = 0; i < batch.nAtoms; i++) {
      if (batch.types[i] === -1) batch.velocities[3 * i] = (i % 2 === 0 ? 1 : -1) * 0.05;
    }
    const dt = 1;
    const steps = 100;
    const ref = cloneBatch(batch);
    let f: ForceResult = gnnReference(ref, model);
    for (let s = 0; s < steps; s++) f = nveStep(ref, f, (b) => gnnReference(b, model), dt);
    const migrated = new Float64Array(2);
    const force = (rank: DomainRank): Promise<LocalForces> =>
      gnnDomain(rank, model, { energy: true, virial: false });
    const parts = await runOnGrid(
      batch,
      [4, 1, 1],
      model.config.rcut,
      async (rank) => {
        let lf = await force(rank);
        for (let s = 1; s <= steps; s++) {
          const before = new Set(rank.id.subarray(0, rank.nLocal));
          lf = await velocityVerletStep(rank, lf, force, dt, true);
          for (let i = 0; i < rank.nLocal; i++) {
            if (!before.has(rank.id[i]!)) migrated[rank.type[i] === -1 ? 1 : 0]!++;
          }
        }
        return { r: await ownedResult(rank, lf), u: rank.unwrappedPositions() };
      },
      gnnVisibility(model),
    );
    let err = 0;
    let seen = 0;
    for (const { r, u } of parts) {
      r.ids.forEach((id, k) => {
        seen++;
        for (let a = 0; a < 3; a++) err = Math.max(err, Math.abs(u[3 * k + a]! - ref.positions[3 * id + a]!));
      });
    }
    expect(seen).toBe(batch.nAtoms);
    expect(err).toBeLessThan(1e-9);
    const last = gather(
      batch.nAtoms,
      parts.map((p) => p.r),
    );
    expect(Math.abs(last.energy[0]! - f.energy[0]!)).toBeLessThan(1e-9 * Math.abs(f.energy[0]!));
    let fErr = 0;
    for (let k = 0; k < f.forces.length; k++) fErr = Math.max(fErr, Math.abs(last.forces[k]! - f.forces[k]!));
    expect(fErr).toBeLessThan(1e-8);
    expect(migrated[0]).toBeGreaterThan(5);
    expect(migrated[1]).toBeGreaterThan(5);
  });
});
