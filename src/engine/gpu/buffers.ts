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
   * u32 per atom: the atom's index in the uploaded batch. Rows are uploaded in {@link uploadOrder}
   * and permuted into cell order at each neighbor-list rebuild (within each system's row range);
   * read-backs un-permute through this.
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
  /** vec4u per reduction block: system, first atom, end atom, 0 (room for `blockCapacity` blocks). */
  blocks: GPUBuffer;
  /** Blocks of the current batch (changes at a reload). */
  blockCount: number;
  /** Blocks the `blocks` buffer and every per-block partials buffer hold (see layout.ts blockCapacity). */
  blockCapacity: number;
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
  return packVelocitiesWith(velocities, inverseMasses(masses));
}

/**
 * velocities.w of every atom: ACCELERATION_PER_FORCE_OVER_MASS / mass (Å/fs² per eV/Å) as f32, and
 * 0 for atoms with `frozen[i]` ≠ 0 (infinite mass).
 */
export function inverseMasses(
  masses: ArrayLike<number>,
  frozen?: ArrayLike<number> | null,
): Float32Array<ArrayBuffer> {
  const out = new Float32Array(masses.length);
  for (let i = 0; i < masses.length; i++) {
    out[i] = frozen?.[i] ? 0 : ACCELERATION_PER_FORCE_OVER_MASS / masses[i]!;
  }
  return out;
}

/** Packs velocities (xyz Å/fs) with w = `inverseMass` (from {@link inverseMasses}): atoms of w = 0 get v = 0. */
export function packVelocitiesWith(
  velocities: ArrayLike<number>,
  inverseMass: Float32Array,
): Float32Array<ArrayBuffer> {
  const out = new Float32Array(4 * inverseMass.length);
  for (let i = 0; i < inverseMass.length; i++) {
    const w = inverseMass[i]!;
    if (w === 0) continue;
    out[4 * i] = velocities[3 * i]!;
    out[4 * i + 1] = velocities[3 * i + 1]!;
    out[4 * i + 2] = velocities[3 * i + 2]!;
    out[4 * i + 3] = w;
  }
  return out;
}

/** 0, 1, …, n − 1. */
export function identityPermutation(n: number): Uint32Array<ArrayBuffer> {
  return Uint32Array.from({ length: n }, (_, i) => i);
}

/**
 * The original index of each row as a batch is uploaded: within each system its non-NULL atoms in
 * batch order, then its NULL atoms (type −1) in batch order. Every list build keeps the NULL atoms
 * in the system's last rows (its null cell comes last) in this order, which lets assign_cells.wgsl
 * give them their slots without atomics and sort_cells.wgsl skip them (a reservoir of many NULL
 * atoms would otherwise cost a quadratic sort in one thread).
 */
export function uploadOrder(batch: Pick<Batch, 'nSystems' | 'atomsPtr' | 'types'>): Uint32Array<ArrayBuffer> {
  const order = new Uint32Array(batch.atomsPtr[batch.nSystems]!);
  let row = 0;
  for (let s = 0; s < batch.nSystems; s++) {
    const begin = batch.atomsPtr[s]!;
    const end = batch.atomsPtr[s + 1]!;
    for (let i = begin; i < end; i++) if (batch.types[i]! >= 0) order[row++] = i;
    for (let i = begin; i < end; i++) if (batch.types[i]! < 0) order[row++] = i;
  }
  return order;
}

