/**
 * Helpers shared by the GPU tests (*.gpu.test.ts): a real device with validation error scopes, test
 * systems, and comparisons with the f64 reference at the tolerances of DESIGN §3. Test-only.
 */
import { expect } from 'vitest';
import type { LennardJonesSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import { cloneBatch } from '../batch.ts';
import { requestGpuDevice } from '../device.ts';
import type { ForceResult } from '../reference/lennardJones.ts';
import {
  buildFcc,
  concatenateBatches,
  mulberry32,
  randomPositions,
  setMaxwellBoltzmann,
} from '../structures/index.ts';
import { createGpuEngine, type WebGpuEngine } from './engine.ts';
import type { GpuDynamics } from './types.ts';

/** Argon, shifted at 8.5 Å. */
export const ARGON: LennardJonesSpec = {
  kind: 'lennard-jones',
  epsilon: 0.0104,
  sigma: 3.4,
  cutoff: 8.5,
  shift: true,
};
export const ARGON_MASS = 39.948;

/** A device for a test file; fails loudly without WebGPU. */
export async function testDevice(): Promise<GPUDevice> {
  const { device } = await requestGpuDevice();
  return device;
}

/** Runs `body` inside validation and out-of-memory error scopes and fails on any error. */
export async function withErrorScopes<T>(device: GPUDevice, body: () => Promise<T>): Promise<T> {
  device.pushErrorScope('validation');
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('internal');
  const out = await body();
  const errors = [await device.popErrorScope(), await device.popErrorScope(), await device.popErrorScope()];
  for (const e of errors) expect(e?.message ?? null).toBeNull();
  return out;
}

/** Argon fcc crystal of repeat³ cells (a = 5.26 Å) with jitter (Å) and optional temperature (K). */
export function argonFcc(repeat: number, jitter: number, temperature = 0, seed = 1): Batch {
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

/** n argon atoms at random in a box, none closer than 3.1 Å (a liquid-like configuration). */
export function argonRandom(
  n: number,
  box: [number, number, number],
  seed: number,
  pbc = [true, true, true],
): Batch {
  const positions = randomPositions(n, box, 3.1, seed);
  return {
    nAtoms: n,
    nSystems: 1,
    atomsPtr: Int32Array.of(0, n),
    positions,
    velocities: new Float64Array(3 * n),
    masses: new Float64Array(n).fill(ARGON_MASS),
    types: new Int32Array(n),
    atomicNumbers: new Int32Array(n).fill(18),
    cells: Float64Array.of(box[0], 0, 0, 0, box[1], 0, 0, 0, box[2]),
    pbc: Uint8Array.from(pbc, (p) => (p ? 1 : 0)),
    systemIds: Int32Array.of(0),
  };
}

/** A slab: the fcc crystal in a cell twice as tall along z, open along z. */
export function argonSlab(repeat: number, jitter: number): Batch {
  const b = argonFcc(repeat, jitter);
  b.cells[8] = 2 * b.cells[8]!;
  b.pbc[2] = 0;
  return b;
}

/** Marks every `every`-th atom NULL (type −1), starting at `first`. */
export function withNullAtoms(batch: Batch, every: number, first = 0): Batch {
  const b = cloneBatch(batch);
  for (let i = first; i < b.nAtoms; i += every) b.types[i] = -1;
  return b;
}

/** Maxwell–Boltzmann velocities at `temperature` K (deterministic in seed). */
export function withVelocities(batch: Batch, temperature: number, seed: number): Batch {
  const b = cloneBatch(batch);
  setMaxwellBoltzmann(b, temperature, mulberry32(seed));
  return b;
}

export { concatenateBatches };

/** |a − b| ≤ abs + rel·|b| elementwise; reports the worst element. */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  abs: number,
  rel: number,
  what: string,
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let k = 0; k < expected.length; k++) {
    const excess = Math.abs(actual[k]! - expected[k]!) - (abs + rel * Math.abs(expected[k]!));
    if (!(excess <= worstExcess)) {
      worstExcess = Number.isNaN(excess) ? Number.POSITIVE_INFINITY : excess;
      worst = k;
    }
  }
  if (worst >= 0) {
    expect.fail(`${what}[${worst}] = ${actual[worst]} vs ${expected[worst]} (abs ${abs}, rel ${rel})`);
  }
}

