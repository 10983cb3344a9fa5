/**
 * Byte layouts of the structs declared in kernels/common/structs.wgsl, and their packers. Keep in
 * step with the WGSL (each struct's comment there names its fields in this order).
 */
import type { Batch } from '../batch.ts';
import { perpendicularHeights } from '../cell.ts';

/** `System`: 5 × vec4f + 3 × vec4u. */
export const SYSTEM_BYTES = 128;
/** `NeighborParams`: 8 × 4 bytes. */
export const NEIGHBOR_PARAMS_BYTES = 32;
/** `DynamicsParams`: 8 × 4 bytes. */
export const DYNAMICS_PARAMS_BYTES = 32;
/** `FireState`: 8 × 4 bytes. */
export const FIRE_STATE_BYTES = 32;
/** Per-system statistics written by statistics_systems.wgsl: 16 f32. */
export const STATISTICS_FLOATS = 16;
/** Status codes a masked update may use (one uniform slot each). */
export const MAX_STATUS_CODE = 63;
/** Words of the `control` buffer: rebuild requested, rebuild count, largest overflowing row. */
export const CONTROL_WORDS = 4;

/**
 * Cell grid of one system: cells per axis and the index of its first cell batch-wide. The system
 * owns dims[0]·dims[1]·dims[2] + 1 cells from there: its grid, x fastest, then its null cell (NULL atoms).
 */
export interface SystemGrid {
  dims: [number, number, number];
  cellOffset: number;
}

/** Reduction blocks: contiguous atom ranges of at most `blockSize` atoms that never straddle systems. */
export interface ReductionBlocks {
  /** Per block: system, first atom, one past the last atom, 0. */
  table: Uint32Array<ArrayBuffer>;
  count: number;
  /** First block of each system (length nSystems + 1). */
  ptr: Uint32Array;
}

/**
 * Most reduction blocks any batch of `nAtoms` atoms in `nSystems` systems can need with blocks of
 * `blockSize` atoms: Σ ⌈n_s / blockSize⌉ ≤ ⌈nAtoms / blockSize⌉ + nSystems. Buffers sized for it
 * never grow when a reload changes the systems' sizes.
 */
export function blockCapacity(nAtoms: number, nSystems: number, blockSize: number): number {
  return Math.max(1, Math.ceil(nAtoms / blockSize) + nSystems);
}

/** Splits every system into blocks of `blockSize` atoms (WORKGROUP_SIZE × ATOMS_PER_THREAD). */
export function reductionBlocks(batch: Batch, blockSize: number): ReductionBlocks {
  const ptr = new Uint32Array(batch.nSystems + 1);
  const rows: number[] = [];
  for (let s = 0; s < batch.nSystems; s++) {
    ptr[s] = rows.length / 4;
    const end = batch.atomsPtr[s + 1]!;
    for (let a = batch.atomsPtr[s]!; a < end; a += blockSize)
      rows.push(s, a, Math.min(a + blockSize, end), 0);
  }
  ptr[batch.nSystems] = rows.length / 4;
  // A zero-length table cannot back a storage binding; one empty block (no atoms) is harmless.
  if (rows.length === 0) rows.push(0, 0, 0, 0);
  return { table: new Uint32Array(rows), count: ptr[batch.nSystems]!, ptr };
}

/**
 * Packs the `System` array: restricted triclinic geometry (lx, ly, lz, tilts, periodicity,
 * perpendicular heights), grid, atom/block ranges, the number of frozen atoms per system
 * (`frozenCounts`, 0 when omitted) and of NULL atoms.
 */
