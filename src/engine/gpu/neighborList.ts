/**
 * Verlet neighbor list built on the GPU from a cell list, rebuilt without a CPU round trip, with the
 * atoms sorted into cell order at every build.
 *
 * Every `encode` runs check_displacement (flags a rebuild when a non-NULL atom moved more than
 * skin/2 since the last build) and schedule_rebuild (one thread writes a flag: 1 when a rebuild is
 * due), then the rebuild passes, which return at once when the flag is 0 (not indirect dispatches:
 * Dawn spends about 0.6 ms of CPU on each): assign_cells (wrap positions into the box, cell and slot per atom),
 * scan_cells (prefix sum), scatter_cells, sort_cells (by original index: deterministic), gather_atoms
 * and copy_sorted (permute positions, velocities and original indices into cell order), build_verlet.
 *
 * Spatial order: after a build, consecutive rows are atoms of one cell, and the cells of an x-row of
 * the grid are consecutive, so the build scans contiguous runs of rows and the force loop reads
 * neighbors that sit close in memory (on SwiftShader, neighboring SIMD lanes then also run the same
 * loop bounds). Forces and virials are not permuted: the force pass that follows every build
 * rewrites them. `BatchBuffers.originalIndex` maps rows back to the atoms' batch indices.
 *
 * Cells: LAMMPS's restricted triclinic cells (a = (lx,0,0), b = (xy,ly,0), c = (xz,yz,lz)), any size
 * against the cutoff. Grids bin the fractional coordinates: each system has ⌊f·h/(cutoff + skin)⌋
 * cells per axis (at least 1), h the perpendicular height of the cell along that axis, with
 * f = cellsPerCutoff = (4, 2, 2) by default: thin cells along a, the axis of the contiguous runs.
 * build_verlet scans, per atom, the (b, c) rows of cells within the list cutoff and in each the a
 * cells overlapping the cutoff sphere's chord: about 9 (cutoff + skin)³ of volume per atom against
 * 27 for a 3×3×3 stencil of cells ≥ cutoff + skin (the sphere is 4.2). Rows and runs outside the
 * grid on periodic axes are periodic images: every image within the list cutoff becomes its own
 * entry (an atom may neighbor its own images), encoded with the row (kernels/common/structs.wgsl:
 * at most {@link MAX_ATOMS} atoms, images |n| ≤ {@link MAX_IMAGE} per axis, so cutoff + skin must
 * stay below 3 perpendicular heights). Positions are wrapped into the cell at each build only, so
 * the stored images stay right as atoms move. Open axes put atoms outside the cell into the face
 * cells; tilts are allowed along periodic axes only (as LAMMPS). Each system has one more cell, its
 * null cell, holding its NULL atoms so that cell order covers every atom.
 *
 * Capacity: each atom stores at most `capacity` neighbors (column-major rows, row 0 = counts). A
 * longer row is truncated on the GPU and its length recorded; at the next readback the engine grows
 * the capacity (1.25× the longest row), rebuilds and recomputes the forces. Steps run between the
 * overflow and that readback missed the pairs beyond the capacity.
 */
import type { Batch } from '../batch.ts';
import { perpendicularHeights } from '../cell.ts';
import type { BatchBuffers } from './buffers.ts';
import { type KernelSet, readBuffer, workgroupsFor } from './kernels.ts';
import { packNeighborParams, type SystemGrid } from './layout.ts';
import type { PassName } from './shaders.ts';

const STORAGE = GPUBufferUsage.STORAGE;

/** Default cells per (cutoff + skin) along x, y, z: thin along x, the axis of contiguous runs. */
export const DEFAULT_CELLS_PER_CUTOFF: readonly [number, number, number] = [4, 2, 2];

/** Largest atom count of a batch: neighbor entries keep the row in 23 bits (kernels/common/structs.wgsl). */
export const MAX_ATOMS = 2 ** 23 - 1;
/** Largest |n| per axis of the periodic image in a neighbor entry (3-bit two's complement). */
export const MAX_IMAGE = 3;

