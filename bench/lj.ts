/**
 * The GPU side of the `lj` benchmark, run in the page: the melt problem of bench/melt.ts on our
 * WebGPU engine in argon's physical units, NVE, neighbor list checked every step on the GPU
 * (rebuild when an atom moved more than skin/2), whole chunks of steps per command encoder.
 */

import type { SystemStats } from '../src/engine/api.ts';
import { requestGpuDevice } from '../src/engine/device.ts';
import { createGpuEngine } from '../src/engine/gpu/engine.ts';
import { MELT, MELT_ARGON, meltReduced, TAU_FS, toArgon } from './melt.ts';

/** Options of one GPU melt run. */
export interface GpuMeltOptions {
  /** fcc cells per axis (4·cells³ atoms). */
  cells: number;
  /** Untimed steps before the timed ones. */
  warmup: number;
  /** Timed steps. */
  steps: number;
  /** Steps encoded per command encoder (one submit each). */
  chunk: number;
  /** WebGPU entry point (default navigator.gpu; Dawn's in Node). */
  gpu?: GPU;
}

/** What the page measured; energies in reduced units (ε, summed over atoms) to compare with LAMMPS. */
export interface GpuMeltResult {
  adapter: string;
  atoms: number;
  steps: number;
  /** Wall time of the timed steps, from the first encode to onSubmittedWorkDone, s. */
  seconds: number;
  /** Time to create the engine and run the first force evaluation (pipelines, buffers), s. */
  setupSeconds: number;
  /** Neighbor-list builds during the timed steps. */
  rebuilds: number;
  /** Total energy at step 0, at the start and at the end of the timed steps, ε. */
  initialEnergy: number;
  startEnergy: number;
  endEnergy: number;
  /** Temperature at the end (3N − 3 degrees of freedom, as LAMMPS), ε/kB. */
  endTemperature: number;
}

function totalEnergy(stats: SystemStats): number {
  return (stats.potentialEnergy[0]! + stats.kineticEnergy[0]!) / MELT_ARGON.epsilon;
}

/** Runs the melt problem on the GPU and times `steps` steps after `warmup` untimed ones. */
export async function runGpuMelt(o: GpuMeltOptions, log: (line: string) => void): Promise<GpuMeltResult> {
  const tSetup = performance.now();
  const { device, adapter } = await requestGpuDevice(o.gpu);
  const batch = toArgon(meltReduced(o.cells));
  log(`lj: ${batch.nAtoms} atoms on ${adapter}`);
  const { epsilon, sigma } = MELT_ARGON;
  device.pushErrorScope('validation');
  const engine = await createGpuEngine(
    device,
    batch,
    { kind: 'lennard-jones', epsilon, sigma, cutoff: MELT.cutoff * sigma, shift: false },
    { skin: MELT.skin * sigma },
  );
  engine.writeStatus(Int32Array.of(0));
  const dt = MELT.dt * TAU_FS;
  const dynamics = engine.createDynamics({
    kind: 'nve',
    steps: o.warmup + o.steps,
    dt,
    hooks: [],
    convergence: [],
  });

  const first = device.createCommandEncoder({ label: 'bench-initial-forces' });
  engine.encodeCompute(first);
  engine.encodeStats(first);
  device.queue.submit([first.finish()]);
  const initialEnergy = totalEnergy(await engine.readStats());
  const setupSeconds = (performance.now() - tSetup) / 1000;
  log(`lj: setup ${setupSeconds.toFixed(2)} s, E(0) = ${initialEnergy} ε, dt = ${dt.toFixed(4)} fs`);

  /** Fails fast on a validation error of the phase just finished, then opens a scope for the next. */
  const checkErrors = async (phase: string) => {
    const error = await device.popErrorScope();
    if (error) throw new Error(`WebGPU validation error during ${phase}: ${error.message}`);
    device.pushErrorScope('validation');
  };
  await checkErrors('setup');

  const encodeSteps = (n: number) => {
    for (let done = 0; done < n; done += o.chunk) {
      const encoder = device.createCommandEncoder({ label: 'bench-steps' });
      for (let k = 0; k < Math.min(o.chunk, n - done); k++) {
        dynamics.encodePreUpdate(encoder, 0);
        engine.encodeCompute(encoder);
        dynamics.encodePostUpdate(encoder, 0);
      }
      device.queue.submit([encoder.finish()]);
    }
  };
  const statsNow = async () => {
    const encoder = device.createCommandEncoder({ label: 'bench-stats' });
    engine.encodeStats(encoder);
    device.queue.submit([encoder.finish()]);
    return engine.readStats();
  };

  encodeSteps(o.warmup);
  const startEnergy = totalEnergy(await statsNow());
  const rebuilds0 = await engine.readRebuildCount();
  await device.queue.onSubmittedWorkDone();
  await checkErrors('warm-up');
  log(`lj: warm-up of ${o.warmup} steps done, E = ${startEnergy} ε; timing ${o.steps} steps`);

  const t0 = performance.now();
  encodeSteps(o.steps);
  await device.queue.onSubmittedWorkDone();
  const seconds = (performance.now() - t0) / 1000;

  const end = await statsNow();
  const rebuilds = (await engine.readRebuildCount()) - rebuilds0;
  const error = await device.popErrorScope();
  if (error) throw new Error(`WebGPU validation error during the timed steps: ${error.message}`);
  const n = batch.nAtoms;
  const result: GpuMeltResult = {
    adapter,
    atoms: n,
    steps: o.steps,
    seconds,
    setupSeconds,
    rebuilds,
    initialEnergy,
    startEnergy,
    endEnergy: totalEnergy(end),
    endTemperature: (2 * end.kineticEnergy[0]!) / ((3 * n - 3) * epsilon),
  };
  log(`lj: ${o.steps} steps in ${seconds.toFixed(3)} s, ${rebuilds} rebuilds, E = ${result.endEnergy} ε`);
  dynamics.destroy();
  engine.destroy();
  device.destroy();
  return result;
}
