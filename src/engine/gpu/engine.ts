/**
 * The GPU engine: a batch of systems resident on the GPU with its Verlet list, a pluggable potential
 * ({@link GpuPotential}: Lennard-Jones, and what potentials.ts registers), per-system reductions and
 * the dynamics of each stage. The stage runner encodes whole
 * chunks of steps into one command encoder; nothing here does CPU work or creates GPU objects per
 * step, and the only reads are the explicit `read*` methods.
 */
import type { GnnModel } from '../../io/gnnWeights.ts';
import type { StageSpec } from '../../io/spec.ts';
import type { AtomState, SystemStats } from '../api.ts';
import type { Batch } from '../batch.ts';
import {
  type ConstraintsInput,
  checkBatchShape,
  checkConstraints,
  checkSystemIndices,
} from '../batchCheck.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import {
  type BatchBuffers,
  createBatchBuffers,
  destroyBatchBuffers,
  packPositions,
  packVelocitiesWith,
  permuteRows,
  unpackXyz,
  uploadOrder,
  writeBatch,
} from './buffers.ts';
import { frozenPerSystem, GpuConstraints } from './constraints.ts';
import { GpuFire } from './fire.ts';
import { GpuFire2 } from './fire2.ts';
import { KernelSet, readBuffer, WORKGROUP_SIZE, workgroupsFor } from './kernels.ts';
import { blockCapacity, CONTROL_WORDS, frozenCountOffset, packSystems, reductionBlocks } from './layout.ts';
import { cellGrids, DEFAULT_CELLS_PER_CUTOFF, GpuNeighborList, initialCapacity } from './neighborList.ts';
import { GpuNoseHoover } from './noseHoover.ts';
import type { GpuPotential } from './potential.ts';
import { createGpuPotential, type GpuPotentialSpec, potentialCutoff } from './potentials.ts';
import { ATOMS_PER_THREAD, type PassName } from './shaders.ts';
import { GpuStatistics } from './statistics.ts';
import type { CreateGpuEngine, GpuDynamics, GpuEngine, GpuEngineOptions } from './types.ts';
import { GpuVerletDynamics } from './verletDynamics.ts';

const ALL_PASSES: readonly PassName[] = [
  'checkDisplacement',
  'scheduleRebuild',
  'assignCells',
  'scanCells',
  'scatterCells',
  'sortCells',
  'gatherAtoms',
  'copySorted',
  'buildVerlet',
  'velocityVerletFirstHalf',
  'halfKick',
  'langevinBaoab',
  'firePower',
  'fireAdapt',
  'fireKick',
  'fireStepLimit',
  'fireDrift',
  'noseHooverKinetic',
  'noseHooverChain',
  'noseHooverScaleKickDrift',
  'noseHooverScale',
  'fire2Power',
  'fire2Adapt',
  'fire2Update',
  'constrainForces',
  'statisticsBlocks',
  'statisticsSystems',
];

/** Options beyond {@link GpuEngineOptions}, for tests and tuning. */
export interface WebGpuEngineOptions extends GpuEngineOptions {
  /** Initial neighbors per atom (default: from the density); the list grows when a row overflows. */
  neighborCapacity?: number;
  /** Cells per (cutoff + skin) along x, y, z (default (4, 2, 2)); tuning only. */
  cellsPerCutoff?: readonly [number, number, number];
  /** The model of a `gnn` potential (parseGnnWeights of its two files); required for it. */
  gnnModel?: GnnModel;
  /**
   * Compiled passes to share with other engines on the same device (see {@link sharedKernels});
   * the engine compiles what it lacks into it and does not destroy it. Default: its own set.
   */
  kernels?: KernelSet;
}

const sharedKernelSets = new WeakMap<GPUDevice, Promise<KernelSet>>();

/**
 * One {@link KernelSet} per device, compiled once with every pass of the engine, for engines that
 * come and go on one device (a domain rank's engine grows by recreation; GPU tests run many ranks
 * in one page). It lives as long as the device.
 */