/** Forces within 1e-4 eV/Å + 1e-3 relative, per-system energy within 1e-5 relative (DESIGN §3). */
export function expectForcesClose(actual: ArrayLike<number>, reference: ForceResult, what: string): void {
  expectClose(actual, reference.forces, 1e-4, 1e-3, `${what} forces`);
}

/**
 * Positions compared up to lattice translations along each system's periodic axes (GPU positions
 * are wrapped into the cell; restricted triclinic cells: c, then b, then a).
 */
export function expectPositionsClose(
  actual: ArrayLike<number>,
  batch: Batch,
  abs: number,
  what: string,
): void {
  const delta = new Float64Array(3 * batch.nAtoms);
  for (let s = 0; s < batch.nSystems; s++) {
    const cell = batch.cells.subarray(9 * s, 9 * s + 9);
    for (let i = batch.atomsPtr[s]!; i < batch.atomsPtr[s + 1]!; i++) {
      const d = [0, 1, 2].map((a) => actual[3 * i + a]! - batch.positions[3 * i + a]!);
      for (let a = 2; a >= 0; a--) {
        if (!batch.pbc[3 * s + a]) continue;
        const n = Math.round(d[a]! / cell[4 * a]!);
        for (let c = 0; c < 3; c++) d[c]! -= n * cell[3 * a + c]!;
      }
      delta.set(d, 3 * i);
    }
  }
  expectClose(delta, new Float64Array(delta.length), abs, 0, `${what} positions`);
}

/** A copy of `batch` with positions (and velocities) replaced by f32 data read from the GPU. */
export function batchAt(batch: Batch, positions: ArrayLike<number>, velocities?: ArrayLike<number>): Batch {
  const b = cloneBatch(batch);
  b.positions = Float64Array.from(positions);
  if (velocities) b.velocities = Float64Array.from(velocities);
  return b;
}

/** An argon LJ engine with forces evaluated once (as the runner does before the first step). */
export async function startArgonEngine(
  device: GPUDevice,
  batch: Batch,
  status?: Int32Array,
): Promise<WebGpuEngine> {
  const engine = await createGpuEngine(device, batch, ARGON, { skin: 1 });
  engine.writeStatus(status ?? new Int32Array(batch.nSystems));
  engine.resetStepCounters();
  const encoder = device.createCommandEncoder();
  engine.encodeCompute(encoder);
  device.queue.submit([encoder.finish()]);
  return engine;
}

/** `n` steps of `dynamics` in one encoder, as the stage runner encodes a chunk. */
export function runSteps(engine: WebGpuEngine, dynamics: GpuDynamics, code: number, n: number): void {
  const encoder = engine.device.createCommandEncoder();
  for (let k = 0; k < n; k++) {
    dynamics.encodePreUpdate(encoder, code);
    engine.encodeCompute(encoder);
    dynamics.encodePostUpdate(encoder, code);
  }
  engine.device.queue.submit([encoder.finish()]);
}

/** Positions within `dx` Å, velocities within 1e-6 Å/fs + 1e-3 relative, forces within DESIGN §3. */
export async function expectStateClose(
  engine: WebGpuEngine,
  ref: Batch,
  forces: ForceResult,
  dx: number,
  what: string,
): Promise<void> {
  const atoms = await engine.readAtoms();
  expectPositionsClose(atoms.positions, ref, dx, what);
  expectClose(atoms.velocities, ref.velocities, 1e-6, 1e-3, `${what} velocities`);
  expectForcesClose(atoms.forces, forces, what);
}
