/**
 * The GPU side of the `lj` benchmark, run in the page: the melt problem of bench/melt.ts on our
 * WebGPU engine in argon's physical units, NVE, neighbor list checked every step on the GPU
 * (rebuild when an atom moved more than skin/2), whole chunks of steps per command encoder.
 */

import { requestGpuDevice } from '../src/engine/device.ts';
import { createGpuEngine } from '../src/engine/gpu/engine.ts';
import { type GpuNveResult, timeGpuNve } from './gpuNve.ts';
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
export type GpuMeltResult = GpuNveResult;

/** Runs the melt problem on the GPU and times `steps` steps after `warmup` untimed ones. */
export async function runGpuMelt(o: GpuMeltOptions, log: (line: string) => void): Promise<GpuMeltResult> {
  const setupStart = performance.now();
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
  const result = await timeGpuNve(
    {
      label: 'lj',
      device,
      adapter,
      engine,
      dt: MELT.dt * TAU_FS,
      warmup: o.warmup,
      steps: o.steps,
      chunk: o.chunk,
      energyUnit: { ev: epsilon, name: 'ε' },
      temperatureUnit: epsilon,
      setupStart,
    },
    log,
  );
  device.destroy();
  return result;
}
