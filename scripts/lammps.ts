/**
 * LAMMPS as an independent reference (DESIGN §9): writes a batch as a LAMMPS data file and an input
 * deck, runs `lmp` in a temporary directory and parses energies, forces and virials back. Node only.
 *
 * Vocabulary follows LAMMPS: `units metal` (eV, Å, amu, ps; pressure in bar), `atom_style atomic`,
 * `pair_style lj/cut`, `compute pe/atom`, `compute pressure NULL virial`.
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
import type { ForceResult, LennardJonesParams } from '../src/engine/reference/lennardJones.ts';

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
}

/** Maps the atoms of system `s` to LAMMPS types; LAMMPS keeps masses per type in `atom_style atomic`. */
export function lammpsTypes(batch: Batch, s: number): LammpsTypeMap {
  const begin = batch.atomsPtr[s]!;
  const end = batch.atomsPtr[s + 1]!;
  const key = new Map<string, number>();
  const masses: number[] = [];
  const activeTypes: number[] = [];
  const atomType = new Int32Array(end - begin);
  for (let i = begin; i < end; i++) {
    const t = batch.types[i]!;
    const m = batch.masses[i]!;
    const k = `${t}:${m}`;
    let lt = key.get(k);
    if (lt === undefined) {
      masses.push(m);
      lt = masses.length;
      key.set(k, lt);
      if (t !== -1) activeTypes.push(lt);
    }
    atomType[i - begin] = lt;
  }
  return { atomType, masses, activeTypes };
}

