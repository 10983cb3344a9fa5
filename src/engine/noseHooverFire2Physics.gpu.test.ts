/**
 * Physics of the Nosé–Hoover chain and FIRE2 stages on the whole GPU engine (stage runner, real
 * WebGPU): canonical temperature statistics and FIRE2 minima against the f64 reference minimiser.
 * Sized for software WebGPU.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineSpecInput } from '../io/spec.ts';
import { parseSpec } from '../io/spec.ts';
import type { EngineEvent, LogRecord } from './api.ts';
import type { Batch } from './batch.ts';
import { requestGpuDevice } from './device.ts';
import { runInput, runOn } from './evaluate.ts';
import { createGpuEngine } from './gpu/engine.ts';
import { fire2Minimize } from './reference/fire2.ts';
import { lennardJonesReference } from './reference/lennardJones.ts';
import { buildSystem } from './structures/index.ts';

const argon = { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5 } as const;

let device: GPUDevice;
beforeAll(async () => {
  device = (await requestGpuDevice()).device;
});
afterAll(() => device.destroy());

async function runSpec(
  input: PipelineSpecInput,
  batch: Batch,
): Promise<{ logs: LogRecord[]; events: EngineEvent[] }> {
  const spec = parseSpec(input);
  const engine = await createGpuEngine(device, batch, spec.potential, { skin: spec.neighbor.skin });
  const events: EngineEvent[] = [];
  const { end } = await runOn(engine, runInput(spec, batch), (e) => events.push(e));
  engine.destroy();
  expect(end).toBe('completed');
  return { logs: events.flatMap((e) => (e.type === 'log' ? [e.record] : [])), events };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('Nosé–Hoover chain and FIRE2 on the GPU engine (gpu)', () => {
  it('NHC at 85 K on 256 argon atoms: mean T within 2 % and canonical fluctuations over the second half of 20 ps', async () => {
    const input: PipelineSpecInput = {
      version: 1,
      system: {
        kind: 'fcc',
        element: 'Ar',
        mass: 39.948,
        latticeConstant: 5.31,
        repeat: [4, 4, 4],
        temperature: 85,
        seed: 3,
      },
      potential: { ...argon, shift: true },
      stages: [
        {
          kind: 'nose-hoover',
          steps: 4000,
          dt: 5,
          temperature: 85,
          tau: 100,
          chainLength: 3,
          hooks: [{ kind: 'log', every: 10 }],
        },
      ],
    };
    const batch = buildSystem(parseSpec(input).system);
    const { logs } = await runSpec(input, batch);
    const secondHalf = logs.filter((r) => r.stageStep > 2000).map((r) => r.temperature);
    const tMean = mean(secondHalf);
    const tStd = Math.sqrt(mean(secondHalf.map((t) => (t - tMean) ** 2)));
    const canonical = Math.sqrt(2 / (3 * batch.nAtoms));
    console.info(
      `NHC: mean T ${tMean.toFixed(2)} K over ${secondHalf.length} samples; σ_T/T ${(tStd / tMean).toFixed(4)} vs canonical ${canonical.toFixed(4)}`,
    );
    expect(secondHalf.length).toBe(200);
    expect(Math.abs(tMean - 85) / 85).toBeLessThan(0.02);
    expect(tStd / tMean).toBeGreaterThan(0.6 * canonical);
    expect(tStd / tMean).toBeLessThan(1.4 * canonical);
  });

  it('FIRE2 relaxes an argon cluster below fmax at the f64 reference minimiser’s energy', async () => {
    // A 55-atom cuboctahedral fcc cluster (jittered) in open space.
    const input: PipelineSpecInput = {
      version: 1,
      system: {
        kind: 'fcc',
        element: 'Ar',
        mass: 39.948,
        latticeConstant: 5.26,
        repeat: [4, 4, 4],
        jitter: 0.15,
        seed: 8,
      },
      potential: { ...argon, shift: false },
      stages: [
        {
          kind: 'fire2',
          steps: 3000,
          dt: 5,
          dtMax: 20,
          dtMin: 0.1,
          maxStep: 0.2,
          convergence: [{ kind: 'max-force', fmax: 0.005 }],
          hooks: [{ kind: 'log', every: 1 }],
        },
      ],
    };
    const batch = cluster(buildSystem(parseSpec(input).system), 5.26 * Math.SQRT2 + 0.4);
    const { logs, events } = await runSpec(input, batch);
    const last = logs.at(-1)!;
    expect(events.some((e) => e.type === 'converged')).toBe(true);
    expect(last.maxForce).toBeLessThan(0.005);

    const ref = fire2Minimize(batch, (b) => lennardJonesReference(b, { ...argon, shift: false }), {
      dt: 5,
      dtMax: 20,
      dtMin: 0.1,
      maxStep: 0.2,
      nDelay: 20,
      initialDelay: true,
      fmax: 0.005,
      maxSteps: 3000,
    });
    expect(ref.converged).toBe(true);
    expect(batch.nAtoms).toBe(55);
    console.info(
      `FIRE2 cluster of ${batch.nAtoms}: GPU ${last.stageStep} steps E = ${last.potentialEnergy} eV; reference ${ref.steps} steps E = ${ref.energy[0]} eV`,
    );
    expect(Math.abs(last.potentialEnergy - ref.energy[0]!) / batch.nAtoms).toBeLessThan(1e-5);
  });
});

/** The atoms of a periodic fcc batch within `radius` Å of the atom nearest its centre, in an open box. */
function cluster(crystal: Batch, radius: number): Batch {
  const c = [0, 4, 8].map((k) => crystal.cells[k]! / 2);
  const dist = (i: number) => Math.hypot(...[0, 1, 2].map((a) => crystal.positions[3 * i + a]! - c[a]!));
  let centre = 0;
  for (let i = 1; i < crystal.nAtoms; i++) if (dist(i) < dist(centre)) centre = i;
  const keep: number[] = [];
  for (let i = 0; i < crystal.nAtoms; i++) {
    const r = Math.hypot(
      ...[0, 1, 2].map((a) => crystal.positions[3 * i + a]! - crystal.positions[3 * centre + a]!),
    );
    if (r <= radius) keep.push(i);
  }
  const n = keep.length;
  const pick = (src: ArrayLike<number>, stride: number) =>
    Float64Array.from(
      { length: stride * n },
      (_, k) => src[stride * keep[Math.floor(k / stride)]! + (k % stride)]!,
    );
  const box = 40;
  const positions = pick(crystal.positions, 3);
  for (let k = 0; k < positions.length; k++)
    positions[k]! += box / 2 - crystal.positions[3 * centre + (k % 3)]!;
  return {
    ...crystal,
    nAtoms: n,
    atomsPtr: Int32Array.of(0, n),
    positions,
    velocities: new Float64Array(3 * n),
    masses: pick(crystal.masses, 1),
    types: Int32Array.from(keep, (i) => crystal.types[i]!),
    atomicNumbers: Int32Array.from(keep, (i) => crystal.atomicNumbers[i]!),
    cells: Float64Array.of(box, 0, 0, 0, box, 0, 0, 0, box),
    pbc: Uint8Array.of(0, 0, 0),
  };
}