/**
 * Cell grids of every system for cells of at least `listCutoff / cellsPerCutoff[axis]` (Å) of
 * perpendicular height, each followed by its null cell; throws on what is unsupported: more than
 * {@link MAX_ATOMS} atoms, a cell not in LAMMPS's restricted triclinic form, a tilt along an open
 * axis (LAMMPS: "triclinic box must be periodic in skewed dimensions"), or a list cutoff reaching
 * past {@link MAX_IMAGE} periodic images: (cutoff + skin) must stay below 3 × every periodic
 * perpendicular height.
 */
export function cellGrids(
  batch: Batch,
  listCutoff: number,
  cellsPerCutoff: readonly number[] = DEFAULT_CELLS_PER_CUTOFF,
): { grids: SystemGrid[]; nCells: number } {
  if (cellsPerCutoff.length !== 3 || !cellsPerCutoff.every((f) => Number.isInteger(f) && f >= 1 && f <= 8))
    throw new Error(`cellsPerCutoff ${cellsPerCutoff} must be three whole numbers in 1..8`);
  if (batch.nAtoms > MAX_ATOMS) {
    throw new Error(
      `the GPU engine supports at most ${MAX_ATOMS} atoms per batch (2²³ − 1); got ${batch.nAtoms}`,
    );
  }
  const grids: SystemGrid[] = [];
  let nCells = 0;
  for (let s = 0; s < batch.nSystems; s++) {
    const c = batch.cells.subarray(9 * s, 9 * s + 9);
    const periodic = [0, 1, 2].map((a) => batch.pbc[3 * s + a] === 1);
    if (c[1] !== 0 || c[2] !== 0 || c[5] !== 0) {
      throw new Error(
        `system ${s}: the cell is not in LAMMPS's restricted triclinic form (a = (lx,0,0), b = (xy,ly,0), ` +
          'c = (xz,yz,lz)); convert it with toRestrictedTriclinic',
      );
    }
    for (let a = 0; a < 3; a++) {
      const length = c[4 * a]!;
      if (!(length > 0 && Number.isFinite(length)))
        throw new Error(`system ${s}: cell length ${length} Å along axis ${'abc'[a]} must be > 0`);
    }
    if ((c[3] !== 0 && !periodic[1]) || ((c[6] !== 0 || c[7] !== 0) && !periodic[2])) {
      throw new Error(
        `system ${s}: a tilted cell must be periodic along its tilted vectors (xy ≠ 0 needs b periodic, ` +
          'xz or yz ≠ 0 needs c periodic), as in LAMMPS',
      );
    }
    const heights = perpendicularHeights(c);
    const dims: [number, number, number] = [1, 1, 1];
    for (let a = 0; a < 3; a++) {
      const height = heights[a]!;
      if (periodic[a] && !(listCutoff < MAX_IMAGE * height)) {
        throw new Error(
          `system ${s}: cutoff + skin = ${listCutoff} Å reaches past ${MAX_IMAGE} periodic images along ` +
            `axis ${'abc'[a]} (cell height ${height} Å); the GPU list supports cutoff + skin < ${MAX_IMAGE} × height ` +
            '(replicate the cell)',
        );
      }
      dims[a] = Math.min(1024, Math.max(1, Math.floor((cellsPerCutoff[a]! * height) / listCutoff)));
    }
    grids.push({ dims, cellOffset: nCells });
    nCells += dims[0] * dims[1] * dims[2] + 1;
  }
  return { grids, nCells };
}

/**
 * A first guess of the neighbors per atom: 1.25× the count in the list sphere at the mean density
 * of the non-NULL atoms (over their extent along open axes), plus 16 (periodic images count: small
 * cells may hold more neighbors than atoms). NULL atoms have no neighbors: a reservoir of them
 * packed in a small box does not count.
 */