/** Box bounds (lo, hi) per axis, Å: the cell on periodic axes, the cell grown to hold every atom on the others. */
export function lammpsBox(batch: Batch, s: number): [number, number][] {
  const begin = batch.atomsPtr[s]!;
  const end = batch.atomsPtr[s + 1]!;
  const box: [number, number][] = [];
  for (let a = 0; a < 3; a++) {
    const l = batch.cells[9 * s + 4 * a]!;
    if (batch.pbc[3 * s + a] === 1) {
      box.push([0, l]);
      continue;
    }
    let lo = 0;
    let hi = l;
    for (let i = begin; i < end; i++) {
      const x = batch.positions[3 * i + a]!;
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    // A margin, because LAMMPS drops atoms that sit exactly on a fixed boundary.
    box.push([lo - 1, hi + 1]);
  }
  return box;
}

/**
 * A LAMMPS data file (`atom_style atomic`, orthorhombic box) of system `s`. Numbers are written with
 * JavaScript's shortest round-trip formatting, so LAMMPS reads back the exact f64 values. Positions on
 * periodic axes are wrapped into [0, L). With `velocities`, a Velocities section is written too (in
 * the batch's velocity unit: the caller picks the LAMMPS units that match).
 */
export function lammpsDataFile(batch: Batch, s: number, options: { velocities?: boolean } = {}): string {
  for (const k of [1, 2, 3, 5, 6, 7]) {
    if (batch.cells[9 * s + k] !== 0)
      throw new Error(`system ${s}: LAMMPS export supports orthorhombic cells only`);
  }
  const begin = batch.atomsPtr[s]!;
  const end = batch.atomsPtr[s + 1]!;
  const types = lammpsTypes(batch, s);
  const box = lammpsBox(batch, s);
  const lines: string[] = [
    `LAMMPS data file of system ${batch.systemIds[s] ?? s}, written by md-workbench`,
    '',
    `${end - begin} atoms`,
    `${types.masses.length} atom types`,
    '',
  ];
  box.forEach(([lo, hi], a) => {
    const name = 'xyz'[a]!;
    lines.push(`${lo} ${hi} ${name}lo ${name}hi`);
  });
  lines.push('', 'Masses', '');
  types.masses.forEach((m, t) => {
    lines.push(`${t + 1} ${m}`);
  });
  lines.push('', 'Atoms # atomic', '');
  const lengths = [batch.cells[9 * s]!, batch.cells[9 * s + 4]!, batch.cells[9 * s + 8]!];
  for (let i = begin; i < end; i++) {
    const x: number[] = [];
    for (let a = 0; a < 3; a++) {
      let v = batch.positions[3 * i + a]!;
      if (batch.pbc[3 * s + a] === 1) {
        const l = lengths[a]!;
        v -= l * Math.floor(v / l);
        if (v >= l) v = 0;
      }
      x.push(v);
    }
    lines.push(`${i - begin + 1} ${types.atomType[i - begin]} ${x[0]} ${x[1]} ${x[2]}`);
  }
  if (options.velocities) {
    lines.push('', 'Velocities', '');
    for (let i = begin; i < end; i++) {
      const v = batch.velocities;
      lines.push(`${i - begin + 1} ${v[3 * i]} ${v[3 * i + 1]} ${v[3 * i + 2]}`);
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
  const lines = [
    `pair_style lj/cut ${p.cutoff}`,
    `pair_modify shift ${p.shift ? 'yes' : 'no'}`,
    'pair_coeff * * 0.0 1.0',
  ];
  for (const i of types.activeTypes) {
    for (const j of types.activeTypes) {
      if (j >= i) lines.push(`pair_coeff ${i} ${j} ${p.epsilon} ${p.sigma}`);
    }
  }
  const nullTypes = types.masses.map((_, t) => t + 1).filter((t) => !types.activeTypes.includes(t));
  for (const t of nullTypes) lines.push(`neigh_modify exclude type ${t} ${t}`);
  for (const t of nullTypes) {
    for (const u of types.activeTypes)
      lines.push(`neigh_modify exclude type ${Math.min(t, u)} ${Math.max(t, u)}`);
  }
  return lines;
}

/** The input deck of a single-point Lennard-Jones evaluation (`run 0`) of the data file `data.lmp`. */
export function lennardJonesDeck(boundary: string, types: LammpsTypeMap, p: LennardJonesParams): string {
  return [
    'units metal',
    'atom_style atomic',
    'atom_modify map array',
    `boundary ${boundary}`,
    'read_data data.lmp',
    ...lennardJonesPairLines(types, p),
    'neighbor 1.0 bin',
    'compute peAtom all pe/atom',
    'compute virial all pressure NULL virial',
    'thermo_style custom step pe c_virial[1] c_virial[2] c_virial[3] c_virial[4] c_virial[5] c_virial[6]',
    'thermo_modify norm no',
    'dump forces all custom 1 dump.txt id fx fy fz c_peAtom',
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
 * Lennard-Jones energies, forces, per-atom energies and virials of every system of the batch,
 * computed by LAMMPS (one `run 0` per system), in the layout of the f64 reference's ForceResult.
 * Periodic images are LAMMPS's own (ghost atoms), so unlike the reference this has no 2·cutoff limit.
 */
export async function lammpsLennardJones(batch: Batch, p: LennardJonesParams): Promise<ForceResult> {
  const energy = new Float64Array(batch.nSystems);
  const energies = new Float64Array(batch.nAtoms);
  const forces = new Float64Array(3 * batch.nAtoms);
  const virial = new Float64Array(9 * batch.nSystems);
  for (let s = 0; s < batch.nSystems; s++) {
    const begin = batch.atomsPtr[s]!;
    const n = batch.atomsPtr[s + 1]! - begin;
    if (n === 0) continue;
    const types = lammpsTypes(batch, s);
    const run = await runLammps(
      {
        'data.lmp': lammpsDataFile(batch, s),
        'in.lmp': lennardJonesDeck(lammpsBoundary(batch, s), types, p),
      },
      ['thermo.txt', 'dump.txt'],
    );
    const thermo = run.files.get('thermo.txt')!.trim().split(/\s+/).map(Number);
    if (thermo.length !== 8 || thermo.some((v) => !Number.isFinite(v))) {
      throw new Error(`unexpected LAMMPS thermo output: ${run.files.get('thermo.txt')}`);
    }
    const [pe, pxx, pyy, pzz, pxy, pxz, pyz, vol] = thermo as [number, ...number[]];
    energy[s] = pe;
    // compute pressure NULL virial: P_ab = W_ab / V · nktv2p, with W = Σ r_ij ⊗ f_ij (the reference's sign).
    const w = (x: number) => (x * vol!) / METAL_NKTV2P;
    virial.set([w(pxx!), w(pxy!), w(pxz!), w(pxy!), w(pyy!), w(pyz!), w(pxz!), w(pyz!), w(pzz!)], 9 * s);
    const rows = parseDumpRows(run.files.get('dump.txt')!);
    if (rows.length !== n) throw new Error(`LAMMPS dumped ${rows.length} atoms; expected ${n} (atoms lost?)`);
    for (const row of rows) {
      const [id, fx, fy, fz, e] = row as [number, number, number, number, number];
      const i = begin + id - 1;
      forces[3 * i] = fx;
      forces[3 * i + 1] = fy;
      forces[3 * i + 2] = fz;
      energies[i] = e;
    }
  }
  return { energy, energies, forces, virial };
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
