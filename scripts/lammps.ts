/**
 * LAMMPS as an independent reference (DESIGN §9): writes a batch as a LAMMPS data file and an input
 * deck, runs `lmp` in a temporary directory and parses energies, forces and virials back. Node only.
 *
 * Vocabulary follows LAMMPS: `units metal` (eV, Å, amu, ps; pressure in bar), `atom_style atomic`,
 * `pair_style lj/cut | morse | eam | eam/alloy | eam/fs` (scripts/lammpsPair.ts), `compute pe/atom`,
 * `compute stress/atom NULL virial`, `compute pressure NULL virial`, `fix nve`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserCommand } from 'vitest/node';
import type { Batch } from '../src/engine/batch.ts';
import {
  fromPlainBatch,
  type PlainBatch,
  type PlainForceResult,
  toPlainForceResult,
} from '../src/engine/crosscheck/plain.ts';
import { emptyForceResult, type ForceResult, fillStress } from '../src/engine/reference/forceResult.ts';
import type { LennardJonesParams } from '../src/engine/reference/lennardJones.ts';
import { type LammpsPotential, lammpsPairLines } from './lammpsPair.ts';

export type { LammpsPotential } from './lammpsPair.ts';

/** The LAMMPS executable: `LAMMPS_PATH` or `lmp` on the PATH. */
export const lammpsExecutable: string = process.env.LAMMPS_PATH ?? 'lmp';

/**
 * Pressure unit of `units metal` per eV/Å³: LAMMPS's `force->nktv2p` for metal units (bar·Å³/eV).
 * Dividing a LAMMPS pressure × volume by it gives a virial in eV.
 */
export const METAL_NKTV2P = 1.6021765e6;

/** The LAMMPS atom types of one system's atoms: one per (potential type, mass), NULL atoms last. */
export interface LammpsTypeMap {
  /** LAMMPS type (1-based) per atom of the system. */
  atomType: Int32Array;
  /** Mass per LAMMPS type (index 0 = type 1), amu. */
  masses: number[];
  /** LAMMPS types that take part in the potential (all but the NULL types). */
  activeTypes: number[];
  /** The batch's potential type (−1 for NULL) of each LAMMPS type (index 0 = type 1). */
  potentialTypes: number[];
}

/** Maps the atoms of system `s` to LAMMPS types; LAMMPS keeps masses per type in `atom_style atomic`. */
export function lammpsTypes(batch: Batch, s: number): LammpsTypeMap {
  const begin = batch.atomsPtr[s]!;
  const end = batch.atomsPtr[s + 1]!;
  const key = new Map<string, number>();
  const masses: number[] = [];
  const activeTypes: number[] = [];
  const potentialTypes: number[] = [];
  const atomType = new Int32Array(end - begin);
  for (let i = begin; i < end; i++) {
    const t = batch.types[i]!;
    const m = batch.masses[i]!;
    const k = `${t}:${m}`;
    let lt = key.get(k);
    if (lt === undefined) {
      masses.push(m);
      potentialTypes.push(t);
      lt = masses.length;
      key.set(k, lt);
      if (t !== -1) activeTypes.push(lt);
    }
    atomType[i - begin] = lt;
  }
  return { atomType, masses, activeTypes, potentialTypes };
}

/** Box bounds (lo, hi) per axis, Å: the cell on periodic axes, the cell grown to hold every atom on the others. */
export function lammpsBox(batch: Batch, s: number, margin = 1): [number, number][] {
  return lammpsTriclinicBox(batch, s, margin).bounds;
}

/**
 * LAMMPS's box of system `s` (restricted triclinic cell, LAMMPS's own convention): bounds per axis,
 * tilts xy, xz, yz, and the atoms' positions in LAMMPS's frame, wrapped into the cell along periodic
 * axes. A tilt of a row whose axis is open is dropped (that row is no lattice translation, so it
 * changes nothing), and open axes are grown by `margin` Å beyond the atoms (LAMMPS drops atoms on
 * or outside a fixed boundary).
 */