/** vec4 rows in storage order: row k takes atom `order[k]` of `data` (vec4 per atom, batch order). */
export function permuteRows(data: Float32Array<ArrayBuffer>, order: Uint32Array): Float32Array<ArrayBuffer> {
  const out = new Float32Array(data.length);
  for (let k = 0; k < order.length; k++) out.set(data.subarray(4 * order[k]!, 4 * order[k]! + 4), 4 * k);
  return out;
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

/** The reduction-block table padded to `capacity` blocks (unused rows are empty blocks). */
function paddedBlockTable(blocks: ReductionBlocks, capacity: number): Uint32Array<ArrayBuffer> {
  const table = new Uint32Array(4 * capacity);
  table.set(blocks.table.subarray(0, 4 * blocks.count));
  return table;
}

/**
 * Uploads a batch. `blockCapacity` (≥ blocks.count) sizes the block table for later reloads
 * (layout.ts blockCapacity gives the worst case).
 */
export function createBatchBuffers(
  kernels: KernelSet,
  batch: Batch,
  grids: readonly SystemGrid[],
  blocks: ReductionBlocks,
  blockCapacity = Math.max(1, blocks.count),
): BatchBuffers {
  const n = batch.nAtoms;
  const k = kernels;
  const order = uploadOrder(batch);
  if (blocks.count > blockCapacity)
    throw new Error(`${blocks.count} reduction blocks exceed the capacity ${blockCapacity}`);
  return {
    nAtoms: n,
    nSystems: batch.nSystems,
    positions: k.createBufferWith(
      'positions',
      permuteRows(packPositions(batch.positions, batch.types), order),
      STORAGE | COPY,
    ),
    velocities: k.createBufferWith(
      'velocities',
      permuteRows(packVelocities(batch.velocities, batch.masses), order),
      STORAGE | COPY,
    ),
    forces: k.createBuffer('forces', 16 * n, STORAGE | COPY),
    virials: k.createBuffer('virials', 32 * n, STORAGE | COPY),
    systemOf: k.createBufferWith('systemOf', Uint32Array.from(systemOfAtom(batch)), STORAGE | COPY),
    originalIndex: k.createBufferWith('originalIndex', order, STORAGE | COPY),
    systems: k.createBufferWith('systems', packSystems(batch, grids, blocks), STORAGE | COPY),
    status: k.createBuffer('status', 4 * batch.nSystems, STORAGE | COPY),
    steps: k.createBuffer('steps', 4 * batch.nSystems, STORAGE | COPY),
    control: k.createBufferWith(
      'control',
      Uint32Array.from({ length: CONTROL_WORDS }, (_, k) => (k === 0 ? 1 : 0)),
      STORAGE | COPY,
    ),
    blocks: k.createBufferWith('reduction blocks', paddedBlockTable(blocks, blockCapacity), STORAGE),
    blockCount: blocks.count,
    blockCapacity,
    statistics: k.createBuffer('statistics', 4 * STATISTICS_FLOATS * batch.nSystems, STORAGE | COPY),
  };
}

/**
 * Rewrites every per-atom and per-system table of `b` in place for `batch` (same nAtoms and nSystems):
 * positions, velocities (w from `inverseMass`), systemOf, originalIndex ({@link uploadOrder}), System structs
 * (`systems`, packed by the caller) and the reduction blocks. Status and step counters are kept.
 */
export function writeBatch(
  queue: GPUQueue,
  b: BatchBuffers,
  batch: Batch,
  inverseMass: Float32Array,
  systems: ArrayBuffer,
  blocks: ReductionBlocks,
): void {
  if (blocks.count > b.blockCapacity) {
    throw new Error(`${blocks.count} reduction blocks exceed the capacity ${b.blockCapacity}`);
  }
  const order = uploadOrder(batch);
  queue.writeBuffer(b.positions, 0, permuteRows(packPositions(batch.positions, batch.types), order));
  queue.writeBuffer(b.velocities, 0, permuteRows(packVelocitiesWith(batch.velocities, inverseMass), order));
  queue.writeBuffer(b.systemOf, 0, Uint32Array.from(systemOfAtom(batch)));
  queue.writeBuffer(b.originalIndex, 0, order);
  queue.writeBuffer(b.systems, 0, systems);
  queue.writeBuffer(b.blocks, 0, paddedBlockTable(blocks, b.blockCapacity));
  b.blockCount = blocks.count;
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