export function sharedKernels(device: GPUDevice): Promise<KernelSet> {
  let set = sharedKernelSets.get(device);
  if (!set) {
    set = KernelSet.create(device, ALL_PASSES);
    sharedKernelSets.set(device, set);
  }
  return set;
}

/** Reduction block size: WORKGROUP_SIZE threads × ATOMS_PER_THREAD atoms. */
const BLOCK_SIZE = WORKGROUP_SIZE * ATOMS_PER_THREAD;

/** What the engine needs besides its parts to take a new batch at `reload`. */
export interface EngineGeometry {
  /** Potential cutoff + skin, Å. */
  listCutoff: number;
  cellsPerCutoff: readonly [number, number, number];
  potential: GpuPotentialSpec;
  tables?: EamTabulation | undefined;
  /** The System structs as uploaded. */
  systems: ArrayBuffer;
}

/** Throws unless every type is one the potential knows (EAM: below its number of types; −1 = NULL). */
function checkPotentialTypes(batch: Batch, potential: GpuPotentialSpec, tables?: EamTabulation): void {
  const nTypes =
    potential.kind === 'gnn'
      ? potential.elements.length
      : potential.kind === 'eam'
        ? tables?.nTypes
        : undefined;
  if (nTypes === undefined) return;
  for (let i = 0; i < batch.nAtoms; i++) {
    const t = batch.types[i]!;
    if (t >= nTypes) {
      throw new Error(
        `reload: atom ${i} has type ${t}, but the ${potential.kind.toUpperCase()} potential has ${nTypes} types`,
      );
    }
  }
}

/** A {@link GpuEngine} for any {@link GpuPotential}, with a few inspection methods for tests. */
export class WebGpuEngine implements GpuEngine {
  readonly nAtoms: number;
  readonly nSystems: number;
  /** Times the neighbor capacity had to grow after an overflow. */
  neighborOverflows = 0;
  private readonly types: Int32Array;
  private readonly masses: Float64Array;
  private readonly atomsPtr: Int32Array;
  private readonly constraints: GpuConstraints;
  /**
   * Original index of the atom in each storage row, when known on the CPU without a readback (after
   * `reload`, `writeAtoms` or {@link WebGpuEngine.readRows}); null after an `encodeCompute`, whose
   * list rebuild may re-sort the rows.
   */
  private rowOrder: Uint32Array | null = null;
  /** Reused staging buffer of {@link WebGpuEngine.readRows}. */
  private staging: GPUBuffer | null = null;

  constructor(
    readonly device: GPUDevice,
    private readonly kernels: KernelSet,
    private readonly b: BatchBuffers,
    private readonly neighborList: GpuNeighborList,
    private readonly potential: GpuPotential,
    private readonly statistics: GpuStatistics,
    batch: Batch,
    private readonly geometry: EngineGeometry,
    /** False when the kernels are shared with other engines (then `destroy` keeps them). */
    private readonly ownsKernels = true,
  ) {
    this.nAtoms = batch.nAtoms;
    this.nSystems = batch.nSystems;
    this.types = batch.types.slice();
    this.masses = batch.masses.slice();
    this.atomsPtr = batch.atomsPtr.slice();
    this.constraints = new GpuConstraints(kernels, b, this.masses);
    neighborList.onResize = (neighbors) => potential.setNeighbors(neighbors);
  }

  readonly backend = 'webgpu';

  begin(label: string): GPUCommandEncoder {
    return this.device.createCommandEncoder({ label });
  }

  submit(encoder: GPUCommandEncoder): void {
    this.device.queue.submit([encoder.finish()]);
  }

