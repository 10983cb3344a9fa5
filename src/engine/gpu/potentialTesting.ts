/**
 * Helpers of the Morse and EAM GPU tests: LAMMPS potential files read through the
 * `readPotentialFile` browser command (scripts/potentialFiles.ts), EAM tables of a spec, and one
 * force evaluation on the GPU compared with the f64 reference at the tolerances of DESIGN §3.
 * Test-only.
 */
import { expect } from 'vitest';
import { commands } from 'vitest/browser';
import { parseEamPotential } from '../../io/lammpsPotential.ts';
import { type PotentialSpec, StageSpec } from '../../io/spec.ts';
import type { AtomState, SystemStats } from '../api.ts';
import { type Batch, cloneBatch } from '../batch.ts';
import { cartesian, fractional } from '../cell.ts';
import { type EamTabulation, eamTabulation } from '../potentials/eamTabulation.ts';
import { nveStep } from '../reference/dynamics.ts';
import type { ForceResult } from '../reference/forceResult.ts';
import { createGpuEngine, type WebGpuEngine } from './engine.ts';
import { expectClose, expectForcesClose } from './testing.ts';

declare module 'vitest/browser' {
  interface BrowserCommands {
    /** Text of a file of Debian's lammps-data potentials directory (scripts/potentialFiles.ts). */
    readPotentialFile: (path: string) => Promise<string>;
  }
}

/** LAMMPS's tables of an EAM spec from the files it names; undefined for other potentials. */
export async function tablesOf(p: PotentialSpec): Promise<EamTabulation | undefined> {
  if (p.kind !== 'eam') return undefined;
  const names = p.files ?? [p.file];
  const files = await Promise.all(
    names.map(async (f) => parseEamPotential(await commands.readPotentialFile(f), f, p.style)),
  );
  return eamTabulation(files, p.style, p.elements);
}

/** A copy of the batch with each atom's mass taken from the EAM file (as LAMMPS does). */
export function withFileMasses(batch: Batch, tables: EamTabulation | undefined): Batch {
  const b = cloneBatch(batch);
  if (!tables) return b;
  for (let i = 0; i < b.nAtoms; i++) {
    const t = b.types[i]!;
    const m = t >= 0 ? tables.masses[t] : undefined;
    if (m !== undefined && m > 0) b.masses[i] = m;
  }
  return b;
}

/** Builds an engine and evaluates forces once (neighbor list built, stats reduced). */
export async function evaluateOnGpu(
  device: GPUDevice,
  batch: Batch,
  potential: PotentialSpec,
  tables: EamTabulation | undefined,
  skin = 1,
): Promise<{ engine: WebGpuEngine; atoms: AtomState; stats: SystemStats }> {
  const engine = await createGpuEngine(device, batch, potential, { skin, ...(tables ? { tables } : {}) });
  engine.writeStatus(new Int32Array(batch.nSystems));
  const encoder = device.createCommandEncoder({ label: 'evaluate' });
  engine.encodeCompute(encoder);
  engine.encodeStats(encoder);
  device.queue.submit([encoder.finish()]);
  const stats = await engine.readStats();
  const atoms = await engine.readAtoms();
  return { engine, atoms, stats };
}

/**
 * GPU results against the f64 reference (DESIGN §3): forces 1e-4 eV/Å + 1e-3 relative, per-atom
 * energies 1e-5 of the largest |E_i| + 1e-5 relative, system energies 1e-5 relative, virial 5e-4 eV
 * (per-atom virials 5e-4 eV + 1e-3 relative),
 * and exact zeros on NULL atoms (type −1 or a NULL element, `isNull`). `virialRelative` widens
 * the virial tolerance for extreme states only (f32 resolves a virial of 4e4 eV to ~4e-3 eV).
 */