export function lammpsTriclinicBox(
  batch: Batch,
  s: number,
  margin = 1,
): { bounds: [number, number][]; tilt: [number, number, number]; positions: Float64Array } {
  const c = batch.cells.subarray(9 * s, 9 * s + 9);
  if (c[1] !== 0 || c[2] !== 0 || c[5] !== 0) {
    throw new Error(`system ${s}: LAMMPS export needs a restricted triclinic cell (toRestrictedTriclinic)`);
  }
  const p = [0, 1, 2].map((a) => batch.pbc[3 * s + a] === 1);
  const [pa, pb, pc] = p as [boolean, boolean, boolean];
  const xy = pb ? c[3]! : 0;
  const xz = pc ? c[6]! : 0;
  const yz = pc ? c[7]! : 0;
  const [lx, ly, lz] = [c[0]!, c[4]!, c[8]!];
  const begin = batch.atomsPtr[s]!;
  const end = batch.atomsPtr[s + 1]!;
  const positions = batch.positions.slice(3 * begin, 3 * end);
  const n = end - begin;
  // Wrap along periodic axes, c then b then a (the cell matrix is lower triangular).
  for (let i = 0; i < n; i++) {
    const r = positions.subarray(3 * i, 3 * i + 3);
    if (pc) {
      const k = Math.floor(r[2]! / lz);
      r[0]! -= k * xz;
      r[1]! -= k * yz;
      r[2]! -= k * lz;
      if (r[2]! >= lz) r[2] = 0;
    }
    if (pb) {
      const k = Math.floor((r[1]! - (pc ? (yz * r[2]!) / lz : 0)) / ly);
      r[0]! -= k * xy;
      r[1]! -= k * ly;
    }
    if (pa) {
      const lam =
        (r[0]! -
          (pb ? xy * ((r[1]! - (pc ? (yz * r[2]!) / lz : 0)) / ly) : 0) -
          (pc ? (xz * r[2]!) / lz : 0)) /
        lx;
      r[0]! -= Math.floor(lam) * lx;
    }
  }
  // Bounds: the cell on periodic axes; on open axes the range of the untilted coordinate.
  const bounds: [number, number][] = [];
  const zs = Array.from({ length: n }, (_, i) => positions[3 * i + 2]!);
  const zlo = pc ? 0 : Math.min(0, ...zs) - margin;
  const zhi = pc ? lz : Math.max(lz, ...zs) + margin;
  const lamZ = (z: number) => (z - zlo) / (zhi - zlo);
  const us = Array.from({ length: n }, (_, i) => positions[3 * i + 1]! - yz * lamZ(positions[3 * i + 2]!));
  const ylo = pb ? 0 : Math.min(0, ...us) - margin;
  const yhi = pb ? ly : Math.max(ly, ...us) + margin;
  const lamY = (i: number) => (us[i]! - ylo) / (yhi - ylo);
  const ux = Array.from(
    { length: n },
    (_, i) => positions[3 * i]! - xy * lamY(i) - xz * lamZ(positions[3 * i + 2]!),
  );
  const xlo = pa ? 0 : Math.min(0, ...ux) - margin;
  const xhi = pa ? lx : Math.max(lx, ...ux) + margin;
  bounds.push([xlo, xhi], [ylo, yhi], [zlo, zhi]);
  return { bounds, tilt: [xy, xz, yz], positions };
}

/**
 * A LAMMPS data file (`atom_style atomic`) of system `s`, orthorhombic or restricted triclinic (the
 * `xy xz yz` line is written when a tilt is non-zero). Numbers are written with JavaScript's
 * shortest round-trip formatting, so LAMMPS reads back the exact f64 values. Positions on periodic
 * axes are wrapped into the cell. With `velocities`, a Velocities section is written too, each
 * value multiplied by `velocityScale` (default 1: the caller picks the LAMMPS units that match;
 * 1000 turns the batch's Å/fs into `units metal` Å/ps). `margin` (Å, default 1) pads open axes.
 */
