/**
 * The force field of a domain rank on WebGPU (DESIGN §5, the "force offload" of LAMMPS's GPU
 * package): each compute hands the rank's owned + ghost rows to one {@link WebGpuEngine} as ONE
 * non-periodic system (ghosts are the periodic images, so no axis is periodic), reads back the
 * forces of the owned rows (and their energies and virials, summed in f64 on the CPU) and ignores
 * the ghost rows' results (their neighbourhoods are incomplete).
 *
 * The engine lives as long as the force field ({@link RankEngine}): its atom count is a fixed
 * capacity padded with NULL atoms (type −1, in the engine's null cell: they never enter a cell, a
 * displacement check or a neighbour row), recreated 1.5× larger when the rows outgrow it. At a
 * re-neighbouring of the rank (its `generation` changed) the rows are reloaded; between
 * re-neighbourings only positions are written, in the engine's current cell order, and the GPU's
 * displacement check decides whether the Verlet list is rebuilt.
 *
 * Round trips per compute: one readback (forces, energies, virials when asked, in one mapAsync) for
 * Lennard-Jones and Morse; two for EAM, whose density pass is read back so that the owners' F'(ρ)
 * can be sent to the ghosts (`rank.forward`, collective) and uploaded before the force pass.
 */
import type { GnnModel } from '../../io/gnnWeights.ts';
import type { PotentialSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import { GpuEam } from '../gpu/eam.ts';
import { createGpuEngine, sharedKernels, type WebGpuEngine } from '../gpu/engine.ts';
import { type GpuPotentialSpec, potentialCutoff } from '../gpu/potentials.ts';
import { eamSplines } from '../potentials/eamSpline.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import { eamVisibility } from './eam.ts';
import type { ForceRequest, RankForceField } from './forceField.ts';
import { createGpuGnnForceField } from './gnnGpu.ts';
import { addAtomVirial, emptyLocalForces, type LocalForces } from './localForces.ts';
import { type DomainRank, notNull, type TypeVisibility } from './rank.ts';

/** Options of {@link createGpuForceField}. */
export interface GpuForceFieldOptions {
  /** EAM: the tables (eamTabulation of the potential's files). */
  tables?: EamTabulation;
  /** Verlet skin of the GPU list, Å (rebuilt when an atom moved more than skin/2 since its build). */
  skin: number;
  /**
   * Rows allocated at first (at least the first row count; default 1.5× it, at least
   * {@link MIN_ROWS}). Later growths allocate 1.5× the rows.
   */
  initialCapacity?: number;
  /** GNN: the parsed weights (io/gnnWeights.ts); the GNN's force field is gnnGpu.ts. */
  gnnModel?: GnnModel;
  /** GNN, test only: false skips the reverse exchanges (see gnnGpu.ts). */
  backwardExchange?: boolean;
}

/** A rank force field on WebGPU, with its engine's rows (for the GNN's force field and tests). */
export interface GpuRankForceField extends RankForceField {
  readonly rows: RankEngine;
}

/** Smallest row capacity of a rank's engine. */
export const MIN_ROWS = 64;

/** Options of a {@link RankEngine}. */
export interface RankEngineOptions {
  /** Verlet skin of the GPU list, Å. */
  skin: number;
  /** Which rank types the potential sees; the others are uploaded as NULL atoms. */
  visible: TypeVisibility;
  tables?: EamTabulation | undefined;
  gnnModel?: GnnModel | undefined;
  initialCapacity?: number | undefined;
}

/**
 * One {@link WebGpuEngine} over a rank's rows (the seam other force fields, e.g. a GNN, build on):
 * engine row i is rank row i (owned first, then ghosts in swap order), rows nAll … capacity−1 are
 * padding NULL atoms. Positions are uploaded relative to {@link RankEngine.origin}, the low corner
 * of the box of the visible rows at the last reload, less a margin.
 */
export class RankEngine {
  /** The engine, once rows were uploaded. */
  engine: WebGpuEngine | null = null;
  /** Rows the engine holds (owned + ghost + padding). */
  capacity = 0;
  /** Engines created so far (the first and each growth), for tests and logs. */
  created = 0;
  /** Reloads of new rows into an existing engine, for tests and logs. */
  reloads = 0;
  /** Cartesian origin of the engine's cell in the rank's frame, Å. */
  readonly origin = new Float64Array(3);
  private generation = -1;
  private rows = -1;
  private rank: DomainRank | null = null;

  constructor(
    readonly device: GPUDevice,
    readonly potential: GpuPotentialSpec,
    readonly options: RankEngineOptions,
  ) {
    if (!(options.skin >= 0)) throw new Error(`skin ${options.skin} Å must be ≥ 0`);
  }

  /** Rank rows [0, nAll) in engine rows; true when the rows are those of the last upload. */
  private current(rank: DomainRank): boolean {
    return (
      this.engine !== null &&
      rank === this.rank &&
      rank.generation === this.generation &&
      rank.nAll === this.rows
    );
  }

  /**
   * Puts the rank's rows on the GPU and returns the engine: after a re-neighbouring (new rows) a
   * reload, or a new engine when they outgrow the capacity; otherwise positions only (no forced
   * list rebuild). Call it right before encoding a compute.
   */
  async upload(rank: DomainRank): Promise<WebGpuEngine> {
    if (this.engine && this.current(rank)) {
      this.engine.writePositions(this.positions(rank));
      return this.engine;
    }
    const nAll = rank.nAll;
    if (!this.engine || nAll > this.capacity) {
      const first = this.engine === null;
      this.engine?.destroy();
      this.engine = null;
      const wanted = this.options.initialCapacity;
      this.capacity =
        first && wanted !== undefined
          ? Math.max(1, nAll, Math.ceil(wanted))
          : Math.max(MIN_ROWS, Math.ceil(1.5 * nAll));
      const batch = this.batchOf(rank);
      this.engine = await createGpuEngine(this.device, batch, this.potential, {
        skin: this.options.skin,
        kernels: await sharedKernels(this.device),
        ...(this.options.tables ? { tables: this.options.tables } : {}),
        ...(this.options.gnnModel ? { gnnModel: this.options.gnnModel } : {}),
      });
      this.created++;
    } else {
      this.engine.reload(this.batchOf(rank));
      this.reloads++;
    }
    this.generation = rank.generation;
    this.rows = nAll;
    this.rank = rank;
    return this.engine;
  }

  /** The rows as a one-system, non-periodic batch of `capacity` atoms (sets the origin). */
  batchOf(rank: DomainRank): Batch {
    const n = this.capacity;
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < rank.nAll; i++) {
      if (!this.options.visible(rank.type[i]!)) continue;
      for (let a = 0; a < 3; a++) {
        lo[a] = Math.min(lo[a]!, rank.x[3 * i + a]!);
        hi[a] = Math.max(hi[a]!, rank.x[3 * i + a]!);
      }
    }
    // The box of the visible rows, origin at its low corner: f32 coordinates stay as small as they
    // can (their rounding is the main error of the GPU's energies). Atoms drifting out of it until
    // the next re-neighbouring land in the face cells (open axes), which reach to infinity.
    const cell = new Float64Array(9);
    for (let a = 0; a < 3; a++) {
      if (lo[a] === Infinity) {
        lo[a] = 0;
        hi[a] = 0;
      }
      this.origin[a] = lo[a]!;
      cell[4 * a] = Math.max(hi[a]! - lo[a]!, 1);
    }
    const types = new Int32Array(n).fill(-1);
    for (let i = 0; i < rank.nAll; i++) if (this.options.visible(rank.type[i]!)) types[i] = rank.type[i]!;
    return {
      nAtoms: n,
      nSystems: 1,
      atomsPtr: Int32Array.of(0, n),
      positions: this.positions(rank),
      velocities: new Float64Array(3 * n),
      masses: new Float64Array(n).fill(1),
      types,
      atomicNumbers: new Int32Array(n),
      cells: cell,
      pbc: new Uint8Array(3),
      systemIds: Int32Array.of(0),
    };
  }

  /** Engine positions: rank rows relative to the origin, padding and invisible rows at the origin. */
  positions(rank: DomainRank): Float64Array {
    const out = new Float64Array(3 * this.capacity);
    for (let i = 0; i < rank.nAll; i++) {
      if (!this.options.visible(rank.type[i]!)) continue;
      for (let a = 0; a < 3; a++) out[3 * i + a] = rank.x[3 * i + a]! - this.origin[a]!;
    }
    return out;
  }

  /**
   * Reads back forces (xyz, w = energy) and, with `virial`, per-atom virials after the work encoded
   * by `encode` (re-encoded after a neighbour-list overflow), in one mapAsync.
   */
  async readForces(
    encode: (encoder: GPUCommandEncoder) => void,
    virial: boolean,
  ): Promise<{ order: Uint32Array; forces: Float32Array; virials: Float32Array | null }> {
    const engine = this.requireEngine();
    const b = engine.buffers;
    const n = this.capacity;
    for (;;) {
      const encoder = engine.begin('rank forces');
      encode(encoder);
      const sources = [{ buffer: b.forces, bytes: 16 * n }];
      if (virial) sources.push({ buffer: b.virials, bytes: 32 * n });
      const got = await engine.readRows(encoder, sources);
      if (!got) continue;
      return {
        order: got.order,
        forces: new Float32Array(got.data[0]!),
        virials: virial ? new Float32Array(got.data[1]!) : null,
      };
    }
  }

  /**
   * Owned rows of a readback into `out` (rank row order, f64): forces, energies, and with
   * `virials` per-atom virials; sums this rank's energy and virial in f64.
   */
  unpackOwned(
    rank: DomainRank,
    read: { order: Uint32Array; forces: Float32Array; virials: Float32Array | null },
    out: LocalForces,
  ): void {
    const { order, forces, virials } = read;
    const n = this.capacity;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      if (i >= rank.nLocal || !this.options.visible(rank.type[i]!)) continue;
      for (let a = 0; a < 3; a++) out.forces[3 * i + a] = forces[4 * k + a]!;
      out.energies[i] = forces[4 * k + 3]!;
      out.energy += forces[4 * k + 3]!;
      if (!virials) continue;
      // Column-major on the GPU: (xx, yy, zz, xy) in row k, (xz, yz, 0, 0) in row n + k.
      const v = out.atomVirial;
      for (let c = 0; c < 4; c++) v[6 * i + c] = virials[4 * k + c]!;
      v[6 * i + 4] = virials[4 * (n + k)]!;
      v[6 * i + 5] = virials[4 * (n + k) + 1]!;
      addAtomVirial(out, i);
    }
  }

  /** The engine (throws before the first upload). */
  requireEngine(): WebGpuEngine {
    if (!this.engine) throw new Error('the rank engine has no rows yet: upload(rank) first');
    return this.engine;
  }

  destroy(): void {
    this.engine?.destroy();
    this.engine = null;
    this.rank = null;
  }
}