  /**
   * Zeroes the velocities of the given systems (all by default) on the GPU, keeping positions,
   * masses (velocities.w) and the storage order; no list rebuild. Reads the velocities back first
   * (awaits the GPU): submit nothing else until it resolves.
   */
  async zeroVelocities(systems?: readonly number[]): Promise<void> {
    if (systems) checkSystemIndices(systems, this.nSystems, 'zeroVelocities');
    const data = new Float32Array(await readBuffer(this.device, this.b.velocities, 16 * this.nAtoms));
    const list = systems ?? Array.from({ length: this.nSystems }, (_, s) => s);
    for (const s of list) {
      // A system's atoms stay in its row range through every spatial sort.
      const begin = this.atomsPtr[s]!;
      const end = this.atomsPtr[s + 1]!;
      if (end === begin) continue;
      for (let k = begin; k < end; k++) data.fill(0, 4 * k, 4 * k + 3);
      this.device.queue.writeBuffer(this.b.velocities, 16 * begin, data, 4 * begin, 4 * (end - begin));
    }
  }

  /**
   * Takes a batch of the same shape in place (see {@link GpuEngine.reload}): rewrites positions,
   * velocities, masses, types, systemOf, originalIndex (upload order), the System structs and the
   * reduction blocks, grows the cell buffers if the new grids need more cells, lifts the
   * constraints, zeroes forces and virials (stale until the next compute, which rebuilds the list:
   * encode a compute before any pre-update) and keeps status, step counters, pipelines and every
   * dynamics' per-system state (reset those of slots that take a new system: `dynamics.reset(slots)`,
   * `resetStepCounters(slots)`). Validates everything first (shape, masses, types, cells as
   * createGpuEngine does) and throws without changing anything.
   */
  reload(batch: Batch): void {
    const g = this.geometry;
    checkBatchShape(batch, this.nAtoms, this.nSystems, 'reload');
    checkPotentialTypes(batch, g.potential, g.tables);
    const { grids, nCells } = cellGrids(batch, g.listCutoff, g.cellsPerCutoff);
    workgroupsFor(nCells, this.device);
    const blocks = reductionBlocks(batch, BLOCK_SIZE);
    if (blocks.count > this.b.blockCapacity) {
      throw new Error(`reload: ${blocks.count} reduction blocks exceed the capacity ${this.b.blockCapacity}`);
    }
    // Throws (changing nothing) if the list would outgrow the device; a larger list is harmless.
    this.neighborList.ensureCapacity(initialCapacity(batch, g.listCutoff));
    this.types.set(batch.types);
    this.masses.set(batch.masses);
    this.atomsPtr.set(batch.atomsPtr);
    this.constraints.reset(this.masses);
    g.systems = packSystems(batch, grids, blocks);
    writeBatch(this.device.queue, this.b, batch, this.constraints.inverseMass, g.systems, blocks);
    const encoder = this.device.createCommandEncoder({ label: 'reload: clear forces' });
    encoder.clearBuffer(this.b.forces);
    encoder.clearBuffer(this.b.virials);
    this.device.queue.submit([encoder.finish()]);
    this.statistics.setCells(batch.cells);
    this.neighborList.setCells(nCells);
    this.rowOrder = uploadOrder(batch);
  }

  requestRebuild(): void {
    this.neighborList.requestRebuild();
  }

  /**
   * Sets or lifts constraints (see {@link GpuEngine.setConstraints}); they apply at once to the
   * current forces and velocities (a frozen atom stops now) and after every later force evaluation.
   */
  setConstraints(constraints: ConstraintsInput): void {
    checkConstraints(constraints, this.nAtoms, this.nSystems);
    this.constraints.set(constraints);
    if (constraints.frozen !== undefined) {
      const counts = frozenPerSystem(
        { nSystems: this.nSystems, atomsPtr: this.atomsPtr },
        this.constraints.frozen,
      );
      const u = new Uint32Array(this.geometry.systems);
      for (let s = 0; s < this.nSystems; s++) u[frozenCountOffset(s) / 4] = counts[s]!;
      this.device.queue.writeBuffer(this.b.systems, 0, this.geometry.systems);
    }
  }

  /** The batch's GPU buffers (the GPU ring sink copies from them). */
  get buffers(): BatchBuffers {
    return this.b;
  }

