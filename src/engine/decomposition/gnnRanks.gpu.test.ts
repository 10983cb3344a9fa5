/**
 * The GNN on the ranks of a decomposition on real WebGPU (decomposition/gnnGpu.ts: the layers of
 * gpu/gnn.ts with a forward exchange of node features between them and a reverse exchange of their
 * gradients between the backward layers) against the single-rank f64 reference, at the f32
 * tolerances of DESIGN §3; and the failure the backward exchange guards against.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GnnSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import { cloneBatch } from '../batch.ts';
import { expectClose, testDevice } from '../gpu/testing.ts';
import { nveStep } from '../reference/dynamics.ts';
import type { ForceResult } from '../reference/forceResult.ts';
import { randomGnnModel, seededRandom, testGnnConfig } from '../reference/gnn.testing.ts';
import { gnnReference } from '../reference/gnn.ts';
import { gather, ownedResult, runOnGrid } from './domain.testing.ts';
import { createGpuForceField } from './gpuForces.ts';
import { velocityVerletStep } from './nve.ts';

/** Cu/Ag random models: rcut 4 Å, nDim 6, eDim 4, 1 to 3 layers, sel 40; forces of 0.3–1.2 eV/Å. */
const model2 = randomGnnModel(testGnnConfig(), 3, 2.6);
const model3 = randomGnnModel(testGnnConfig({ nLayers: 3 }), 4, 2.6);
const model1 = randomGnnModel(testGnnConfig({ nLayers: 1 }), 5, 2.6);
const SPEC: GnnSpec = { kind: 'gnn', model: 'random-cuag', elements: ['Cu', 'Ag'] };

let device: GPUDevice;
beforeAll(async () => {
  device = await testDevice();
});
afterAll(() => device.destroy());

/** fcc a = 3.6 Å, k cells per axis, jittered ±0.3 Å; types drawn from `types` (−1: NULL). */
function fcc(k: [number, number, number], types: number[], seed = 7): Batch {
  const a = 3.6;
  const rnd = seededRandom(seed);
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
          pos.push(...[x + b[0]!, y + b[1]!, z + b[2]!].map((u) => u * a + 0.6 * (rnd() - 0.5)));
  const n = pos.length / 3;
  return {
    nAtoms: n,
    nSystems: 1,
    atomsPtr: Int32Array.of(0, n),
    positions: Float64Array.from(pos),
    velocities: new Float64Array(3 * n),
    masses: new Float64Array(n).fill(63.546),
    types: Int32Array.from({ length: n }, () => types[Math.floor(rnd() * types.length)]!),
    atomicNumbers: new Int32Array(n),
    cells: Float64Array.from([k[0] * a, 0, 0, 0, k[1] * a, 0, 0, 0, k[2] * a]),
    pbc: Uint8Array.of(1, 1, 1),
    systemIds: Int32Array.of(0),
  };
}

/** One GPU force evaluation on every rank of the grid, gathered by global id. */
async function onGpuRanks(
  batch: Batch,
  dims: [number, number, number],
  model: typeof model2,
  backwardExchange = true,
) {
  const parts = await runOnGrid(batch, dims, model.config.rcut + 0.5, async (rank) => {
    const ff = createGpuForceField(device, SPEC, { skin: 0.5, gnnModel: model, backwardExchange });
    try {
      const f = await ff.compute(rank, { energy: true, virial: true });
      for (let k = 3 * rank.nLocal; k < 3 * rank.nAll; k++) expect(f.forces[k]).toBe(0);
      return await ownedResult(rank, f);
    } finally {
      ff.destroy();
    }
  });
  return gather(batch.nAtoms, parts);
}

