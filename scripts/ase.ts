/**
 * ASE as an independent reference (DESIGN §9): runs tools/ase/ase_bridge.py under the system Python
 * with Debian's `python3-ase` (3.22) and returns FIRE minima and velocity-Verlet trajectories computed
 * with ASE's own `LennardJones` calculator. Node only; GPU tests reach it through the `aseFire` and
 * `aseVelocityVerlet` browser commands (registered in vitest.config.ts, declared in
 * src/engine/crosscheck/aseCommands.ts).
 *
 * ASE 3.22's `LennardJones(rc, smooth=False)` always shifts each pair energy by −V(rc) inside the
 * cutoff, so it matches the workbench's Lennard-Jones with `shift: true` (forces are the same either
 * way). ASE's FIRE is massless (v += dt·F in ASE time units, Å·sqrt(amu/eV) = 10.1805 fs): with every
 * mass 1 amu it takes the same steps as the workbench's mass-weighted FIRE with dt and dtMax in fs.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserCommand } from 'vitest/node';
import type { Batch } from '../src/engine/batch.ts';
import type { PlainBatch } from '../src/engine/crosscheck/plain.ts';
import { fromPlainBatch } from '../src/engine/crosscheck/plain.ts';

/** The Python with ASE: `ASE_PYTHON`, or Debian's /usr/bin/python3 (scripts/ensure-system-deps.sh). */
export const asePython: string = process.env.ASE_PYTHON ?? '/usr/bin/python3';

const bridge = join(dirname(fileURLToPath(import.meta.url)), '..', 'tools', 'ase', 'ase_bridge.py');

/** Lennard-Jones parameters as ASE's calculator takes them (always shifted to 0 at the cutoff). */
export interface AseLennardJones {
  /** Well depth ε, eV. */
  epsilon: number;
  /** Zero-crossing distance σ, Å. */
  sigma: number;
  /** Cutoff radius rc, Å. */
  cutoff: number;
}

/** ASE FIRE's settings, in the workbench's units (the bridge converts fs to ASE time units). */
export interface AseFireParams {
  /** Initial time step, fs (ASE's default 0.1 ASE time units = 1.018 fs). */
  dt: number;
  /** Largest time step, fs (ASE's default 1.0 ASE time unit = 10.18 fs). */
  dtMax: number;
  /** Largest displacement of a system in one step, norm over all its atoms, Å (ASE's maxstep). */
  maxStep: number;
  /** Converged when max |F| < fmax, eV/Å. */
  fmax: number;
  /** Most steps per system. */
  steps: number;
}

/** ASE's FIRE result for one system. */
export interface AseFireSystem {
  /** Potential energy at the end, eV (shifted LJ). */
  energy: number;
  /** FIRE steps taken. */
  steps: number;
  converged: boolean;
  /** Largest |F| at the end, eV/Å. */
  fmax: number;
  /** Final positions, Å, xyz interleaved (when asked for). */
  positions?: number[];
}

/** ASE's FIRE results for a batch: one row per system, and the wall time of the relaxations alone. */
export interface AseFireResult {
  systems: AseFireSystem[];
  /** Wall time of the relaxation loop (calculator set-up and JSON excluded), s. */
  seconds: number;
  /** ASE's version. */
  ase: string;
}

/** ASE's velocity-Verlet trajectory end point. */
export interface AseVerletResult {
  /** Final positions, Å, unwrapped (ASE does not wrap), xyz interleaved. */
  positions: number[];
  /** Final velocities, Å/fs. */
  velocities: number[];
  /** Final potential energy, eV. */
  energy: number;
  ase: string;
}

