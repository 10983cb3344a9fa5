/**
 * Energy conservation of the shipped copper GNN (public/models/cu-mishin1.*) in NVE on real WebGPU,
 * CI-sized (software WebGPU is slow with this model: 108 atoms × 100 steps did not finish in 10 min on
 * 2 busy cores): 32 atoms of fcc Cu at 300 K, 40 velocity-Verlet steps of 2 fs. The total energy per
 * atom must neither drift nor fluctuate by more than 1e-4 eV/atom (issue 6; the full 4,000 atoms ×
 * 5,000 steps run on a real GPU through bench/gnnDawn.ts, results in bench/results/gnn-nve-h200.json).
 * The potential and kinetic energies themselves swing by far more than the bound, so conservation is
 * a real cancellation: forces that are not −∇E (a wrong backward kernel) fail it.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import configText from '../../../public/models/cu-mishin1.json?raw';
import tensorsUrl from '../../../public/models/cu-mishin1.safetensors?url';
import { type GnnModel, parseGnnWeights } from '../../io/gnnWeights.ts';
import type { GnnSpec } from '../../io/spec.ts';
import { buildFcc } from '../structures/index.ts';
import { createGpuEngine } from './engine.ts';
import { testDevice, withErrorScopes } from './testing.ts';

const SPEC: GnnSpec = { kind: 'gnn', model: 'cu-mishin1', elements: ['Cu'] };
/** Bound on drift and fluctuation of the total energy, eV/atom. */
const BOUND = 1e-4;
const STEPS = 40;
const DT = 2;
const SAMPLE_EVERY = 10;

let device: GPUDevice;
let model: GnnModel;
beforeAll(async () => {
  device = await testDevice();
  const tensors = new Uint8Array(await (await fetch(tensorsUrl)).arrayBuffer());
  model = parseGnnWeights(configText, tensors, {
    config: 'cu-mishin1.json',
    tensors: 'cu-mishin1.safetensors',
  });
});
afterAll(() => device.destroy());

test('NVE with the copper GNN conserves energy to 1e-4 eV/atom (32 atoms, 40 steps of 2 fs)', async () => {
  const batch = buildFcc({
    kind: 'fcc',
    element: 'Cu',
    mass: 63.546,
    latticeConstant: 3.615,
    repeat: [2, 2, 2],
    voidRadius: 0,
    temperature: 300,
    jitter: 0.02,
    seed: 3,
  });
  const n = batch.nAtoms;
  const total: number[] = [];
  const potential: number[] = [];
  await withErrorScopes(device, async () => {
    const engine = await createGpuEngine(device, batch, SPEC, { skin: 0.5, gnnModel: model });
    engine.writeStatus(Int32Array.of(0));
    const dynamics = engine.createDynamics({ kind: 'nve', steps: STEPS, dt: DT, hooks: [], convergence: [] });
    const sample = async (encoder: GPUCommandEncoder) => {
      engine.encodeStats(encoder);
      device.queue.submit([encoder.finish()]);
      const stats = await engine.readStats();
      potential.push(stats.potentialEnergy[0]! / n);
      total.push((stats.potentialEnergy[0]! + stats.kineticEnergy[0]!) / n);
    };
    const first = device.createCommandEncoder();
    engine.encodeCompute(first);
    await sample(first);
    for (let done = 0; done < STEPS; done += SAMPLE_EVERY) {
      const encoder = device.createCommandEncoder();
      for (let k = 0; k < SAMPLE_EVERY; k++) {
        dynamics.encodePreUpdate(encoder, 0);
        engine.encodeCompute(encoder);
        dynamics.encodePostUpdate(encoder, 0);
      }
      await sample(encoder);
    }
    dynamics.destroy();
    engine.destroy();
  });
  // Least-squares line through E(t): its slope over the run is the drift, the residuals the fluctuation.
  const t = total.map((_, k) => k);
  const mt = t.reduce((a, b) => a + b, 0) / t.length;
  const me = total.reduce((a, b) => a + b, 0) / total.length;
  let sxy = 0;
  let sxx = 0;
  for (let k = 0; k < t.length; k++) {
    sxy += (t[k]! - mt) * (total[k]! - me);
    sxx += (t[k]! - mt) ** 2;
  }
  const slope = sxy / sxx;
  const fittedDrift = slope * (t.length - 1);
  const residuals = total.map((e, k) => e - me - slope * (t[k]! - mt));
  const fluctuation = Math.sqrt(residuals.reduce((a, r) => a + r * r, 0) / (t.length - 2));
  const drift = total.at(-1)! - total[0]!;
  const peSwing = Math.max(...potential) - Math.min(...potential);
  console.info(
    `gnn nve ${n} atoms: drift ${drift.toExponential(2)}, fitted drift ${fittedDrift.toExponential(2)}, ` +
      `fluctuation ${fluctuation.toExponential(2)} eV/atom; PE swing ${peSwing.toExponential(2)} eV/atom`,
  );
  expect(total.every(Number.isFinite)).toBe(true);
  // The crystal starts at its sites with 300 K of kinetic energy (0.039 eV/atom): about half of it
  // goes into PE within a vibration period.
  expect(peSwing).toBeGreaterThan(50 * BOUND);
  expect(Math.abs(drift)).toBeLessThanOrEqual(BOUND);
  expect(Math.abs(fittedDrift)).toBeLessThanOrEqual(BOUND);
  expect(fluctuation).toBeLessThanOrEqual(BOUND);
});
