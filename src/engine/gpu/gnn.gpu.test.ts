/**
 * The GNN kernels (kernels/gnn/) on real WebGPU against the f64 reference (src/engine/reference/gnn.ts)
 * and the PyTorch fixtures (src/engine/reference/fixtures/gnn/), at the f32 tolerances of DESIGN §3.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type GnnModel, parseGnnWeights } from '../../io/gnnWeights.ts';
import type { GnnSpec } from '../../io/spec.ts';
import { StageSpec } from '../../io/spec.ts';
import type { AtomState, SystemStats } from '../api.ts';
import type { Batch } from '../batch.ts';
import configurationsText from '../reference/fixtures/gnn/configurations.json?raw';
import configText from '../reference/fixtures/gnn/random-cuag.json?raw';
import tensorsUrl from '../reference/fixtures/gnn/random-cuag.safetensors?url';
import { type GnnFixture, gnnFixtureBatch, randomGnnModel, testGnnConfig } from '../reference/gnn.testing.ts';
import { gnnReference } from '../reference/gnn.ts';
import { buildFcc, concatenateBatches, mulberry32 } from '../structures/index.ts';
import { createGpuEngine, type WebGpuEngine } from './engine.ts';
import { type GpuGnn, GpuGnnSlots } from './gnn.ts';
import { GpuGnnPairs } from './gnnPairs.ts';
import { expectMatchesReference } from './potentialTesting.ts';
import { expectClose, testDevice, withErrorScopes } from './testing.ts';

const fixtures = (JSON.parse(configurationsText) as { configurations: GnnFixture[] }).configurations;
const SPEC: GnnSpec = { kind: 'gnn', model: 'random-cuag', elements: ['Cu', 'Ag'] };
const MASSES = [63.546, 107.868];

let device: GPUDevice;
let model: GnnModel;
beforeAll(async () => {
  device = await testDevice();
  const tensors = new Uint8Array(await (await fetch(tensorsUrl)).arrayBuffer());
  model = parseGnnWeights(configText, tensors, {
    config: 'random-cuag.json',
    tensors: 'random-cuag.safetensors',
  });
});
afterAll(() => device.destroy());

/** Cu/Ag fcc (a = 3.7 Å, repeat³ cells), jittered, half the atoms Ag at random; `nulls` atoms NULL. */
function alloyCrystal(repeat: number, seed: number, nulls = 0): Batch {
  const b = buildFcc({
    kind: 'fcc',
    element: 'Cu',
    mass: MASSES[0]!,
    latticeConstant: 3.7,
    repeat: [repeat, repeat, repeat],
    voidRadius: 0,
    temperature: 0,
    jitter: 0.1,
    seed,
  });
  const random = mulberry32(seed);
  for (let i = 0; i < b.nAtoms; i++) {
    const t = random() < 0.5 ? 1 : 0;
    b.types[i] = i < nulls ? -1 : t;
    b.masses[i] = MASSES[t]!;
  }
  return b;
}

/** The engine's GNN potential, for its status (test-only access to a private field). */
function gnnOf(engine: WebGpuEngine): GpuGnn {
  return (engine as unknown as { potential: GpuGnn }).potential;
}

async function evaluate(
  batch: Batch,
  m: GnnModel = model,
  skin = 0.5,
): Promise<{ engine: WebGpuEngine; atoms: AtomState; stats: SystemStats }> {
  const engine = await createGpuEngine(device, batch, SPEC, { skin, gnnModel: m });
  engine.writeStatus(new Int32Array(batch.nSystems));
  const encoder = device.createCommandEncoder({ label: 'gnn evaluate' });
  engine.encodeCompute(encoder);
  engine.encodeStats(encoder);
  device.queue.submit([encoder.finish()]);
  const stats = await engine.readStats();
  const atoms = await engine.readAtoms();
  return { engine, atoms, stats };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]! - b[k]!));
  return m;
}

const isNull = (batch: Batch) => (i: number) => batch.types[i] === -1;