export function lammpsDataFile(
  batch: Batch,
  s: number,
  options: { velocities?: boolean; velocityScale?: number; margin?: number } = {},
): string {
  const begin = batch.atomsPtr[s]!;
  const end = batch.atomsPtr[s + 1]!;
  const types = lammpsTypes(batch, s);
  const box = lammpsTriclinicBox(batch, s, options.margin ?? 1);
  const lines: string[] = [
    `LAMMPS data file of system ${batch.systemIds[s] ?? s}, written by md-workbench`,
    '',
    `${end - begin} atoms`,
    `${types.masses.length} atom types`,
    '',
  ];
  box.bounds.forEach(([lo, hi], a) => {
    const name = 'xyz'[a]!;
    lines.push(`${lo} ${hi} ${name}lo ${name}hi`);
  });
  if (box.tilt.some((t) => t !== 0)) lines.push(`${box.tilt[0]} ${box.tilt[1]} ${box.tilt[2]} xy xz yz`);
  lines.push('', 'Masses', '');
  types.masses.forEach((m, t) => {
    lines.push(`${t + 1} ${m}`);
  });
  lines.push('', 'Atoms # atomic', '');
  const x = box.positions;
  for (let i = 0; i < end - begin; i++) {
    lines.push(`${i + 1} ${types.atomType[i]} ${x[3 * i]} ${x[3 * i + 1]} ${x[3 * i + 2]}`);
  }
  if (options.velocities) {
    const k = options.velocityScale ?? 1;
    lines.push('', 'Velocities', '');
    for (let i = begin; i < end; i++) {
      const v = batch.velocities;
      lines.push(`${i - begin + 1} ${k * v[3 * i]!} ${k * v[3 * i + 1]!} ${k * v[3 * i + 2]!}`);
    }
  }
  lines.push('');
  return lines.join('\n');
}

/** `boundary` argument of system `s`: p for periodic axes, f for the others. */
export function lammpsBoundary(batch: Batch, s: number): string {
  return [0, 1, 2].map((a) => (batch.pbc[3 * s + a] === 1 ? 'p' : 'f')).join(' ');
}

/**
 * `pair_style lj/cut` lines: every pair of non-NULL types interacts with (ε, σ); NULL types get ε = 0,
 * and their pairs are excluded from the neighbor list, as `pair_coeff … NULL` would in a many-body style.
 */
export function lennardJonesPairLines(types: LammpsTypeMap, p: LennardJonesParams): string[] {
  return lammpsPairLines(types, { kind: 'lennard-jones', ...p });
}

/** The input deck of a single-point Lennard-Jones evaluation (`run 0`) of the data file `data.lmp`. */
export function lennardJonesDeck(boundary: string, types: LammpsTypeMap, p: LennardJonesParams): string {
  return singlePointDeck(boundary, types, { kind: 'lennard-jones', ...p });
}

/**
 * The input deck of a single-point evaluation (`run 0`) of the data file `data.lmp`: writes
 * `thermo.txt` (pe, the virial part of the pressure pxx pyy pzz pxy pxz pyz in bar, vol in Å³) and
 * `dump.txt` (id, fx fy fz, pe/atom, and `compute stress/atom NULL virial`: −W_i in bar·Å³,
 * xx yy zz xy xz yz).
 */
export function singlePointDeck(boundary: string, types: LammpsTypeMap, potential: LammpsPotential): string {
  return [
    'units metal',
    'atom_style atomic',
    'atom_modify map array',
    `boundary ${boundary}`,
    'read_data data.lmp',
    ...lammpsPairLines(types, potential),
    'neighbor 1.0 bin',
    'compute peAtom all pe/atom',
    'compute stressAtom all stress/atom NULL virial',
    'compute virial all pressure NULL virial',
    'thermo_style custom step pe c_virial[1] c_virial[2] c_virial[3] c_virial[4] c_virial[5] c_virial[6]',
    'thermo_modify norm no',
    'dump forces all custom 1 dump.txt id fx fy fz c_peAtom c_stressAtom[1] c_stressAtom[2] c_stressAtom[3] c_stressAtom[4] c_stressAtom[5] c_stressAtom[6]',
    'dump_modify forces sort id format float %.17g',
    'run 0',
    // pxx pyy pzz pxy pxz pyz, bar; vol, Å³.
    'print "$(pe:%.17g) $(c_virial[1]:%.17g) $(c_virial[2]:%.17g) $(c_virial[3]:%.17g) $(c_virial[4]:%.17g) $(c_virial[5]:%.17g) $(c_virial[6]:%.17g) $(vol:%.17g)" file thermo.txt',
    '',
  ].join('\n');
}

/** What a LAMMPS run left behind: its stdout and the files it wrote, by name. */
export interface LammpsRun {
  stdout: string;
  files: Map<string, string>;
}

/**
 * Runs `lmp -in in.lmp` in a fresh temporary directory holding `inputs` and reads `outputs` back.
 * `-log` goes to `log.lammps` in that directory (read it by naming it in `outputs`); errors quote
 * the end of LAMMPS's output.
 */