/** True if any owned row is visible to the potential (else its forces are zero: no GPU work). */
function anyVisibleOwned(rank: DomainRank, visible: TypeVisibility): boolean {
  for (let i = 0; i < rank.nLocal; i++) if (visible(rank.type[i]!)) return true;
  return false;
}

function checkGhostCutoff(rank: DomainRank, cutoff: number, label: string): void {
  if (cutoff > rank.plan.ghostCutoff) {
    throw new Error(
      `${label}: cutoff ${cutoff} Å exceeds the ghost cutoff ${rank.plan.ghostCutoff} Å of the decomposition`,
    );
  }
}

/** EAM: density pass, F' of owned rows read back, forward exchange, ghosts' F' uploaded, force pass. */
async function computeEam(
  rank: DomainRank,
  rows: RankEngine,
  request: ForceRequest,
  out: LocalForces,
): Promise<void> {
  const engine = await rows.upload(rank);
  const eam = engine.gpuPotential;
  if (!(eam instanceof GpuEam)) throw new Error(`expected the EAM potential, got ${eam.label}`);
  const n = rows.capacity;
  let read: { order: Uint32Array; data: ArrayBuffer[] } | null = null;
  while (!read) {
    const encoder = engine.begin('rank eam density');
    engine.encodeNeighbors(encoder);
    eam.encodeDensity(encoder);
    read = await engine.readRows(encoder, [{ buffer: eam.embeddingBuffer, bytes: 8 * n }]);
  }
  const order = read.order;
  const embedding = new Float32Array(read.data[0]!);
  const fp = new Float64Array(rank.nAll);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (i < rank.nLocal) fp[i] = embedding[2 * k]!;
  }
  await rank.forward(fp, 1);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (i >= rank.nLocal && i < rank.nAll) embedding[2 * k] = fp[i]!;
  }
  engine.device.queue.writeBuffer(eam.embeddingBuffer, 0, embedding);
  // No list build between the two passes: the force pass sees the rows in the order just read.
  rows.unpackOwned(rank, await rows.readForces((e) => eam.encodeForce(e), request.virial), out);
}

