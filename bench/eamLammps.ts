/**
 * The peer of the `eam` benchmark: LAMMPS serial on the problem of bench/eamProblem.ts (LAMMPS's
 * bench/in.eam with `neigh_modify every 1 delay 0 check yes`), started from the very same positions
 * and velocities (written as a data file). Node only.
 */
import { readFileSync } from 'node:fs';
import { lammpsDataFile } from '../scripts/lammps.ts';
import { eamTabulation } from '../src/engine/potentials/eamTabulation.ts';
import { parseEamPotential } from '../src/io/lammpsPotential.ts';
import { EAM_BENCH, EAM_BENCH_POTENTIAL, eamBenchBatch } from './eamProblem.ts';
import { type LammpsMeltResult, runLammpsBenchmark } from './ljLammps.ts';

/** Text of the benchmark's potential file. */
export function eamBenchPotentialText(): string {
  return readFileSync(EAM_BENCH.potentialFile, 'utf8');
}

/** The input deck: LAMMPS's bench/in.eam reading our data file, thermo as bench/ljLammps.ts. */
export function eamDeck(warmup: number, steps: number): string {
  return [
    'units metal',
    'atom_style atomic',
    'boundary p p p',
    'read_data data.lmp',
    'pair_style eam',
    `pair_coeff 1 1 ${EAM_BENCH.potentialFile}`,
    `neighbor ${EAM_BENCH.skin} bin`,
    'neigh_modify every 1 delay 0 check yes',
    'fix 1 all nve',
    `timestep ${EAM_BENCH.dt / 1000}`,
    'thermo_style custom step temp pe ke etotal',
    'thermo_modify norm no format float %.17g',
    `thermo ${Math.max(warmup, 1)}`,
    `run ${warmup}`,
    `thermo ${steps}`,
    `run ${steps}`,
    '',
  ].join('\n');
}

/** Runs LAMMPS on `cells`³ fcc cells of Cu: `warmup` untimed steps, then `steps` timed ones (eV, K). */
export async function runLammpsEam(cells: number, warmup: number, steps: number): Promise<LammpsMeltResult> {
  const p = EAM_BENCH_POTENTIAL;
  const file = parseEamPotential(eamBenchPotentialText(), p.file, p.style);
  const batch = eamBenchBatch(cells, eamTabulation([file], p.style, p.elements).masses[0]!);
  return runLammpsBenchmark(
    {
      // Å/fs → Å/ps (metal units).
      'data.lmp': lammpsDataFile(batch, 0, { velocities: true, velocityScale: 1000 }),
      'in.lmp': eamDeck(warmup, steps),
    },
    warmup,
    steps,
  );
}