/** Runs the bridge with one JSON request and parses its JSON answer; errors quote Python's stderr. */
export function runAseBridge<T>(request: unknown, options: { timeoutMs?: number } = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = execFile(
      asePython,
      [bridge],
      { timeout: options.timeoutMs ?? 3_600_000, maxBuffer: 1 << 30 },
      (error, stdout, stderr) => {
        if (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
            reject(
              new Error(
                `no Python at ${asePython}: run scripts/ensure-system-deps.sh (python3-ase), or set ASE_PYTHON`,
              ),
            );
            return;
          }
          const tail = stderr.trim().split('\n').slice(-15).join('\n');
          reject(new Error(`the ASE bridge failed (${error.message.split('\n')[0]}):\n${tail}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout) as T);
        } catch (e) {
          reject(new Error(`the ASE bridge wrote no JSON: ${(e as Error).message}\n${stdout.slice(0, 500)}`));
        }
      },
    );
    child.stdin?.end(JSON.stringify(request));
  });
}

/** System `s` of a batch as the bridge reads it. */
function aseSystem(batch: Batch, s: number, withVelocities: boolean) {
  const begin = batch.atomsPtr[s]!;
  const end = batch.atomsPtr[s + 1]!;
  return {
    positions: Array.from(batch.positions.subarray(3 * begin, 3 * end)),
    cell: Array.from(batch.cells.subarray(9 * s, 9 * s + 9)),
    pbc: Array.from(batch.pbc.subarray(3 * s, 3 * s + 3), (p) => p === 1),
    masses: Array.from(batch.masses.subarray(begin, end)),
    ...(withVelocities ? { velocities: Array.from(batch.velocities.subarray(3 * begin, 3 * end)) } : {}),
  };
}

/**
 * ASE's FIRE (massless) on every system of the batch from its positions, one after the other in one
 * Python process (or split over `processes` processes run side by side, for tests: `seconds` is then
 * the wall time of the slowest), until max |F| < fmax or `steps` steps. ASE ignores the batch's masses.
 */
export async function aseFire(
  batch: Batch,
  lj: AseLennardJones,
  p: AseFireParams,
  options: { positions?: boolean; timeoutMs?: number; processes?: number } = {},
): Promise<AseFireResult> {
  const fire = { dt: p.dt, dtmax: p.dtMax, maxstep: p.maxStep, fmax: p.fmax, steps: p.steps };
  const parts = splitByAtoms(batch, Math.max(1, Math.min(options.processes ?? 1, batch.nSystems)));
  const results = await Promise.all(
    parts.map((systems) =>
      runAseBridge<AseFireResult>(
        {
          task: 'fire',
          systems: systems.map((s) => aseSystem(batch, s, false)),
          lj,
          fire,
          positions: options.positions ?? true,
        },
        options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs },
      ),
    ),
  );
  const rows = new Array<AseFireSystem>(batch.nSystems);
  parts.forEach((systems, k) => {
    systems.forEach((s, j) => {
      rows[s] = results[k]!.systems[j]!;
    });
  });
  return {
    systems: rows,
    seconds: Math.max(...results.map((r) => r.seconds)),
    ase: results[0]!.ase,
  };
}

/** Systems 0 … n − 1 in `parts` contiguous runs of about equal atom counts. */
function splitByAtoms(batch: Batch, parts: number): number[][] {
  const out: number[][] = Array.from({ length: parts }, () => []);
  const total = batch.nAtoms;
  for (let s = 0; s < batch.nSystems; s++) {
    const middle = (batch.atomsPtr[s]! + batch.atomsPtr[s + 1]!) / 2;
    out[Math.min(parts - 1, Math.floor((parts * middle) / Math.max(1, total)))]!.push(s);
  }
  return out.filter((systems) => systems.length > 0);
}

/**
 * `steps` steps of ASE's VelocityVerlet of time step `dt` fs on system `s` of the batch, from its
 * positions and velocities (Å/fs) with its masses.
 */
export function aseVelocityVerlet(
  batch: Batch,
  s: number,
  lj: AseLennardJones,
  dt: number,
  steps: number,
): Promise<AseVerletResult> {
  return runAseBridge<AseVerletResult>({ task: 'verlet', system: aseSystem(batch, s, true), lj, dt, steps });
}

/**
 * Server side of the `aseFire` browser command (vitest.config.ts): {@link aseFire} of a plain batch,
 * over `processes` Python processes (default 1).
 */
export const aseFireCommand: BrowserCommand<
  [PlainBatch, AseLennardJones, AseFireParams, number?],
  Promise<AseFireResult>
> = async (_context, batch, lj, params, processes) =>
  aseFire(fromPlainBatch(batch), lj, params, processes === undefined ? {} : { processes });

/** Server side of the `aseVelocityVerlet` browser command (vitest.config.ts): {@link aseVelocityVerlet}. */
export const aseVelocityVerletCommand: BrowserCommand<
  [PlainBatch, number, AseLennardJones, number, number],
  Promise<AseVerletResult>
> = async (_context, batch, s, lj, dt, steps) => aseVelocityVerlet(fromPlainBatch(batch), s, lj, dt, steps);