export function expectMatchesReference(
  atoms: AtomState,
  stats: SystemStats,
  ref: ForceResult,
  isNull: (atom: number) => boolean,
  what: string,
  virialRelative = 0,
): void {
  expectForcesClose(atoms.forces, ref, what);
  const eScale = Math.max(...ref.energies.map(Math.abs));
  expectClose(atoms.energies, ref.energies, 1e-5 * eScale, 1e-5, `${what} per-atom energy`);
  expectClose(stats.potentialEnergy, ref.energy, 0, 1e-5, `${what} energy`);
  expectClose(stats.virial, ref.virial, 5e-4, virialRelative, `${what} virial`);
  expect(atoms.virials, `${what}: per-atom virials read back`).toBeDefined();
  expectClose(atoms.virials ?? [], ref.atomVirial, 5e-4, 1e-3, `${what} per-atom virial`);
  for (let i = 0; i < atoms.energies.length; i++) {
    if (!isNull(i)) continue;
    const f = [atoms.forces[3 * i], atoms.forces[3 * i + 1], atoms.forces[3 * i + 2], atoms.energies[i]];
    expect(f, `${what}: NULL atom ${i}`).toEqual([0, 0, 0, 0]);
  }
}

/** Whether the potential ignores atom i: type −1, or a type whose EAM element is NULL. */
export function nullAtoms(batch: Batch, tables: EamTabulation | undefined): (i: number) => boolean {
  return (i) => {
    const t = batch.types[i]!;
    return t < 0 || (tables !== undefined && tables.type2frho[t] === -1);
  };
}

/** Steps and tolerance of the trajectory checks (issue 3: positions within 1e-3 Å after 100 steps). */
export const NVE_STEPS = 100;
export const NVE_POSITION_TOLERANCE = 1e-3;

/**
 * `steps` velocity-Verlet steps of `batch` on the GPU (chunks of 25 steps per encoder, as the
 * runner encodes them) and in f64 with `referenceForces`; expects positions within
 * {@link NVE_POSITION_TOLERANCE} Å (minimum image) and forces within DESIGN §3 at the end.
 */
export async function expectNveMatchesReference(
  device: GPUDevice,
  batch: Batch,
  potential: PotentialSpec,
  tables: EamTabulation | undefined,
  dt: number,
  referenceForces: (b: Batch) => ForceResult,
  what: string,
  skin = 1,
): Promise<void> {
  const { engine } = await evaluateOnGpu(device, batch, potential, tables, skin);
  const nve = engine.createDynamics(StageSpec.parse({ kind: 'nve', steps: NVE_STEPS, dt }));
  for (let done = 0; done < NVE_STEPS; done += 25) {
    const encoder = device.createCommandEncoder({ label: 'nve chunk' });
    for (let k = 0; k < Math.min(25, NVE_STEPS - done); k++) {
      nve.encodePreUpdate(encoder, 0);
      engine.encodeCompute(encoder);
      nve.encodePostUpdate(encoder, 0);
    }
    device.queue.submit([encoder.finish()]);
  }
  const atoms = await engine.readAtoms();
  const ref = cloneBatch(batch);
  let forces = referenceForces(ref);
  for (let k = 0; k < NVE_STEPS; k++) forces = nveStep(ref, forces, referenceForces, dt);
  expectClose(
    displacements(ref, atoms.positions, ref.positions),
    new Float64Array(3 * batch.nAtoms),
    NVE_POSITION_TOLERANCE,
    0,
    `${what} positions after ${NVE_STEPS} steps`,
  );
  expectForcesClose(atoms.forces, forces, `${what} after ${NVE_STEPS} steps`);
  nve.destroy();
  engine.destroy();
}

/**
 * a − b per atom (Å), reduced by whole lattice vectors along each system's periodic axes (the GPU
 * wraps positions into the cell; triclinic cells included).
 */
export function displacements(batch: Batch, a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(3 * batch.nAtoms);
  for (let s = 0; s < batch.nSystems; s++) {
    const cell = batch.cells.subarray(9 * s, 9 * s + 9);
    const begin = batch.atomsPtr[s]!;
    const end = batch.atomsPtr[s + 1]!;
    const d = new Float64Array(3 * (end - begin));
    for (let k = 0; k < d.length; k++) d[k] = a[3 * begin + k]! - b[3 * begin + k]!;
    const f = fractional(cell, d);
    for (let k = 0; k < f.length; k++) if (batch.pbc[3 * s + (k % 3)]) f[k]! -= Math.round(f[k]!);
    out.set(cartesian(cell, f), 3 * begin);
  }
  return out;
}