export function initialCapacity(batch: Batch, listCutoff: number): number {
  let guess = 16;
  for (let s = 0; s < batch.nSystems; s++) {
    const begin = batch.atomsPtr[s]!;
    const end = batch.atomsPtr[s + 1]!;
    let n = 0;
    for (let i = begin; i < end; i++) if (batch.types[i]! >= 0) n++;
    let volume = 1;
    for (let a = 0; a < 3; a++) {
      // lx·ly·lz is the volume of a restricted triclinic cell.
      let length = batch.cells[9 * s + 4 * a]!;
      if (!batch.pbc[3 * s + a] && n > 0) {
        // Open axis (a slab in vacuum, a cluster): the atoms' extent gives the density, not the cell.
        let lo = Number.POSITIVE_INFINITY;
        let hi = Number.NEGATIVE_INFINITY;
        for (let i = begin; i < end; i++) {
          if (batch.types[i]! < 0) continue;
          lo = Math.min(lo, batch.positions[3 * i + a]!);
          hi = Math.max(hi, batch.positions[3 * i + a]!);
        }
        length = Math.min(length, hi - lo + 1);
      }
      volume *= length;
    }
    let expected = ((n / volume) * 4 * Math.PI * listCutoff ** 3) / 3;
    // Without periodic axes an atom has at most n − 1 neighbors (small clusters in vacuum).
    if (!batch.pbc[3 * s] && !batch.pbc[3 * s + 1] && !batch.pbc[3 * s + 2]) expected = Math.min(expected, n);
    guess = Math.max(guess, Math.ceil(1.25 * expected) + 16);
  }
  return guess;
}

/** The GPU Verlet list of one batch. */
export class GpuNeighborList {
  /** Neighbors stored per atom. */
  capacity: number;
  /** Column-major rows: [i] = count, [(k + 1)·nAtoms + i] = k-th neighbor of atom i. */
  neighbors: GPUBuffer;
  private readonly params: GPUBuffer;
  private readonly referencePositions: GPUBuffer;
  private cellCount: GPUBuffer;
  private cellStart: GPUBuffer;
  /** Cells the cell buffers hold (≥ nCells; grows at a reload needing more). */
  private cellCapacity: number;
  private readonly cellSlots: GPUBuffer;
  private readonly cellAtoms: GPUBuffer;
  private readonly sortedVelocities: GPUBuffer;
  private readonly sortedOriginalIndex: GPUBuffer;
  /** 1 when this step rebuilds (schedule_rebuild.wgsl). */
  private readonly rebuildDue: GPUBuffer;
  private readonly atomGroups: number;
  private groups: Record<
    'check' | 'schedule' | 'assign' | 'scan' | 'scatter' | 'sort' | 'gather' | 'copy',
    GPUBindGroup
  >;
  private buildGroup: GPUBindGroup;
  /** Called with the new neighbors buffer whenever the capacity grows. */
  onResize: (neighbors: GPUBuffer) => void = () => {};

