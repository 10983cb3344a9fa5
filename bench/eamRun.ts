/**
 * `npm run bench -- eam`: the LAMMPS EAM benchmark problem (bench/eamProblem.ts: 32,000 atoms of
 * fcc Cu, Cu_u3.eam, dt = 5 fs, NVE) on our WebGPU engine (headless Chromium) and on LAMMPS serial,
 * side by side in one run, with the same checks as the `lj` benchmark (bench/ljRun.ts: same
 * initial energy, energy conserved, rebuild counts alike). Node only.
 */
import { parseArgs } from 'node:util';
import { runBenchPage } from './browser.ts';
import { eamBenchPotentialText, runLammpsEam } from './eamLammps.ts';
import type { GpuNveResult } from './gpuNve.ts';
import { meltCase } from './ljRun.ts';
import { type BenchCase, type BenchResult, cpuName } from './results.ts';

export const eamUsage = `npm run bench -- eam [options]
  --steps N   timed steps (default 1000)
  --warmup N  untimed steps before timing (default 100)
  --chunk N   steps per command encoder on the GPU (default 50)
  --cells N   fcc cells per axis (default 20: 32,000 atoms, LAMMPS's bench/in.eam)`;

/** Compares the GPU run with LAMMPS's (energies in eV) and makes the result row. */
export function eamCase(gpu: GpuNveResult, lammps: Parameters<typeof meltCase>[1]): BenchCase {
  const row = meltCase(gpu, lammps);
  return {
    ...row,
    case: `eam Cu_u3 fcc, ${gpu.atoms} atoms, ${gpu.steps} steps${gpu.steps < 1000 ? ' (fewer than 1000 to save time)' : ''}`,
  };
}

/** Runs LAMMPS, then the GPU engine, so that they do not compete for the CPU. */
export async function benchEam(argv: string[]): Promise<BenchResult> {
  const { values } = parseArgs({
    args: argv,
    options: {
      steps: { type: 'string', default: '1000' },
      warmup: { type: 'string', default: '100' },
      chunk: { type: 'string', default: '50' },
      cells: { type: 'string', default: '20' },
    },
    strict: true,
  });
  const int = (name: keyof typeof values, min: number) => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < min)
      throw new Error(`--${name} must be a whole number ≥ ${min}\n\n${eamUsage}`);
    return v;
  };
  const steps = int('steps', 1);
  const warmup = int('warmup', 0);
  const chunk = int('chunk', 1);
  const cells = int('cells', 1);
  const atoms = 4 * cells ** 3;
  console.log(`eam: ${atoms} atoms, ${warmup} + ${steps} steps — LAMMPS serial`);
  const lammps = await runLammpsEam(cells, warmup, steps);
  console.log(
    `eam: LAMMPS ${lammps.loopTime.toFixed(2)} s, ${lammps.rebuilds} rebuilds — now the GPU engine in Chromium`,
  );
  // Generous: software WebGPU on a small CPU may be two orders of magnitude slower than LAMMPS.
  const timeoutMs = Math.max(600_000, 1000 * 300 * lammps.loopTime * ((warmup + steps) / steps));
  const gpu = await runBenchPage<GpuNveResult>(
    { bench: 'eam', cells, warmup, steps, chunk },
    { timeoutMs, inputs: { potentialText: eamBenchPotentialText() } },
  );
  const row = eamCase(gpu, lammps);
  console.log(
    `eam: ours ${row.value.toExponential(3)} vs LAMMPS ${row.peer!.value.toExponential(3)} atom-steps/s (ratio ${row.ratio!.toFixed(3)}), ` +
      `drift ${Number(row.details!.energyDrift).toExponential(2)} vs ${Number(row.details!.peerEnergyDrift).toExponential(2)}`,
  );
  return {
    name: 'eam',
    date: new Date().toISOString(),
    machine: { cpu: cpuName(), adapter: gpu.adapter },
    cases: [row],
  };
}
