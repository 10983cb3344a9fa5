/**
 * The timed part of the GPU benchmarks (lj, eam), run in the page or under Dawn: NVE on an engine
 * already holding the problem, neighbor list checked every step on the GPU (rebuild when an atom
 * moved more than skin/2), whole chunks of steps per command encoder, energies and rebuild counts
 * read before and after so that the driver can check the run against LAMMPS's.
 */
import type { SystemStats } from '../src/engine/api.ts';
import type { WebGpuEngine } from '../src/engine/gpu/engine.ts';

/** What the page measured; energies in the benchmark's energy unit (summed over atoms). */
export interface GpuNveResult {
  adapter: string;
  atoms: number;
  steps: number;
  /** Wall time of the timed steps, from the first encode to onSubmittedWorkDone, s. */
  seconds: number;
  /** Time to create the engine and run the first force evaluation (pipelines, buffers), s. */
  setupSeconds: number;
  /** Neighbor-list builds during the timed steps. */
  rebuilds: number;
  /** Total energy at step 0, at the start and at the end of the timed steps. */
  initialEnergy: number;
  startEnergy: number;
  endEnergy: number;
  /** Temperature at the end (3N − 3 degrees of freedom, as LAMMPS), in the benchmark's unit. */
  endTemperature: number;
}

/** One timed NVE run of an engine that holds the benchmark problem. */
export interface GpuNveOptions {
  /** Prefix of the log lines, e.g. 'eam'. */
  label: string;
  device: GPUDevice;
  adapter: string;
  engine: WebGpuEngine;
  /** Time step, fs. */
  dt: number;
  /** Untimed steps before the timed ones. */
  warmup: number;
  /** Timed steps. */
  steps: number;
  /** Steps encoded per command encoder (one submit each). */
  chunk: number;
  /** eV per reported energy unit (ε for the LJ melt, 1 for eV) and its name. */
  energyUnit: { ev: number; name: string };
  /** eV per reported temperature unit (ε for reduced LJ, kB for kelvin). */
  temperatureUnit: number;
  /** performance.now() when setup began. */
  setupStart: number;
}

/**
 * Evaluates forces once, runs `warmup` untimed and `steps` timed NVE steps and destroys the engine.
 * The caller pushes a 'validation' error scope before creating the engine; every phase is checked.
 */
export async function timeGpuNve(o: GpuNveOptions, log: (line: string) => void): Promise<GpuNveResult> {
  const { device, engine, label } = o;
  const unit = o.energyUnit;
  const totalEnergy = (stats: SystemStats) => (stats.potentialEnergy[0]! + stats.kineticEnergy[0]!) / unit.ev;
  engine.writeStatus(Int32Array.of(0));
  const dynamics = engine.createDynamics({
    kind: 'nve',
    steps: o.warmup + o.steps,
    dt: o.dt,
    hooks: [],
    convergence: [],
  });

  const first = device.createCommandEncoder({ label: 'bench-initial-forces' });
  engine.encodeCompute(first);
  engine.encodeStats(first);
  device.queue.submit([first.finish()]);
  const initialEnergy = totalEnergy(await engine.readStats());
  const setupSeconds = (performance.now() - o.setupStart) / 1000;
  log(
    `${label}: setup ${setupSeconds.toFixed(2)} s, E(0) = ${initialEnergy} ${unit.name}, dt = ${o.dt.toFixed(4)} fs`,
  );

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
  log(
    `${label}: warm-up of ${o.warmup} steps done, E = ${startEnergy} ${unit.name}; timing ${o.steps} steps`,
  );

  const t0 = performance.now();
  encodeSteps(o.steps);
  await device.queue.onSubmittedWorkDone();
  const seconds = (performance.now() - t0) / 1000;

  const end = await statsNow();
  const rebuilds = (await engine.readRebuildCount()) - rebuilds0;
  const error = await device.popErrorScope();
  if (error) throw new Error(`WebGPU validation error during the timed steps: ${error.message}`);
  const n = engine.nAtoms;
  const result: GpuNveResult = {
    adapter: o.adapter,
    atoms: n,
    steps: o.steps,
    seconds,
    setupSeconds,
    rebuilds,
    initialEnergy,
    startEnergy,
    endEnergy: totalEnergy(end),
    endTemperature: (2 * end.kineticEnergy[0]!) / ((3 * n - 3) * o.temperatureUnit),
  };
  log(
    `${label}: ${o.steps} steps in ${seconds.toFixed(3)} s, ${rebuilds} rebuilds, E = ${result.endEnergy} ${unit.name}`,
  );
  dynamics.destroy();
  engine.destroy();
  return result;
}