  constructor(
    private readonly kernels: KernelSet,
    private readonly b: BatchBuffers,
    private nCells: number,
    private readonly listCutoff: number,
    private readonly skin: number,
    capacity: number,
  ) {
    const k = kernels;
    const n = b.nAtoms;
    this.capacity = capacity;
    this.atomGroups = workgroupsFor(n, k.device);
    workgroupsFor(nCells, k.device);
    this.params = k.createBuffer('neighbor params', 32, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.writeParams();
    this.referencePositions = k.createBuffer('reference positions', 16 * n, STORAGE);
    this.cellCapacity = nCells;
    this.cellCount = k.createBuffer('cell counts', 4 * nCells, STORAGE);
    this.cellStart = k.createBuffer('cell starts', 4 * (nCells + 1), STORAGE | GPUBufferUsage.COPY_SRC);
    this.cellSlots = k.createBuffer('cell slots', 8 * n, STORAGE);
    this.cellAtoms = k.createBuffer('cell atoms', 4 * n, STORAGE);
    this.sortedVelocities = k.createBuffer('sorted velocities', 16 * n, STORAGE);
    this.sortedOriginalIndex = k.createBuffer('sorted original index', 4 * n, STORAGE);
    this.rebuildDue = k.createBuffer('rebuild due', 4, STORAGE);
    this.neighbors = this.createNeighbors();
    this.groups = this.createGroups();
    this.buildGroup = this.createBuildGroup();
  }

  private createGroups(): GpuNeighborList['groups'] {
    const k = this.kernels;
    const b = this.b;
    return {
      check: k.bindGroup('checkDisplacement', [b.positions, this.referencePositions, b.control, this.params]),
      schedule: k.bindGroup('scheduleRebuild', [b.control, this.rebuildDue]),
      assign: k.bindGroup('assignCells', [
        b.positions,
        b.systemOf,
        b.systems,
        this.cellCount,
        this.cellSlots,
        this.params,
        this.rebuildDue,
      ]),
      scan: k.bindGroup('scanCells', [this.cellCount, this.cellStart, this.params, this.rebuildDue]),
      scatter: k.bindGroup('scatterCells', [
        this.cellSlots,
        this.cellStart,
        this.cellAtoms,
        this.params,
        this.rebuildDue,
      ]),
      sort: k.bindGroup('sortCells', [
        this.cellStart,
        this.cellAtoms,
        b.originalIndex,
        this.params,
        b.positions,
        this.rebuildDue,
      ]),
      gather: k.bindGroup('gatherAtoms', [
        this.cellAtoms,
        b.positions,
        b.velocities,
        b.originalIndex,
        this.referencePositions,
        this.sortedVelocities,
        this.sortedOriginalIndex,
        this.params,
        this.rebuildDue,
      ]),
      copy: k.bindGroup('copySorted', [
        this.referencePositions,
        this.sortedVelocities,
        this.sortedOriginalIndex,
        b.positions,
        b.velocities,
        b.originalIndex,
        this.params,
        this.rebuildDue,
      ]),
    };
  }

  /**
   * Takes the grids of a reloaded batch: `nCells` cells over all systems (their null cells
   * included). The cell buffers grow (with their bind groups) when they hold fewer; the next
   * `encode` rebuilds.
   */
  setCells(nCells: number): void {
    workgroupsFor(nCells, this.kernels.device);
    if (nCells > this.cellCapacity) {
      const k = this.kernels;
      const count = k.createBuffer('cell counts', 4 * nCells, STORAGE);
      const start = k.createBuffer('cell starts', 4 * (nCells + 1), STORAGE | GPUBufferUsage.COPY_SRC);
      this.cellCount.destroy();
      this.cellStart.destroy();
      this.cellCount = count;
      this.cellStart = start;
      this.cellCapacity = nCells;
      this.groups = this.createGroups();
      this.buildGroup = this.createBuildGroup();
    }
    this.nCells = nCells;
    this.writeParams();
    this.requestRebuild();
  }

  /** Cells of the current grids (null cells included) and cells the buffers hold. */
  get cells(): { count: number; allocated: number } {
    return { count: this.nCells, allocated: this.cellCapacity };
  }

  /** Grows the capacity to at least `neighbors` per atom (no-op when it holds that many already). */
  ensureCapacity(neighbors: number): void {
    if (neighbors > this.capacity) this.grow(neighbors);
  }

  private writeParams(): void {
    const { nAtoms } = this.b;
    const data = packNeighborParams({
      nAtoms,
      nCells: this.nCells,
      capacity: this.capacity,
      listCutoff: this.listCutoff,
      skin: this.skin,
    });
    this.kernels.device.queue.writeBuffer(this.params, 0, data);
  }

  private createNeighbors(): GPUBuffer {
    // Row 0 holds the counts; one spare row lets the LJ loop read two slots at a time.
    const bytes = 4 * (this.capacity + 2) * this.b.nAtoms;
    const limit = this.kernels.device.limits.maxStorageBufferBindingSize;
    if (bytes > limit) {
      throw new Error(
        `neighbor list of ${this.b.nAtoms} atoms × ${this.capacity} neighbors needs ${bytes} bytes, above this device's storage binding limit of ${limit}`,
      );
    }
    return this.kernels.createBuffer('neighbors', bytes, STORAGE | GPUBufferUsage.COPY_SRC);
  }

  private createBuildGroup(): GPUBindGroup {
    return this.kernels.bindGroup('buildVerlet', [
      this.b.positions,
      this.b.systemOf,
      this.b.systems,
      this.cellStart,
      this.neighbors,
      this.b.control,
      this.params,
      this.rebuildDue,
    ]);
  }

  /** Encodes the displacement check and the rebuild (its passes return at once when none is due). */
  encode(pass: GPUComputePassEncoder): void {
    const k = this.kernels;
    pass.setPipeline(k.pipeline('checkDisplacement'));
    pass.setBindGroup(0, this.groups.check);
    pass.dispatchWorkgroups(this.atomGroups);
    pass.setPipeline(k.pipeline('scheduleRebuild'));
    pass.setBindGroup(0, this.groups.schedule);
    pass.dispatchWorkgroups(1);
    // The rebuild passes run every step and return at once unless scheduleRebuild found one due.
    const rebuild: [PassName, GPUBindGroup, number][] = [
      ['assignCells', this.groups.assign, this.atomGroups],
      ['scanCells', this.groups.scan, 1],
      ['scatterCells', this.groups.scatter, this.atomGroups],
      ['sortCells', this.groups.sort, workgroupsFor(this.nCells, k.device)],
      ['gatherAtoms', this.groups.gather, this.atomGroups],
      ['copySorted', this.groups.copy, this.atomGroups],
      ['buildVerlet', this.buildGroup, this.atomGroups],
    ];
    for (const [name, group, workgroups] of rebuild) {
      pass.setPipeline(k.pipeline(name));
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(workgroups);
    }
  }

  /** Makes the next `encode` rebuild (after positions were overwritten). */
  requestRebuild(): void {
    this.kernels.device.queue.writeBuffer(this.b.control, 0, Uint32Array.of(1));
  }

  /** Grows the capacity to hold rows of `longestRow` neighbors and requests a rebuild. */
  grow(longestRow: number): void {
    const previous = this.capacity;
    this.capacity = Math.ceil(1.25 * longestRow) + 8;
    let neighbors: GPUBuffer;
    try {
      neighbors = this.createNeighbors();
    } catch (error) {
      this.capacity = previous;
      throw error;
    }
    this.neighbors.destroy();
    this.neighbors = neighbors;
    this.buildGroup = this.createBuildGroup();
    this.writeParams();
    // The overflow record has been handled: clear it with the rebuild request.
    this.kernels.device.queue.writeBuffer(this.b.control, 0, Uint32Array.of(1));
    this.kernels.device.queue.writeBuffer(this.b.control, 8, Uint32Array.of(0));
    this.onResize(this.neighbors);
  }

  /**
   * Reads the list as CSR rows in storage order (row and neighbor indices are rows, not atoms), with
   * each neighbor's periodic image (n_a, n_b, n_c) (awaits the GPU).
   */
  async read(): Promise<{ ptr: Int32Array; neighbors: Int32Array; images: Int8Array }> {
    const n = this.b.nAtoms;
    const data = new Uint32Array(
      await readBuffer(this.kernels.device, this.neighbors, 4 * (this.capacity + 1) * n),
    );
    const ptr = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) ptr[i + 1] = ptr[i]! + data[i]!;
    const out = new Int32Array(ptr[n]!);
    const images = new Int8Array(3 * ptr[n]!);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < data[i]!; k++) {
        const entry = data[(k + 1) * n + i]!;
        const at = ptr[i]! + k;
        out[at] = entry & MAX_ATOMS;
        images[3 * at] = (entry << 6) >> 29;
        images[3 * at + 1] = (entry << 3) >> 29;
        images[3 * at + 2] = entry >> 29;
      }
    }
    return { ptr, neighbors: out, images };
  }

  destroy(): void {
    for (const buffer of [
      this.params,
      this.referencePositions,
      this.cellCount,
      this.cellStart,
      this.cellSlots,
      this.cellAtoms,
      this.sortedVelocities,
      this.sortedOriginalIndex,
      this.rebuildDue,
      this.neighbors,
    ]) {
      buffer.destroy();
    }
  }
}