export function packSystems(
  batch: Batch,
  grids: readonly SystemGrid[],
  blocks: ReductionBlocks,
  frozenCounts?: ArrayLike<number>,
): ArrayBuffer {
  const buffer = new ArrayBuffer(SYSTEM_BYTES * batch.nSystems);
  const f = new Float32Array(buffer);
  const u = new Uint32Array(buffer);
  for (let s = 0; s < batch.nSystems; s++) {
    const o = (SYSTEM_BYTES / 4) * s;
    const grid = grids[s]!;
    const cell = batch.cells.subarray(9 * s, 9 * s + 9);
    const heights = perpendicularHeights(cell);
    for (let a = 0; a < 3; a++) {
      const length = cell[4 * a]!;
      f[o + a] = length;
      f[o + 4 + a] = 1 / length;
      f[o + 12 + a] = batch.pbc[3 * s + a] ? 1 : 0;
      f[o + 16 + a] = 1 / heights[a]!;
      u[o + 20 + a] = grid.dims[a]!;
    }
    f[o + 8] = cell[3]!;
    f[o + 9] = cell[6]!;
    f[o + 10] = cell[7]!;
    u[o + 23] = grid.cellOffset;
    u[o + 24] = batch.atomsPtr[s]!;
    u[o + 25] = batch.atomsPtr[s + 1]!;
    u[o + 26] = blocks.ptr[s]!;
    u[o + 27] = blocks.ptr[s + 1]!;
    u[o + 28] = frozenCounts?.[s] ?? 0;
    let nulls = 0;
    for (let i = batch.atomsPtr[s]!; i < batch.atomsPtr[s + 1]!; i++) if (batch.types[i]! < 0) nulls++;
    u[o + 29] = nulls;
    // The stable system id (−1 for an empty slot wraps to 2³² − 1): keys the system's Langevin noise.
    u[o + 30] = batch.systemIds[s]! >>> 0;
  }
  return buffer;
}

/** Byte offset of the frozen-atom count (`System.constraints.x`) of system `s`. */
export function frozenCountOffset(s: number): number {
  return SYSTEM_BYTES * s + 112;
}

/** Packs `NeighborParams`. */
export function packNeighborParams(p: {
  nAtoms: number;
  nCells: number;
  capacity: number;
  listCutoff: number;
  skin: number;
}): ArrayBuffer {
  const buffer = new ArrayBuffer(NEIGHBOR_PARAMS_BYTES);
  const u = new Uint32Array(buffer);
  const f = new Float32Array(buffer);
  u[0] = p.nAtoms;
  u[1] = p.nCells;
  u[2] = p.capacity;
  f[4] = p.listCutoff * p.listCutoff;
  f[5] = (p.skin / 2) ** 2;
  return buffer;
}

/** Per-system parameters of a dynamics (see `DynamicsParams` in structs.wgsl). */
export interface DynamicsParams {
  /** fs */
  dt: number;
  /** exp(−γ·dt) */
  c1?: number;
  /** (1 − c1²)·kB·T, eV */
  thermalVariance?: number;
  seed?: number;
  /** fs */
  dtMax?: number;
  /** Å */
  maxStep?: number;
}

/** Packs one `DynamicsParams` per system. */
export function packDynamicsParams(params: readonly DynamicsParams[]): ArrayBuffer {
  const buffer = new ArrayBuffer(DYNAMICS_PARAMS_BYTES * params.length);
  const f = new Float32Array(buffer);
  const u = new Uint32Array(buffer);
  params.forEach((p, s) => {
    const o = (DYNAMICS_PARAMS_BYTES / 4) * s;
    f[o] = p.dt;
    f[o + 1] = p.c1 ?? 1;
    f[o + 2] = p.thermalVariance ?? 0;
    u[o + 3] = p.seed ?? 0;
    f[o + 4] = p.dtMax ?? p.dt;
    f[o + 5] = p.maxStep ?? Number.POSITIVE_INFINITY;
  });
  return buffer;
}

/** Packs FIRE's initial state (dt, α = 0.1, n⁺ = 0, not started) for one system. */
export function packInitialFireState(dt: number): ArrayBuffer {
  const buffer = new ArrayBuffer(FIRE_STATE_BYTES);
  const f = new Float32Array(buffer);
  f[0] = dt;
  f[1] = 0.1;
  f[4] = 1;
  f[6] = 1;
  return buffer;
}