describe('decomposition: GNN on WebGPU ranks vs the single-rank f64 reference', () => {
  it.each([
    { name: '2×1×1, 2 layers, NULL atoms', dims: [2, 1, 1], k: [4, 2, 2], model: model2 },
    { name: '2×2×2, 3 layers, NULL atoms', dims: [2, 2, 2], k: [2, 2, 2], model: model3 },
    { name: '4×1×1 (ghosts over two hops), 1 layer', dims: [4, 1, 1], k: [4, 2, 2], model: model1 },
  ] as const)('$name', async (c) => {
    const batch = fcc([...c.k], [0, 1, 0, 1, -1]);
    const want = gnnReference(batch, c.model);
    const got = await onGpuRanks(batch, [...c.dims], c.model);
    expectClose(got.forces, want.forces, 1e-4, 1e-3, 'forces');
    const eScale = Math.max(...want.energies.map(Math.abs));
    expectClose(got.energies, want.energies, 1e-5 * eScale, 1e-5, 'per-atom energies');
    expectClose(got.energy, want.energy, 0, 1e-5, 'energy');
    expectClose(got.virial, want.virial, 5e-4, 0, 'virial');
    expectClose(got.atomVirial, want.atomVirial, 5e-4, 1e-3, 'per-atom virials');
    // The comparison means something: forces 500× the tolerance and more.
    expect(Math.max(...want.forces.map(Math.abs))).toBeGreaterThan(0.05);
    for (let i = 0; i < batch.nAtoms; i++) {
      if (batch.types[i] !== -1) continue;
      expect([got.forces[3 * i], got.forces[3 * i + 1], got.forces[3 * i + 2], got.energies[i]]).toEqual([
        0, 0, 0, 0,
      ]);
    }
  });

  it('without the backward exchanges the forces are wrong (the energy is not)', async () => {
    const batch = fcc([4, 2, 2], [0, 1]);
    const want = gnnReference(batch, model2);
    const got = await onGpuRanks(batch, [2, 1, 1], model2, false);
    expectClose(got.energy, want.energy, 0, 1e-5, 'energy');
    let err = 0;
    let scale = 0;
    for (let k = 0; k < want.forces.length; k++) {
      err = Math.max(err, Math.abs(got.forces[k]! - want.forces[k]!));
      scale = Math.max(scale, Math.abs(want.forces[k]!));
    }
    expect(err / scale).toBeGreaterThan(0.1);
  });

  it('20 NVE steps re-neighbouring every step on 2×2×2 with four empty ranks follow the f64 run', async () => {
    // A slab in the lower half of z (vacuum above): ranks of the upper half own nothing and only
    // join the exchanges; the engines of the others are reused step after step.
    const batch = fcc([2, 2, 1], [0, 1, 0, 1, -1]);
    batch.cells[8] = 10;
    const rnd = seededRandom(21);
    for (let k = 0; k < 3 * batch.nAtoms; k++) batch.velocities[k] = 0.02 * (rnd() - 0.5);
    for (let i = 0; i < batch.nAtoms; i++) batch.positions[3 * i + 2]! += 0.6;
    const steps = 20;
    const dt = 1;
    const ref = cloneBatch(batch);
    let f: ForceResult = gnnReference(ref, model2);
    for (let s = 0; s < steps; s++) f = nveStep(ref, f, (b) => gnnReference(b, model2), dt);
    const idle: number[] = [];
    const parts = await runOnGrid(batch, [2, 2, 2], model2.config.rcut, async (rank) => {
      const ff = createGpuForceField(device, SPEC, { skin: 0.5, gnnModel: model2 });
      try {
        if (rank.nLocal === 0) idle.push(rank.rank);
        const force = (r: typeof rank) => ff.compute(r, { energy: true, virial: false });
        let lf = await force(rank);
        for (let s = 1; s <= steps; s++) lf = await velocityVerletStep(rank, lf, force, dt, true);
        return { ids: rank.id.slice(0, rank.nLocal), x: rank.unwrappedPositions() };
      } finally {
        ff.destroy();
      }
    });
    expect(idle.length).toBe(4);
    let err = 0;
    let moved = 0;
    let seen = 0;
    for (const p of parts) {
      p.ids.forEach((id, k) => {
        seen++;
        for (let a = 0; a < 3; a++) {
          err = Math.max(err, Math.abs(p.x[3 * k + a]! - ref.positions[3 * id + a]!));
          moved = Math.max(moved, Math.abs(ref.positions[3 * id + a]! - batch.positions[3 * id + a]!));
        }
      });
    }
    expect(seen).toBe(batch.nAtoms);
    expect(moved).toBeGreaterThan(0.05);
    expect(err).toBeLessThan(1e-3);
  });
});
