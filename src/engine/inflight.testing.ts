/**
 * Test fixtures for inflight batching and constraints, shared by the CPU engine's unit tests and
 * the GPU tests (no GPU or vitest imports, so Node can load it). Test-only.
 */
import type { LennardJonesSpec } from '../io/spec.ts';
import type { Batch } from './batch.ts';
import { cloneBatch } from './batch.ts';
import type { Dynamics, Engine } from './gpu/types.ts';
import {
  buildFcc,
  concatenateBatches,
  mulberry32,
  randomPositions,
  setMaxwellBoltzmann,
} from './structures/index.ts';

/** Argon, shifted at 8.5 Å. */
export const ARGON_LJ: LennardJonesSpec = {
  kind: 'lennard-jones',
  epsilon: 0.0104,
  sigma: 3.4,
  cutoff: 8.5,
  shift: true,
};
const ARGON_MASS = 39.948;

/** An empty slot as the resident batch composes it: one NULL atom (mass 1 amu) in a 1 Å open box. */
export function emptySlot(): Batch {
  return nullReservoir(1);
}

/** A reservoir of `n` NULL atoms (mass 1 amu) at the centre of a 1 Å open box. */
export function nullReservoir(n: number): Batch {
  return {
    nAtoms: n,
    nSystems: 1,
    atomsPtr: Int32Array.of(0, n),
    positions: new Float64Array(3 * n).fill(0.5),
    velocities: new Float64Array(3 * n),
    masses: new Float64Array(n).fill(1),
    types: new Int32Array(n).fill(-1),
    atomicNumbers: new Int32Array(n),
    cells: Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1),
    pbc: new Uint8Array(3),
    systemIds: Int32Array.of(-1),
  };
}

/** Argon fcc crystal of repeat³ cells (a = 5.26 Å, periodic) with jitter (Å), at `temperature` K. */
export function argonCrystal(repeat: number, jitter: number, temperature: number, seed: number): Batch {
  return buildFcc({
    kind: 'fcc',
    element: 'Ar',
    mass: ARGON_MASS,
    latticeConstant: 5.26,
    repeat: [repeat, repeat, repeat],
    voidRadius: 0,
    temperature,
    jitter,
    seed,
  });
}

/** n argon atoms at random in a box (none closer than 3.1 Å), periodic or not, at `temperature` K. */
export function argonGas(
  n: number,
  box: number,
  periodic: boolean,
  temperature: number,
  seed: number,
): Batch {
  const b: Batch = {
    nAtoms: n,
    nSystems: 1,
    atomsPtr: Int32Array.of(0, n),
    positions: randomPositions(n, [box, box, box], 3.1, seed),
    velocities: new Float64Array(3 * n),
    masses: new Float64Array(n).fill(ARGON_MASS),
    types: new Int32Array(n),
    atomicNumbers: new Int32Array(n).fill(18),
    cells: Float64Array.of(box, 0, 0, 0, box, 0, 0, 0, box),
    pbc: new Uint8Array(3).fill(periodic ? 1 : 0),
    systemIds: Int32Array.of(seed),
  };
  if (temperature > 0) setMaxwellBoltzmann(b, temperature, mulberry32(seed));
  return b;
}

/** The systems joined into one batch. */
export function join(...systems: Batch[]): Batch {
  return concatenateBatches(systems);
}

/**
 * A copy of system `s` of `batch` (a one-system batch) with positions and velocities taken from
 * `atoms` (3 per atom of the whole batch, batch order): a survivor as the runner carries it over.
 */
export function survivor(
  batch: Batch,
  s: number,
  atoms: { positions: ArrayLike<number>; velocities: ArrayLike<number> },
): Batch {
  const a = batch.atomsPtr[s]!;
  const e = batch.atomsPtr[s + 1]!;
  const out: Batch = {
    nAtoms: e - a,
    nSystems: 1,
    atomsPtr: Int32Array.of(0, e - a),
    positions: Float64Array.from({ length: 3 * (e - a) }, (_, k) => atoms.positions[3 * a + k]!),
    velocities: Float64Array.from({ length: 3 * (e - a) }, (_, k) => atoms.velocities[3 * a + k]!),
    masses: batch.masses.slice(a, e),
    types: batch.types.slice(a, e),
    atomicNumbers: batch.atomicNumbers.slice(a, e),
    cells: batch.cells.slice(9 * s, 9 * s + 9),
    pbc: batch.pbc.slice(3 * s, 3 * s + 3),
    systemIds: batch.systemIds.slice(s, s + 1),
  };
  return cloneBatch(out);
}

/** `n` steps of `dynamics` on `code` in one command list, as the stage runner records a chunk. */
export function steps<C>(engine: Engine<C>, dynamics: Dynamics<C>, code: number, n: number): void {
  const commands = engine.begin('steps');
  for (let k = 0; k < n; k++) {
    dynamics.encodePreUpdate(commands, code);
    engine.encodeCompute(commands);
    dynamics.encodePostUpdate(commands, code);
  }
  engine.submit(commands);
}

/** One force evaluation and the statistics, in one command list. */
export function computeAndStats<C>(engine: Engine<C>): void {
  const commands = engine.begin('compute');
  engine.encodeCompute(commands);
  engine.encodeStats(commands);
  engine.submit(commands);
}

/** Flags (1 = frozen) for every atom whose batch index i has i % every === first % every. */
export function everyNth(nAtoms: number, every: number, first = 0): Uint8Array {
  return Uint8Array.from({ length: nAtoms }, (_, i) => (i % every === first % every ? 1 : 0));
}
