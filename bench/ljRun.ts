/**
 * `npm run bench -- lj`: the LAMMPS LJ melt problem on our WebGPU engine (headless Chromium) and on
 * LAMMPS serial, side by side in one run. Reports atom-steps/s, the ratio ours / LAMMPS, rebuild
 * counts of both, and checks that both started from the same energy and conserved it, so that a
 * broken kernel cannot look fast. Node only.
 */
import { parseArgs } from 'node:util';
import { runBenchPage } from './browser.ts';
import type { GpuMeltResult } from './lj.ts';
import { type LammpsMeltResult, runLammpsMelt } from './ljLammps.ts';
import { type BenchCase, type BenchResult, cpuName } from './results.ts';

export const ljUsage = `npm run bench -- lj [options]
  --steps N        timed steps of the 32,000-atom case (default 1000)
  --large-steps N  timed steps of the 256,000-atom case (default 200, to keep the run near 10 min on
                   software WebGPU; 0 skips it)
  --warmup N       untimed steps before timing (default 100)
  --chunk N        steps per command encoder on the GPU (default 50)
  --cells N        fcc cells per axis of the first case (default 20: 32,000 atoms)`;

/**
 * The truncated (unshifted) potential of the melt problem does not conserve energy exactly: LAMMPS
 * itself drifts by 3e-4 to 2e-3 relative over these runs. Ours may drift up to 3× LAMMPS's plus 1e-3.
 */
const allowedDrift = (peerDrift: number) => 3 * Math.abs(peerDrift) + 1e-3;
/** Both sides start from the same state; their step-0 energies must agree to f32 accuracy. */
const MAX_INITIAL_MISMATCH = 1e-5;

/** Compares one GPU run with its LAMMPS peer and makes the result row. */
export function meltCase(gpu: GpuMeltResult, lammps: LammpsMeltResult): BenchCase {
  if (gpu.atoms !== lammps.atoms || gpu.steps !== lammps.steps) {
    throw new Error(
      `GPU ran ${gpu.atoms} atoms × ${gpu.steps} steps, LAMMPS ${lammps.atoms} × ${lammps.steps}`,
    );
  }
  const ours = (gpu.atoms * gpu.steps) / gpu.seconds;
  const peer = (lammps.atoms * lammps.steps) / lammps.loopTime;
  const drift = (gpu.endEnergy - gpu.startEnergy) / Math.abs(gpu.startEnergy);
  const peerDrift = (lammps.endEnergy - lammps.startEnergy) / Math.abs(lammps.startEnergy);
  const initialMismatch = Math.abs(gpu.initialEnergy - lammps.initialEnergy) / Math.abs(lammps.initialEnergy);
  // Same rebuild policy on both sides, so the counts must be alike: skipping rebuilds cannot buy speed.
  const rebuildsAlike = gpu.rebuilds >= 0.5 * lammps.rebuilds && gpu.rebuilds <= 2 * lammps.rebuilds + 2;
  const valid =
    Math.abs(drift) <= allowedDrift(peerDrift) && initialMismatch <= MAX_INITIAL_MISMATCH && rebuildsAlike;
  return {
    case: `lj melt, ${gpu.atoms} atoms, ${gpu.steps} steps${gpu.steps < 1000 ? ' (fewer than 1000 to save time)' : ''}`,
    atoms: gpu.atoms,
    metric: 'throughput',
    value: ours,
    unit: 'atom-steps/s',
    peer: { name: `LAMMPS serial (${lammps.version})`, value: peer },
    ratio: ours / peer,
    details: {
      steps: gpu.steps,
      seconds: gpu.seconds,
      peerSeconds: lammps.loopTime,
      setupSeconds: gpu.setupSeconds,
      rebuilds: gpu.rebuilds,
      peerRebuilds: lammps.rebuilds,
      peerDangerousBuilds: lammps.dangerousBuilds,
      initialEnergyPerAtom: gpu.initialEnergy / gpu.atoms,
      peerInitialEnergyPerAtom: lammps.initialEnergy / lammps.atoms,
      initialEnergyMismatch: initialMismatch,
      energyDrift: drift,
      peerEnergyDrift: peerDrift,
      endTemperature: gpu.endTemperature,
      peerEndTemperature: lammps.endTemperature,
      valid,
    },
  };
}

/** Runs every case; LAMMPS and the GPU one after the other so they do not compete for the CPU. */
export async function benchLj(argv: string[]): Promise<BenchResult> {
  const { values } = parseArgs({
    args: argv,
    options: {
      steps: { type: 'string', default: '1000' },
      'large-steps': { type: 'string', default: '200' },
      warmup: { type: 'string', default: '100' },
      chunk: { type: 'string', default: '50' },
      cells: { type: 'string', default: '20' },
    },
    strict: true,
  });
  const int = (name: keyof typeof values) => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a whole number ≥ 0\n\n${ljUsage}`);
    return v;
  };
  const warmup = int('warmup');
  const chunk = Math.max(1, int('chunk'));
  const plan = [
    { cells: int('cells'), steps: int('steps') },
    { cells: 40, steps: int('large-steps') },
  ].filter((p) => p.steps > 0 && p.cells > 0);

  const cases: BenchCase[] = [];
  let adapter = 'unknown';
  for (const { cells, steps } of plan) {
    const atoms = 4 * cells ** 3;
    console.log(`lj: ${atoms} atoms, ${warmup} + ${steps} steps — LAMMPS serial`);
    const lammps = await runLammpsMelt(cells, warmup, steps);
    console.log(
      `lj: LAMMPS ${lammps.loopTime.toFixed(2)} s, ${lammps.rebuilds} rebuilds — now the GPU engine in Chromium`,
    );
    // Generous: software WebGPU on a small CPU may be two orders of magnitude slower than LAMMPS.
    const timeoutMs = Math.max(600_000, 1000 * 300 * lammps.loopTime * ((warmup + steps) / steps));
    const gpu = await runBenchPage<GpuMeltResult>(
      { bench: 'lj', cells, warmup, steps, chunk },
      { timeoutMs },
    );
    adapter = gpu.adapter;
    const row = meltCase(gpu, lammps);
    console.log(
      `lj: ours ${row.value.toExponential(3)} vs LAMMPS ${row.peer!.value.toExponential(3)} atom-steps/s (ratio ${row.ratio!.toFixed(3)}), ` +
        `drift ${Number(row.details!.energyDrift).toExponential(2)} vs ${Number(row.details!.peerEnergyDrift).toExponential(2)}`,
    );
    cases.push(row);
  }
  return { name: 'lj', date: new Date().toISOString(), machine: { cpu: cpuName(), adapter }, cases };
}