export async function runLammps(
  inputs: Record<string, string>,
  outputs: readonly string[],
  options: { timeoutMs?: number; args?: readonly string[]; executable?: string } = {},
): Promise<LammpsRun> {
  const executable = options.executable ?? lammpsExecutable;
  const dir = await mkdtemp(join(tmpdir(), 'lammps-'));
  try {
    for (const [name, text] of Object.entries(inputs)) await writeFile(join(dir, name), text);
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        executable,
        ['-in', 'in.lmp', '-log', 'log.lammps', '-echo', 'none', '-nocite', ...(options.args ?? [])],
        { cwd: dir, timeout: options.timeoutMs ?? 600_000, maxBuffer: 64 << 20 },
        (error, out, err) => {
          if (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
              reject(
                new Error(
                  `LAMMPS executable '${executable}' not found: run scripts/ensure-system-deps.sh ` +
                    '(or apt-get install lammps), or set LAMMPS_PATH',
                ),
              );
              return;
            }
            const tail = `${out}\n${err}`.trim().split('\n').slice(-15).join('\n');
            reject(new Error(`LAMMPS failed (${error.message.split('\n')[0]}):\n${tail}`));
            return;
          }
          resolve(out);
        },
      );
    });
    const files = new Map<string, string>();
    for (const name of outputs) files.set(name, await readFile(join(dir, name), 'utf8'));
    return { stdout, files };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Parses the rows after `ITEM: ATOMS` of a LAMMPS dump (one step) into numbers per row. */
export function parseDumpRows(dump: string): number[][] {
  const lines = dump.split('\n');
  const start = lines.findIndex((l) => l.startsWith('ITEM: ATOMS'));
  if (start < 0) throw new Error('LAMMPS dump has no ITEM: ATOMS section');
  return lines
    .slice(start + 1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/).map(Number));
}

/**
 * Energies, forces, per-atom energies, per-atom virials, virials and stress of every system of the
 * batch under `potential`, computed by LAMMPS (one `run 0` per system), in the layout of the f64
 * reference's ForceResult. Periodic images are LAMMPS's own (ghost atoms). The stress is −W/V with
 * the batch's cell volume (LAMMPS's `vol` differs on open axes, where its box is padded).
 */
export async function lammpsEvaluate(batch: Batch, potential: LammpsPotential): Promise<ForceResult> {
  const result = emptyForceResult(batch);
  for (let s = 0; s < batch.nSystems; s++) {
    const begin = batch.atomsPtr[s]!;
    const n = batch.atomsPtr[s + 1]! - begin;
    if (n === 0) continue;
    const types = lammpsTypes(batch, s);
    const run = await runLammps(
      {
        'data.lmp': lammpsDataFile(batch, s),
        'in.lmp': singlePointDeck(lammpsBoundary(batch, s), types, potential),
      },
      ['thermo.txt', 'dump.txt'],
    );
    const thermo = run.files.get('thermo.txt')!.trim().split(/\s+/).map(Number);
    if (thermo.length !== 8 || thermo.some((v) => !Number.isFinite(v))) {
      throw new Error(`unexpected LAMMPS thermo output: ${run.files.get('thermo.txt')}`);
    }
    const [pe, pxx, pyy, pzz, pxy, pxz, pyz, vol] = thermo as [number, ...number[]];
    result.energy[s] = pe;
    // compute pressure NULL virial: P_ab = W_ab / V · nktv2p, with W = Σ r_ij ⊗ f_ij (the reference's sign).
    const w = (x: number) => (x * vol!) / METAL_NKTV2P;
    result.virial.set(
      [w(pxx!), w(pxy!), w(pxz!), w(pxy!), w(pyy!), w(pyz!), w(pxz!), w(pyz!), w(pzz!)],
      9 * s,
    );
    const rows = parseDumpRows(run.files.get('dump.txt')!);
    if (rows.length !== n) throw new Error(`LAMMPS dumped ${rows.length} atoms; expected ${n} (atoms lost?)`);
    for (const row of rows) {
      const i = begin + row[0]! - 1;
      result.forces.set(row.slice(1, 4), 3 * i);
      result.energies[i] = row[4]!;
      // stress/atom NULL virial is −W_i · nktv2p (bar·Å³).
      for (let k = 0; k < 6; k++) result.atomVirial[6 * i + k] = -row[5 + k]! / METAL_NKTV2P;
    }
  }
  fillStress(batch, result);
  return result;
}