describe('GNN on the GPU vs the f64 reference and the PyTorch fixtures', () => {
  for (const [k, f] of fixtures.entries()) {
    test(`fixture ${k}: ${f.name}`, async () => {
      const batch = gnnFixtureBatch(f, MASSES);
      await withErrorScopes(device, async () => {
        const { engine, atoms, stats } = await evaluate(batch);
        const ref = gnnReference(batch, model);
        expectMatchesReference(atoms, stats, ref, isNull(batch), f.name);
        // Directly against PyTorch (f64) at the same tolerances.
        expectClose(stats.potentialEnergy, [f.energy], 0, 1e-5, `${f.name} energy vs PyTorch`);
        expectClose(atoms.forces, f.forces, 1e-4, 1e-3, `${f.name} forces vs PyTorch`);
        expectClose(stats.virial, f.virial, 5e-4, 0, `${f.name} virial vs PyTorch`);
        expectClose(atoms.virials ?? [], f.atomVirial, 5e-4, 1e-3, `${f.name} per-atom virial vs PyTorch`);
        const status = await gnnOf(engine).readStatus();
        expect(status).toEqual({ maxNeighbors: ref.maxNeighbors, truncatedAtoms: 0, missingReverse: 0 });
        console.info(
          `gnn ${f.name}: |ΔE| ${Math.abs(stats.potentialEnergy[0]! - ref.energy[0]!).toExponential(2)} eV, ` +
            `max |ΔF| ${maxAbsDiff(atoms.forces, ref.forces).toExponential(2)} eV/Å, ` +
            `max |ΔW| ${maxAbsDiff(stats.virial, ref.virial).toExponential(2)} eV, ` +
            `max |ΔW_i| ${maxAbsDiff(atoms.virials ?? [], ref.atomVirial).toExponential(2)} eV`,
        );
        engine.destroy();
      });
    });
  }

  test('a batch of a Cu/Ag crystal with NULL atoms, the triclinic small cell and the cluster', async () => {
    const batch = concatenateBatches([
      alloyCrystal(2, 7, 3),
      ...fixtures.slice(1).map((f) => gnnFixtureBatch(f, MASSES)),
    ]);
    await withErrorScopes(device, async () => {
      const { engine, atoms, stats } = await evaluate(batch);
      const ref = gnnReference(batch, model);
      expect(ref.truncatedAtoms).toBe(0);
      expectMatchesReference(atoms, stats, ref, isNull(batch), 'batch of 3');
      engine.destroy();
    });
  });

  test('the nearest-sel cap matches the reference and is reported', async () => {
    const capped: GnnModel = { ...model, config: { ...model.config, sel: 10 } };
    const batch = alloyCrystal(2, 11);
    const ref = gnnReference(batch, capped);
    expect(ref.truncatedAtoms).toBeGreaterThan(0);
    await withErrorScopes(device, async () => {
      const { engine, atoms, stats } = await evaluate(batch, capped);
      expectMatchesReference(atoms, stats, ref, isNull(batch), 'sel 10');
      const status = await gnnOf(engine).readStatus();
      expect(status).toEqual({
        maxNeighbors: ref.maxNeighbors,
        truncatedAtoms: ref.truncatedAtoms,
        missingReverse: 0,
      });
      engine.destroy();
    });
  });

  test('both GPU paths: the pair path (one hidden layer) and the slot path (two) match the reference', async () => {
    const batch = concatenateBatches([alloyCrystal(2, 13, 2), gnnFixtureBatch(fixtures[1]!, MASSES)]);
    await withErrorScopes(device, async () => {
      const { engine, atoms, stats } = await evaluate(batch);
      expect(gnnOf(engine)).toBeInstanceOf(GpuGnnPairs);
      expectMatchesReference(atoms, stats, gnnReference(batch, model), isNull(batch), 'pair path');
      engine.destroy();
      const deep = randomGnnModel(testGnnConfig({ hidden: [6, 5] }), 4);
      const slots = await evaluate(batch, deep);
      expect(gnnOf(slots.engine)).toBeInstanceOf(GpuGnnSlots);
      expectMatchesReference(slots.atoms, slots.stats, gnnReference(batch, deep), isNull(batch), 'slot path');
      slots.engine.destroy();
    });
  });

  test('elements the model lacks and types beyond the map are refused with clear errors', async () => {
    const batch = gnnFixtureBatch(fixtures[2]!, MASSES);
    await expect(
      createGpuEngine(device, batch, { ...SPEC, elements: ['Cu', 'Ni'] }, { skin: 0.5, gnnModel: model }),
    ).rejects.toThrow(/no parameters for Ni; it knows Cu, Ag/);
    batch.types[0] = 2;
    await expect(createGpuEngine(device, batch, SPEC, { skin: 0.5, gnnModel: model })).rejects.toThrow(
      /atom 0 has type 2/,
    );
    await expect(
      createGpuEngine(device, gnnFixtureBatch(fixtures[2]!, MASSES), SPEC, { skin: 0.5 }),
    ).rejects.toThrow(/needs its model/);
  });

  test('200 NVE steps conserve energy', async () => {
    const batch = alloyCrystal(2, 3);
    const random = mulberry32(5);
    for (let k = 0; k < batch.velocities.length; k++) batch.velocities[k] = 0.004 * (random() - 0.5);
    await withErrorScopes(device, async () => {
      const { engine, stats: first } = await evaluate(batch);
      const total = (s: SystemStats) => s.potentialEnergy[0]! + s.kineticEnergy[0]!;
      const e0 = total(first);
      const nve = engine.createDynamics(StageSpec.parse({ kind: 'nve', steps: 200, dt: 1 }));
      let drift = 0;
      for (let done = 0; done < 200; done += 25) {
        const encoder = device.createCommandEncoder({ label: 'gnn nve' });
        for (let k = 0; k < 25; k++) {
          nve.encodePreUpdate(encoder, 0);
          engine.encodeCompute(encoder);
          nve.encodePostUpdate(encoder, 0);
        }
        engine.encodeStats(encoder);
        device.queue.submit([encoder.finish()]);
        drift = Math.max(drift, Math.abs(total(await engine.readStats()) - e0));
      }
      const last = await engine.readStats();
      console.info(
        `gnn NVE: ${batch.nAtoms} atoms, 200 × 1 fs, KE ${last.kineticEnergy[0]!.toFixed(4)} eV, ` +
          `max |E − E0| ${drift.toExponential(2)} eV (${(drift / batch.nAtoms).toExponential(2)} eV/atom)`,
      );
      expect(last.kineticEnergy[0]).toBeGreaterThan(1e-3);
      expect(drift / batch.nAtoms).toBeLessThan(1e-4);
      nve.destroy();
      engine.destroy();
    });
  });
});
