/**
 * The GPU side of the `eam` benchmark, run in the page: the EAM problem of bench/eamProblem.ts on
 * our WebGPU engine (energies in eV, temperatures in K), timed by bench/gpuNve.ts. The page gets
 * the text of Cu_u3.eam from the driver (it cannot read /usr/share).
 */
import { requestGpuDevice } from '../src/engine/device.ts';
import { createGpuEngine } from '../src/engine/gpu/engine.ts';
import { eamTabulation } from '../src/engine/potentials/eamTabulation.ts';
import { BOLTZMANN_EV_PER_K } from '../src/engine/units.ts';
import { parseEamPotential } from '../src/io/lammpsPotential.ts';
import { EAM_BENCH, EAM_BENCH_POTENTIAL, eamBenchBatch } from './eamProblem.ts';
import { type GpuNveResult, timeGpuNve } from './gpuNve.ts';

/** Options of one GPU EAM run. */
export interface GpuEamOptions {
  /** fcc cells per axis (4·cells³ atoms). */
  cells: number;
  warmup: number;
  steps: number;
  chunk: number;
  /** Text of Cu_u3.eam. */
  potentialText: string;
  /** WebGPU entry point (default navigator.gpu; Dawn's in Node). */
  gpu?: GPU;
}

/** Runs the EAM problem on the GPU: energies in eV, end temperature in K. */
export async function runGpuEam(o: GpuEamOptions, log: (line: string) => void): Promise<GpuNveResult> {
  const setupStart = performance.now();
  const { device, adapter } = await requestGpuDevice(o.gpu);
  const p = EAM_BENCH_POTENTIAL;
  const tables = eamTabulation([parseEamPotential(o.potentialText, p.file, p.style)], p.style, p.elements);
  const batch = eamBenchBatch(o.cells, tables.masses[0]!);
  log(`eam: ${batch.nAtoms} atoms on ${adapter}`);
  device.pushErrorScope('validation');
  const engine = await createGpuEngine(device, batch, p, { skin: EAM_BENCH.skin, tables });
  const result = await timeGpuNve(
    {
      label: 'eam',
      device,
      adapter,
      engine,
      dt: EAM_BENCH.dt,
      warmup: o.warmup,
      steps: o.steps,
      chunk: o.chunk,
      energyUnit: { ev: 1, name: 'eV' },
      temperatureUnit: BOLTZMANN_EV_PER_K,
      setupStart,
    },
    log,
  );
  device.destroy();
  return result;
}