/**
 * Lennard-Jones energies, forces, per-atom energies and virials of every system of the batch,
 * computed by LAMMPS (one `run 0` per system), in the layout of the f64 reference's ForceResult.
 * Periodic images are LAMMPS's own (ghost atoms), so this has no limit on the cell size.
 */
export async function lammpsLennardJones(batch: Batch, p: LennardJonesParams): Promise<ForceResult> {
  return lammpsEvaluate(batch, { kind: 'lennard-jones', ...p });
}

/**
 * Runs `steps` velocity-Verlet steps (`fix nve`, time step `dt` fs) of system `s` in LAMMPS from
 * the batch's positions and velocities (written to the data file, Å/fs → Å/ps) and returns the
 * final unwrapped positions (`xu yu zu`, Å; relative to the wrapped start, so compare up to a
 * lattice translation) and velocities (Å/fs), in the order of the system's atoms. The neighbor
 * list is checked every step (`neigh_modify every 1 delay 0 check yes`).
 */
export async function lammpsNve(
  batch: Batch,
  s: number,
  potential: LammpsPotential,
  dt: number,
  steps: number,
): Promise<{ positions: Float64Array; velocities: Float64Array }> {
  const begin = batch.atomsPtr[s]!;
  const n = batch.atomsPtr[s + 1]! - begin;
  const types = lammpsTypes(batch, s);
  const deck = [
    'units metal',
    'atom_style atomic',
    'atom_modify map array',
    `boundary ${lammpsBoundary(batch, s)}`,
    'read_data data.lmp',
    ...lammpsPairLines(types, potential),
    'neighbor 1.0 bin',
    'neigh_modify every 1 delay 0 check yes',
    `timestep ${dt / 1000}`,
    'fix integrate all nve',
    'thermo 0',
    `run ${steps}`,
    'write_dump all custom traj.txt id xu yu zu vx vy vz modify sort id format float %.17g',
    '',
  ].join('\n');
  const run = await runLammps(
    {
      'data.lmp': lammpsDataFile(batch, s, { velocities: true, velocityScale: 1000, margin: 5 }),
      'in.lmp': deck,
    },
    ['traj.txt'],
  );
  const rows = parseDumpRows(run.files.get('traj.txt')!);
  if (rows.length !== n) throw new Error(`LAMMPS dumped ${rows.length} atoms; expected ${n} (atoms lost?)`);
  const positions = new Float64Array(3 * n);
  const velocities = new Float64Array(3 * n);
  for (const row of rows) {
    const i = row[0]! - 1;
    positions.set(row.slice(1, 4), 3 * i);
    velocities.set(
      row.slice(4, 7).map((v) => v / 1000),
      3 * i,
    );
  }
  return { positions, velocities };
}

/**
 * Server side of the `lammpsLennardJones` Vitest browser command (registered in vitest.config.ts):
 * GPU tests running in Chromium send a plain batch and get LAMMPS's numbers back.
 */
export const lammpsLennardJonesCommand: BrowserCommand<
  [PlainBatch, LennardJonesParams],
  Promise<PlainForceResult>
> = async (_context, batch, params) =>
  toPlainForceResult(await lammpsLennardJones(fromPlainBatch(batch), params));

/**
 * Server side of the `lammpsEvaluate` Vitest browser command (registered in vitest.config.ts): a
 * `run 0` of every system under any potential LAMMPS shares with the workbench (EAM files are
 * paths on the test server).
 */
export const lammpsEvaluateCommand: BrowserCommand<
  [PlainBatch, LammpsPotential],
  Promise<PlainForceResult>
> = async (_context, batch, potential) =>
  toPlainForceResult(await lammpsEvaluate(fromPlainBatch(batch), potential));

/**
 * Server side of the `lammpsNve` Vitest browser command: {@link lammpsNve} of system `s` (positions
 * Å, unwrapped; velocities Å/fs; in the order of the system's atoms).
 */
export const lammpsNveCommand: BrowserCommand<
  [PlainBatch, number, LammpsPotential, number, number],
  Promise<{ positions: number[]; velocities: number[] }>
> = async (_context, batch, s, potential, dt, steps) => {
  const out = await lammpsNve(fromPlainBatch(batch), s, potential, dt, steps);
  return { positions: Array.from(out.positions), velocities: Array.from(out.velocities) };
};
