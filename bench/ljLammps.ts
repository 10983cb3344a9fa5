/**
 * The peer of the `lj` benchmark: LAMMPS serial (`units lj`) on the melt problem of bench/melt.ts,
 * started from the very same positions and velocities (written as a data file). Node only.
 */
import { lammpsDataFile, runLammps } from '../scripts/lammps.ts';
import { MELT, meltReduced } from './melt.ts';

/** What LAMMPS measured on a benchmark problem (energies and temperatures in the deck's units). */
export interface LammpsMeltResult {
  atoms: number;
  steps: number;
  /** Wall time of the timed run (LAMMPS's "Loop time"), s. */
  loopTime: number;
  /** Neighbor-list builds during the timed run. */
  rebuilds: number;
  /** Builds LAMMPS flagged as dangerous (an atom moved beyond the skin before a rebuild). */
  dangerousBuilds: number;
  /** Total energy (reduced, summed over atoms, ε) at step 0, at the start and at the end of the timed run. */
  initialEnergy: number;
  startEnergy: number;
  endEnergy: number;
  /** Temperature at the end of the run, ε/kB. */
  endTemperature: number;
  version: string;
}

/** The input deck: LAMMPS's bench/in.lj with the rebuild policy `delay 0 every 1 check yes`. */
export function meltDeck(warmup: number, steps: number): string {
  return [
    'units lj',
    'atom_style atomic',
    'boundary p p p',
    'read_data data.lmp',
    `pair_style lj/cut ${MELT.cutoff}`,
    `pair_coeff 1 1 1.0 1.0 ${MELT.cutoff}`,
    `neighbor ${MELT.skin} bin`,
    'neigh_modify delay 0 every 1 check yes',
    'fix 1 all nve',
    `timestep ${MELT.dt}`,
    'thermo_style custom step temp pe ke etotal',
    'thermo_modify norm no format float %.17g',
    `thermo ${Math.max(warmup, 1)}`,
    `run ${warmup}`,
    `thermo ${steps}`,
    `run ${steps}`,
    '',
  ].join('\n');
}

/** Thermo rows (step temp pe ke etotal) of every run in a LAMMPS log, in order. */
function thermoRows(log: string): number[][] {
  const rows: number[][] = [];
  let inTable = false;
  for (const line of log.split('\n')) {
    if (/^\s*Step\s+Temp\s+PotEng/.test(line)) {
      inTable = true;
      continue;
    }
    if (inTable && /^Loop time/.test(line)) inTable = false;
    if (inTable) {
      const v = line.trim().split(/\s+/).map(Number);
      if (v.length === 5 && v.every(Number.isFinite)) rows.push(v);
    }
  }
  return rows;
}

/** Runs LAMMPS on `cells`³ fcc cells: `warmup` untimed steps, then `steps` timed ones. */
export async function runLammpsMelt(cells: number, warmup: number, steps: number): Promise<LammpsMeltResult> {
  const batch = meltReduced(cells);
  return runLammpsBenchmark(
    { 'data.lmp': lammpsDataFile(batch, 0, { velocities: true }), 'in.lmp': meltDeck(warmup, steps) },
    warmup,
    steps,
  );
}

/**
 * Runs a benchmark deck (serial) and reads what it measured. The deck runs `warmup` steps, then
 * `steps` timed ones, with `thermo_style custom step temp pe ke etotal` and a thermo row at
 * least at steps 0, warmup and warmup + steps (as {@link meltDeck}).
 */
export async function runLammpsBenchmark(
  inputs: Record<string, string>,
  warmup: number,
  steps: number,
): Promise<LammpsMeltResult> {
  const run = await runLammps(inputs, ['log.lammps'], { timeoutMs: 3_600_000 });
  const log = run.files.get('log.lammps')!;
  const loops = [
    ...log.matchAll(/Loop time of ([\d.eE+-]+) on (\d+) procs for (\d+) steps with (\d+) atoms/g),
  ];
  const builds = [...log.matchAll(/Neighbor list builds = (\d+)/g)];
  const dangerous = [...log.matchAll(/Dangerous builds = (\d+)/g)];
  const rows = thermoRows(log);
  const last = loops.at(-1);
  if (loops.length !== 2 || !last || builds.length !== 2 || rows.length < 3) {
    throw new Error(`could not parse the LAMMPS log:\n${log.split('\n').slice(-40).join('\n')}`);
  }
  if (last[2] !== '1') throw new Error(`LAMMPS ran on ${last[2]} processes; the benchmark wants serial`);
  const energyAt = (step: number) => {
    const row = rows.find((r) => r[0] === step);
    if (!row) throw new Error(`no thermo row for step ${step} in the LAMMPS log`);
    return row;
  };
  const end = energyAt(warmup + steps);
  return {
    atoms: Number(last[4]),
    steps: Number(last[3]),
    loopTime: Number(last[1]),
    rebuilds: Number(builds[1]![1]),
    dangerousBuilds: Number(dangerous[1]?.[1] ?? 0),
    initialEnergy: energyAt(0)[4]!,
    startEnergy: energyAt(warmup)[4]!,
    endEnergy: end[4]!,
    endTemperature: end[1]!,
    version: /LAMMPS \(([^)]+)\)/.exec(log)?.[1] ?? 'unknown',
  };
}