  /** Cells of the current grids (null cells included) and cells the list's buffers hold, for tests. */
  get listCells(): { count: number; allocated: number } {
    return this.neighborList.cells;
  }

  /** Neighbors stored per atom now. */
  get neighborCapacity(): number {
    return this.neighborList.capacity;
  }

  encodeCompute(encoder: GPUCommandEncoder): void {
    this.rowOrder = null;
    const pass = encoder.beginComputePass({ label: 'neighbor list' });
    this.neighborList.encode(pass);
    pass.end();
    this.potential.encode(encoder);
    this.constraints.encode(encoder);
  }

  encodeStats(encoder: GPUCommandEncoder): void {
    this.statistics.encode(encoder);
  }

  async readStats(): Promise<SystemStats> {
    const { stats, control } = await this.statistics.read();
    if (!this.recoverFromOverflow(control)) return stats;
    const encoder = this.device.createCommandEncoder({ label: 'recompute after neighbor overflow' });
    this.encodeCompute(encoder);
    this.encodeStats(encoder);
    this.device.queue.submit([encoder.finish()]);
    return this.readStats();
  }

  /**
   * Atoms in their original (batch) order, whatever the storage order on the GPU. Positions are those
   * on the GPU: wrapped into the cell on periodic axes at each list rebuild.
   */
  async readAtoms(): Promise<AtomState> {
    const n = this.nAtoms;
    const bytes = 16 * n;
    const control = 5 * bytes;
    const original = control + 4 * CONTROL_WORDS;
    const staging = this.device.createBuffer({
      label: 'atoms readback',
      size: original + 4 * n,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const encoder = this.device.createCommandEncoder({ label: 'read atoms' });
    encoder.copyBufferToBuffer(this.b.positions, 0, staging, 0, bytes);
    encoder.copyBufferToBuffer(this.b.velocities, 0, staging, bytes, bytes);
    encoder.copyBufferToBuffer(this.b.forces, 0, staging, 2 * bytes, bytes);
    encoder.copyBufferToBuffer(this.b.virials, 0, staging, 3 * bytes, 2 * bytes);
    encoder.copyBufferToBuffer(this.b.control, 0, staging, control, 4 * CONTROL_WORDS);
    encoder.copyBufferToBuffer(this.b.originalIndex, 0, staging, original, 4 * n);
    this.device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const data = staging.getMappedRange().slice(0);
    staging.destroy();
    if (this.recoverFromOverflow(new Uint32Array(data, control, CONTROL_WORDS))) {
      const again = this.device.createCommandEncoder({ label: 'recompute after neighbor overflow' });
      this.encodeCompute(again);
      this.device.queue.submit([again.finish()]);
      return this.readAtoms();
    }
    const index = new Uint32Array(data, original, n);
    const forces = new Float32Array(data, 2 * bytes, 4 * n);
    const w = new Float32Array(data, 3 * bytes, 8 * n);
    const energies = new Float32Array(n);
    const virials = new Float32Array(6 * n);
    for (let k = 0; k < n; k++) {
      const i = index[k]!;
      energies[i] = forces[4 * k + 3]!;
      // Column-major on the GPU: (xx, yy, zz, xy) in row k, (xz, yz, 0, 0) in row n + k.
      for (let c = 0; c < 4; c++) virials[6 * i + c] = w[4 * k + c]!;
      virials[6 * i + 4] = w[4 * (n + k)]!;
      virials[6 * i + 5] = w[4 * (n + k) + 1]!;
    }
    return {
      positions: unpackXyz(new Float32Array(data, 0, 4 * n), n, index),
      velocities: unpackXyz(new Float32Array(data, bytes, 4 * n), n, index),
      forces: unpackXyz(forces, n, index),
      energies,
      virials,
    };
  }

  /**
   * Takes atoms in their original order: the rows go back to the upload order (buffers.ts
   * uploadOrder) and the next compute rebuilds the list, which sorts them into cell order again.
   * Frozen atoms keep v = 0.
   */
  writeAtoms(positions: ArrayLike<number>, velocities: ArrayLike<number>): void {
    if (positions.length !== 3 * this.nAtoms || velocities.length !== 3 * this.nAtoms) {
      throw new Error(`writeAtoms: expected 3 × ${this.nAtoms} values for positions and velocities`);
    }
    const order = uploadOrder({ nSystems: this.nSystems, atomsPtr: this.atomsPtr, types: this.types });
    const queue = this.device.queue;
    queue.writeBuffer(this.b.positions, 0, permuteRows(packPositions(positions, this.types), order));
    queue.writeBuffer(
      this.b.velocities,
      0,
      permuteRows(packVelocitiesWith(velocities, this.constraints.inverseMass), order),
    );
    queue.writeBuffer(this.b.originalIndex, 0, order);
    this.neighborList.requestRebuild();
    this.rowOrder = order;
  }

  /**
   * Takes new positions (Å, 3 per atom, original order) and keeps everything else: the rows stay in
   * their current cell order and no list rebuild is requested — the displacement check of the next
   * compute decides (rebuild when a non-NULL atom moved more than skin/2 since the last build), as
   * within a run. The storage order must be known: call it after `reload`, `writeAtoms` or
   * {@link WebGpuEngine.readRows}, not between an `encodeCompute` and the readback that follows.
   * NULL atoms keep their rows (the system's last ones) whatever their positions.
   */
  writePositions(positions: ArrayLike<number>): void {
    if (positions.length !== 3 * this.nAtoms) {
      throw new Error(`writePositions: expected 3 × ${this.nAtoms} values, got ${positions.length}`);
    }
    if (!this.rowOrder) {
      throw new Error(
        'writePositions: the storage order is unknown after a compute; read the rows (readRows) first',
      );
    }
    const packed = permuteRows(packPositions(positions, this.types), this.rowOrder);
    this.device.queue.writeBuffer(this.b.positions, 0, packed);
  }

  /**
   * Encodes only the neighbor-list pass (displacement check and, when due, the rebuild), for callers
   * that run a potential's passes one by one with CPU work between them (decomposition/gpuForces.ts:
   * EAM's exchange of F'(ρ) between its density and force passes).
   */
  encodeNeighbors(encoder: GPUCommandEncoder): void {
    const pass = encoder.beginComputePass({ label: 'neighbor list' });
    this.neighborList.encode(pass);
    pass.end();
    this.rowOrder = null;
  }

  /** The engine's potential (its passes can be encoded separately, e.g. {@link GpuEam}). */
  get gpuPotential(): GpuPotential {
    return this.potential;
  }

  /**
   * Appends copies of `sources` (whole GPU buffers or their first `bytes`, in storage order) to
   * `encoder`, with the original-index map and the control words, submits it and reads everything
   * back in ONE mapAsync. Returns null when the neighbor list overflowed during the encoded work: the
   * capacity has grown and a rebuild is requested; encode the work again. Otherwise returns a copy
   * of each source and `order` (original index of each storage row), which also becomes the order
   * {@link WebGpuEngine.writePositions} uses.
   */
  async readRows(
    encoder: GPUCommandEncoder,
    sources: readonly { buffer: GPUBuffer; bytes: number }[],
  ): Promise<{ order: Uint32Array; data: ArrayBuffer[] } | null> {
    const n = this.nAtoms;
    const offsets: number[] = [];
    let size = 0;
    for (const s of sources) {
      offsets.push(size);
      size += Math.ceil(s.bytes / 16) * 16;
    }
    const controlAt = size;
    const orderAt = controlAt + 4 * CONTROL_WORDS;
    size = orderAt + Math.ceil((4 * n) / 16) * 16;
    if (!this.staging || this.staging.size !== size) {
      this.staging?.destroy();
      this.staging = this.device.createBuffer({
        label: 'rows readback',
        size,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
    }
    const staging = this.staging;
    sources.forEach((s, k) => {
      encoder.copyBufferToBuffer(s.buffer, 0, staging, offsets[k]!, s.bytes);
    });
    encoder.copyBufferToBuffer(this.b.control, 0, staging, controlAt, 4 * CONTROL_WORDS);
    encoder.copyBufferToBuffer(this.b.originalIndex, 0, staging, orderAt, 4 * n);
    this.device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const all = staging.getMappedRange().slice(0);
    staging.unmap();
    if (this.recoverFromOverflow(new Uint32Array(all, controlAt, CONTROL_WORDS))) {
      this.rowOrder = null;
      return null;
    }
    const order = new Uint32Array(all, orderAt, n).slice();
    this.rowOrder = order;
    return { order, data: sources.map((s, k) => all.slice(offsets[k]!, offsets[k]! + s.bytes)) };
  }

  writeStatus(status: Int32Array): void {
    if (status.length !== this.nSystems) throw new Error(`writeStatus: expected ${this.nSystems} codes`);
    this.device.queue.writeBuffer(this.b.status, 0, Int32Array.from(status));
  }

  /** Sets the step counters (the Langevin RNG counter) of the given systems (all by default) to 0. */
  resetStepCounters(systems?: readonly number[]): void {
    if (!systems) {
      this.device.queue.writeBuffer(this.b.steps, 0, new Uint32Array(this.nSystems));
      return;
    }
    for (const s of systems) this.device.queue.writeBuffer(this.b.steps, 4 * s, Uint32Array.of(0));
  }

  /** Step counters of every system (awaits the GPU). */
  async readStepCounters(): Promise<Uint32Array> {
    return new Uint32Array(await readBuffer(this.device, this.b.steps, 4 * this.nSystems));
  }

  createDynamics(stage: StageSpec): GpuDynamics {
    switch (stage.kind) {
      case 'nve':
      case 'langevin':
        return new GpuVerletDynamics(this.kernels, this.b, stage);
      case 'fire':
        return new GpuFire(this.kernels, this.b, stage);
      case 'nose-hoover':
        return new GpuNoseHoover(this.kernels, this.b, stage);
      case 'fire2':
        return new GpuFire2(this.kernels, this.b, stage);
    }
  }

  async readRebuildCount(): Promise<number> {
    const control = new Uint32Array(await readBuffer(this.device, this.b.control, 4 * CONTROL_WORDS));
    if (this.recoverFromOverflow(control)) {
      const encoder = this.device.createCommandEncoder({ label: 'recompute after neighbor overflow' });
      this.encodeCompute(encoder);
      this.device.queue.submit([encoder.finish()]);
      return this.readRebuildCount();
    }
    return control[1]!;
  }

  /**
   * The Verlet list as CSR rows by original atom index (rows keep their stored order), with each
   * neighbor's periodic image (n_a, n_b, n_c), for tests.
   */
  async readNeighborList(): Promise<{ ptr: Int32Array; neighbors: Int32Array; images: Int8Array }> {
    const stored = await this.neighborList.read();
    const original = await this.readOriginalIndex();
    const n = this.nAtoms;
    const ptr = new Int32Array(n + 1);
    for (let k = 0; k < n; k++) ptr[original[k]! + 1] = stored.ptr[k + 1]! - stored.ptr[k]!;
    for (let i = 0; i < n; i++) ptr[i + 1]! += ptr[i]!;
    const neighbors = new Int32Array(stored.neighbors.length);
    const images = new Int8Array(stored.images.length);
    for (let k = 0; k < n; k++) {
      const begin = stored.ptr[k]!;
      const at = ptr[original[k]!]!;
      for (let m = 0; m < stored.ptr[k + 1]! - begin; m++) {
        neighbors[at + m] = original[stored.neighbors[begin + m]!]!;
        images.set(stored.images.subarray(3 * (begin + m), 3 * (begin + m) + 3), 3 * (at + m));
      }
    }
    return { ptr, neighbors, images };
  }

  /** Original (batch) index of the atom in each storage row (awaits the GPU). */
  async readOriginalIndex(): Promise<Uint32Array> {
    return new Uint32Array(await readBuffer(this.device, this.b.originalIndex, 4 * this.nAtoms));
  }

  /** Grows the neighbor list if a row overflowed since the last check; true when it did. */
  private recoverFromOverflow(control: Uint32Array): boolean {
    const longest = control[2]!;
    if (longest <= this.neighborList.capacity) return false;
    this.neighborList.grow(longest);
    this.neighborOverflows++;
    return true;
  }

  destroy(): void {
    this.staging?.destroy();
    this.constraints.destroy();
    this.neighborList.destroy();
    this.potential.destroy();
    this.statistics.destroy();
    destroyBatchBuffers(this.b);
    if (this.ownsKernels) this.kernels.destroy();
  }
}

/**
 * Uploads `batch` and compiles the kernels. The first `encodeCompute` builds the neighbor list.
 * Throws for what this engine does not support: potentials without a GPU implementation (see
 * potentials.ts), cells outside the limits of neighborList.ts (non-restricted triclinic, a cutoff
 * reaching beyond 3 periodic images, more than 2²³ − 1 atoms), non-positive masses, empty batches.
 */
export const createGpuEngine: (
  device: GPUDevice,
  batch: Batch,
  potential: GpuPotentialSpec,
  options: WebGpuEngineOptions,
) => Promise<WebGpuEngine> = async (device, batch, potential, options) => {
  if (batch.nAtoms < 1) throw new Error('the GPU engine needs at least one atom');
  if (!(options.skin >= 0)) throw new Error(`skin ${options.skin} Å must be ≥ 0`);
  for (let i = 0; i < batch.nAtoms; i++) {
    if (!(batch.masses[i]! > 0)) throw new Error(`atom ${i}: mass ${batch.masses[i]} amu must be > 0`);
  }
  const listCutoff = potentialCutoff(potential, options.tables, options.gnnModel) + options.skin;
  const cellsPerCutoff = options.cellsPerCutoff ?? DEFAULT_CELLS_PER_CUTOFF;
  const { grids, nCells } = cellGrids(batch, listCutoff, cellsPerCutoff);
  const blocks = reductionBlocks(batch, BLOCK_SIZE);
  const kernels = options.kernels ?? (await KernelSet.create(device, ALL_PASSES));
  if (options.kernels) await kernels.ensure(ALL_PASSES);
  const b = createBatchBuffers(
    kernels,
    batch,
    grids,
    blocks,
    blockCapacity(batch.nAtoms, batch.nSystems, BLOCK_SIZE),
  );
  const capacity = options.neighborCapacity ?? initialCapacity(batch, listCutoff);
  const neighborList = new GpuNeighborList(kernels, b, nCells, listCutoff, options.skin, capacity);
  let gpuPotential: GpuPotential;
  try {
    gpuPotential = await createGpuPotential(
      { kernels, buffers: b, neighbors: neighborList.neighbors, batch },
      potential,
      options.tables,
      options.gnnModel,
    );
  } catch (error) {
    neighborList.destroy();
    destroyBatchBuffers(b);
    if (!options.kernels) kernels.destroy();
    throw error;
  }
  const statistics = new GpuStatistics(kernels, b, batch.cells);
  const geometry: EngineGeometry = {
    listCutoff,
    cellsPerCutoff: [cellsPerCutoff[0]!, cellsPerCutoff[1]!, cellsPerCutoff[2]!],
    potential,
    tables: options.tables,
    systems: packSystems(batch, grids, blocks),
  };
  return new WebGpuEngine(
    device,
    kernels,
    b,
    neighborList,
    gpuPotential,
    statistics,
    batch,
    geometry,
    options.kernels === undefined,
  );
};

/** Type check: the factory implements the shared contract. */
export const createGpuEngineContract: CreateGpuEngine = createGpuEngine;
