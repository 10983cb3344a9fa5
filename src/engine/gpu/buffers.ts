/**
 * The GPU-resident batch: per-atom structure-of-arrays buffers and per-system buffers shared by the
 * neighbor list, the potential, the reductions and the dynamics. Layouts are documented at the top
 * of kernels/common/structs.wgsl.
 */
import type { Batch } from '../batch.ts';
import { systemOfAtom } from '../batch.ts';
import { ACCELERATION_PER_FORCE_OVER_MASS } from '../units.ts';
import type { KernelSet } from './kernels.ts';
import {
  CONTROL_WORDS,
  packSystems,
  type ReductionBlocks,
  STATISTICS_FLOATS,
  type SystemGrid,
} from './layout.ts';

const STORAGE = GPUBufferUsage.STORAGE;
const COPY = GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** Buffers of one batch on the GPU. */
export interface BatchBuffers {
  nAtoms: number;
  nSystems: number;
  /** vec4f per atom: xyz Å, w = type (−1 NULL). */
  positions: GPUBuffer;
  /** vec4f per atom: xyz Å/fs, w = ACCELERATION_PER_FORCE_OVER_MASS / mass. */
  velocities: GPUBuffer;
  /** vec4f per atom: xyz eV/Å, w = per-atom energy eV. */
  forces: GPUBuffer;
  /** 2 vec4f per atom, column-major: (xx, yy, zz, xy), (xz, yz, 0, 0), eV. */
  virials: GPUBuffer;
  /** u32 per atom. */
  systemOf: GPUBuffer;
  /**
   * u32 per atom: the atom's index in the uploaded batch. Rows are permuted into cell order at each
   * neighbor-list rebuild (within each system's row range); read-backs un-permute through this.
   */
  originalIndex: GPUBuffer;
  /** `System` per system. */
  systems: GPUBuffer;
  /** i32 per system: status code. */
  status: GPUBuffer;
  /** u32 per system: steps of the current stage (advanced by post-updates). */
  steps: GPUBuffer;
  /** atomic u32 × CONTROL_WORDS: rebuild requested, rebuild count, longest overflowing row. */
  control: GPUBuffer;
  /** vec4u per reduction block: system, first atom, end atom, 0. */
  blocks: GPUBuffer;
  blockCount: number;
  /** 16 f32 per system (see statistics_systems.wgsl). */
  statistics: GPUBuffer;
}

/** Packs positions (xyz Å, w = type) as vec4f. */
export function packPositions(
  positions: ArrayLike<number>,
  types: ArrayLike<number>,
): Float32Array<ArrayBuffer> {
  const out = new Float32Array(4 * types.length);
  for (let i = 0; i < types.length; i++) {
    out[4 * i] = positions[3 * i]!;
    out[4 * i + 1] = positions[3 * i + 1]!;
    out[4 * i + 2] = positions[3 * i + 2]!;
    out[4 * i + 3] = types[i]! < 0 ? -1 : types[i]!;
  }
  return out;
}

/** Packs velocities (xyz Å/fs, w = conversion / mass) as vec4f. */
export function packVelocities(
  velocities: ArrayLike<number>,
  masses: ArrayLike<number>,
): Float32Array<ArrayBuffer> {
  const out = new Float32Array(4 * masses.length);
  for (let i = 0; i < masses.length; i++) {
    out[4 * i] = velocities[3 * i]!;
    out[4 * i + 1] = velocities[3 * i + 1]!;
    out[4 * i + 2] = velocities[3 * i + 2]!;
    out[4 * i + 3] = ACCELERATION_PER_FORCE_OVER_MASS / masses[i]!;
  }
  return out;
}

/** 0, 1, …, n − 1: the original index of every row before any sort. */
export function identityPermutation(n: number): Uint32Array<ArrayBuffer> {
  return Uint32Array.from({ length: n }, (_, i) => i);
}

/**
 * xyz of a vec4f array in original order: row k of `data` belongs to atom `originalIndex[k]`
 * (identity when omitted).
 */
export function unpackXyz(data: Float32Array, n: number, originalIndex?: Uint32Array): Float32Array {
  const out = new Float32Array(3 * n);
  for (let k = 0; k < n; k++) {
    const i = originalIndex ? originalIndex[k]! : k;
    out[3 * i] = data[4 * k]!;
    out[3 * i + 1] = data[4 * k + 1]!;
    out[3 * i + 2] = data[4 * k + 2]!;
  }
  return out;
}

/** Uploads a batch. */
export function createBatchBuffers(
  kernels: KernelSet,
  batch: Batch,
  grids: readonly SystemGrid[],
  blocks: ReductionBlocks,
): BatchBuffers {
  const n = batch.nAtoms;
  const k = kernels;
  return {
    nAtoms: n,
    nSystems: batch.nSystems,
    positions: k.createBufferWith('positions', packPositions(batch.positions, batch.types), STORAGE | COPY),
    velocities: k.createBufferWith(
      'velocities',
      packVelocities(batch.velocities, batch.masses),
      STORAGE | COPY,
    ),
    forces: k.createBuffer('forces', 16 * n, STORAGE | COPY),
    virials: k.createBuffer('virials', 32 * n, STORAGE | COPY),
    systemOf: k.createBufferWith('systemOf', Uint32Array.from(systemOfAtom(batch)), STORAGE),
    originalIndex: k.createBufferWith('originalIndex', identityPermutation(n), STORAGE | COPY),
    systems: k.createBufferWith('systems', packSystems(batch, grids, blocks), STORAGE),
    status: k.createBuffer('status', 4 * batch.nSystems, STORAGE | COPY),
    steps: k.createBuffer('steps', 4 * batch.nSystems, STORAGE | COPY),
    control: k.createBufferWith(
      'control',
      Uint32Array.from({ length: CONTROL_WORDS }, (_, k) => (k === 0 ? 1 : 0)),
      STORAGE | COPY,
    ),
    blocks: k.createBufferWith('reduction blocks', blocks.table, STORAGE),
    blockCount: blocks.count,
    statistics: k.createBuffer('statistics', 4 * STATISTICS_FLOATS * batch.nSystems, STORAGE | COPY),
  };
}

/** Destroys every buffer of a batch. */
export function destroyBatchBuffers(b: BatchBuffers): void {
  for (const buffer of [
    b.positions,
    b.velocities,
    b.forces,
    b.virials,
    b.systemOf,
    b.originalIndex,
    b.systems,
    b.status,
    b.steps,
    b.control,
    b.blocks,
    b.statistics,
  ]) {
    buffer.destroy();
  }
}
