/**
 * Physics of the whole engine on real WebGPU (gpu): NVE energy conservation, Langevin temperature,
 * FIRE minimum against the f64 reference minimiser. Sized for software WebGPU.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineSpecInput } from '../io/spec.ts';
import { parseSpec } from '../io/spec.ts';
import type { EngineEvent, LogRecord } from './api.ts';
import { requestGpuDevice } from './device.ts';
import { runInput, runOn } from './evaluate.ts';
import { createGpuEngine } from './gpu/engine.ts';
import { fireMinimize } from './reference/dynamics.ts';
import { lennardJonesReference } from './reference/lennardJones.ts';
import { buildSystem } from './structures/index.ts';

const argon = { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5 } as const;

let device: GPUDevice;
beforeAll(async () => {
  device = (await requestGpuDevice()).device;
});
afterAll(() => device.destroy());

/** Runs a spec on the GPU and returns every log record and event. */
async function runSpec(
  input: PipelineSpecInput,
): Promise<{ logs: LogRecord[]; events: EngineEvent[]; nAtoms: number }> {
  const spec = parseSpec(input);
  const batch = buildSystem(spec.system);
  const engine = await createGpuEngine(device, batch, spec.potential, { skin: spec.neighbor.skin });
  const events: EngineEvent[] = [];
  const { end } = await runOn(engine, runInput(spec, batch), (e) => events.push(e));
  engine.destroy();
  expect(end).toBe('completed');
  const logs = events.flatMap((e) => (e.type === 'log' ? [e.record] : []));
  return { logs, events, nAtoms: batch.nAtoms };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('physics on the GPU engine (gpu)', () => {
  it('NVE on 256 liquid argon atoms (dt = 5 fs, 10,000 steps) drifts < 1e-4 eV/atom', async () => {
    // fcc at liquid density (1.41 g/cm³), melted by Langevin at 110 K, then NVE.
    const { logs, nAtoms } = await runSpec({
      version: 1,
      system: {
        kind: 'fcc',
        element: 'Ar',
        mass: 39.948,
        latticeConstant: 5.73,
        repeat: [4, 4, 4],
        temperature: 110,
      },
      potential: { ...argon, shift: true },
      neighbor: { skin: 1 },
      stages: [
        {
          kind: 'langevin',
          steps: 2000,
          dt: 5,
          temperature: 110,
          friction: 0.02,
          hooks: [{ kind: 'log', every: 500 }],
        },
        { kind: 'nve', steps: 10_000, dt: 5, hooks: [{ kind: 'log', every: 100 }] },
      ],
    });
    const nve = logs.filter((r) => r.stage === 1);
    expect(nve.length).toBe(101);
    const total = nve.map((r) => r.potentialEnergy + r.kineticEnergy);
    const tenth = Math.floor(total.length / 10);
    const drift = Math.abs(mean(total.slice(-tenth)) - mean(total.slice(0, tenth))) / nAtoms;
    const spread = (Math.max(...total) - Math.min(...total)) / nAtoms;
    console.info(`NVE drift ${drift.toExponential(2)} eV/atom, spread ${spread.toExponential(2)} eV/atom`);
    expect(drift).toBeLessThan(1e-4);
    // It is a liquid: hot enough, and the temperature moved (energy flows between PE and KE).
    expect(mean(nve.map((r) => r.temperature))).toBeGreaterThan(80);
  });

  it('Langevin at 85 K gives a mean temperature within 2 % of the target over the second half of 20 ps', async () => {
    const { logs } = await runSpec({
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
          kind: 'langevin',
          steps: 4000,
          dt: 5,
          temperature: 85,
          friction: 0.01,
          seed: 11,
          hooks: [{ kind: 'log', every: 10 }],
        },
      ],
    });
    const secondHalf = logs.filter((r) => r.stageStep > 2000).map((r) => r.temperature);
    const tMean = mean(secondHalf);
    console.info(`Langevin mean T ${tMean.toFixed(2)} K over ${secondHalf.length} samples`);
    expect(Math.abs(tMean - 85) / 85).toBeLessThan(0.02);
  });

  it('FIRE stops below fmax at the same energy as the f64 reference minimiser from the same start', async () => {
    const input: PipelineSpecInput = {
      version: 1,
      system: {
        kind: 'fcc',
        element: 'Ar',
        mass: 39.948,
        latticeConstant: 5.26,
        repeat: [4, 4, 4],
        voidRadius: 4,
        jitter: 0.1,
      },
      potential: { ...argon, shift: false },
      stages: [
        {
          kind: 'fire',
          steps: 3000,
          dt: 5,
          dtMax: 20,
          maxStep: 0.2,
          convergence: [{ kind: 'max-force', fmax: 0.01 }],
          hooks: [{ kind: 'log', every: 1 }],
        },
      ],
    };
    const { logs, events } = await runSpec(input);
    const last = logs.at(-1)!;
    expect(events.some((e) => e.type === 'converged')).toBe(true);
    expect(last.maxForce).toBeLessThan(0.01);

    const spec = parseSpec(input);
    const batch = buildSystem(spec.system);
    const ref = fireMinimize(batch, (b) => lennardJonesReference(b, { ...argon, shift: false }), {
      dt: 5,
      dtMax: 20,
      maxStep: 0.2,
      fmax: 0.01,
      maxSteps: 3000,
    });
    expect(ref.converged).toBe(true);
    const eRef = ref.energy[0]!;
    console.info(
      `FIRE: GPU ${last.stageStep} steps E = ${last.potentialEnergy} eV; reference ${ref.steps} steps E = ${eRef} eV`,
    );
    // Both stop with max |F| < 0.01 eV/Å; the energies agree far better than that implies.
    expect(Math.abs(last.potentialEnergy - eRef) / batch.nAtoms).toBeLessThan(1e-5);
  });
});