/**
 * The force field of a rank on `device` for `potential` (EAM: with `options.tables`). The engine is
 * created at the first compute, with the rank's rows, and kept (see {@link RankEngine}).
 * Throws for an EAM without tables or whose tables do not match its elements, and for kinds without
 * a GPU rank force field here.
 */
export function createGpuForceField(
  device: GPUDevice,
  potential: PotentialSpec,
  options: GpuForceFieldOptions,
): GpuRankForceField {
  if (potential.kind === 'gnn') return createGpuGnnForceField(device, potential, options);
  const cutoff = potentialCutoff(potential, options.tables);
  let visible: TypeVisibility = notNull;
  if (potential.kind === 'eam') {
    const tables = options.tables;
    if (!tables) throw new Error('an EAM potential needs its tables (eamTabulation of its file)');
    if (tables.nTypes !== potential.elements.length) {
      throw new Error(
        `the EAM tables have ${tables.nTypes} types but the potential lists ${potential.elements.length} elements`,
      );
    }
    visible = eamVisibility(eamSplines(tables));
  }
  const label = `${potential.kind} (webgpu)`;
  const rows = new RankEngine(device, potential, {
    skin: options.skin,
    visible,
    tables: options.tables,
    initialCapacity: options.initialCapacity,
  });
  return {
    label,
    cutoff,
    visible,
    rows,
    async compute(rank: DomainRank, request: ForceRequest): Promise<LocalForces> {
      checkGhostCutoff(rank, cutoff, label);
      const out = emptyLocalForces(rank.nAll);
      const work = anyVisibleOwned(rank, visible);
      if (potential.kind === 'eam') {
        // Every rank joins the forward exchange of F', with or without atoms of its own.
        if (work) await computeEam(rank, rows, request, out);
        else await rank.forward(new Float64Array(rank.nAll), 1);
        return out;
      }
      if (!work) return out;
      const engine = await rows.upload(rank);
      rows.unpackOwned(rank, await rows.readForces((e) => engine.encodeCompute(e), request.virial), out);
      return out;
    },
    destroy(): void {
      rows.destroy();
    },
  };
}
