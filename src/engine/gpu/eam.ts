/**
 * Embedded-atom method on the GPU (LAMMPS `pair_style eam`, `eam/alloy`, `eam/fs`): LAMMPS's
 * spline coefficients (src/engine/potentials/eamSpline.ts) uploaded as f32 and evaluated with the
 * same knot arithmetic, in two passes over the full Verlet list:
 *   1. kernels/potentials/eam_density.wgsl: ρ_i, then F(ρ_i) and F'(ρ_i) (one thread owns ρ_i);
 *   2. kernels/potentials/eam_force.wgsl: forces, per-atom energy F_i + ½Σφ and per-atom virial.
 * Both passes share kernels/potentials/eam_common.wgsl.
 */
import type { EamSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import { EAM_SPLINE_COEFFICIENTS, type EamSplines, eamSplines } from '../potentials/eamSpline.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import type { BatchBuffers } from './buffers.ts';
import { type KernelSet, workgroupsFor } from './kernels.ts';
import type { GpuPotential, GpuPotentialContext } from './potential.ts';

/** Where the regions of the packed tables start (rows of 4 words), as EamParams carries them. */
export interface EamTableLayout {
  embeddingRow: number;
  densityRow: number;
  forceRow: number;
  /** Rows in all. */
  rows: number;
}

/** Rows per (pair, knot) record of the force region. */
const FORCE_RECORD_ROWS = 4;

/** The layout of {@link packEamTables} for these splines. */
export function eamTableLayout(s: EamSplines): EamTableLayout {
  const nPairs = s.nTypes * s.nTypes;
  const embeddingRow = s.nTypes;
  const densityRow = embeddingRow + 2 * s.nTypes * s.nrho;
  const forceRow = densityRow + nPairs * s.nr;
  return { embeddingRow, densityRow, forceRow, rows: forceRow + FORCE_RECORD_ROWS * nPairs * s.nr };
}

/**
 * Packs the `tables` buffer of kernels/potentials/eam_common.wgsl (its header says the layout):
 * LAMMPS's spline coefficients (f32) re-laid per type for F(ρ) and per ordered type pair and knot
 * for the r functions, so that a neighbor costs one record read per pass. Pairs with a NULL
 * element stay zero.
 */
export function packEamTables(s: EamSplines): Uint32Array<ArrayBuffer> {
  const n = s.nTypes;
  const nPairs = n * n;
  const layout = eamTableLayout(s);
  const buffer = new ArrayBuffer(16 * layout.rows);
  const words = new Uint32Array(buffer);
  const f = new Float32Array(buffer);
  const c7 = EAM_SPLINE_COEFFICIENTS;
  for (let t = 0; t < n; t++) {
    const table = s.type2frho[t]!;
    if (table < 0) continue;
    words[4 * t] = 1;
    for (let m = 0; m < s.nrho; m++) {
      const o = c7 * (table * s.nrho + m);
      const row = layout.embeddingRow + 2 * (t * s.nrho + m);
      f.set([s.frho[o + 3]!, s.frho[o + 4]!, s.frho[o + 5]!, s.frho[o + 6]!], 4 * row);
      f.set([s.frho[o]!, s.frho[o + 1]!, s.frho[o + 2]!], 4 * row + 4);
    }
  }
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      const atA = s.type2rhor[b * n + a]!; // density b contributes at a
      const atB = s.type2rhor[a * n + b]!; // density a contributes at b
      const z2r = s.type2z2r[a * n + b]!;
      if (s.type2frho[a]! < 0 || s.type2frho[b]! < 0 || atA < 0 || atB < 0 || z2r < 0) continue;
      const k = a * n + b;
      for (let m = 0; m < s.nr; m++) {
        const oa = c7 * (atA * s.nr + m);
        const ob = c7 * (atB * s.nr + m);
        const oz = c7 * (z2r * s.nr + m);
        const rho = s.rhor;
        const z = s.z2r;
        const density = layout.densityRow + m * nPairs + k;
        f.set([rho[oa + 3]!, rho[oa + 4]!, rho[oa + 5]!, rho[oa + 6]!], 4 * density);
        const force = layout.forceRow + FORCE_RECORD_ROWS * (m * nPairs + k);
        // biome-ignore format: one record row per line
        f.set(
          [
            rho[oa]!, rho[oa + 1]!, rho[oa + 2]!, z[oz]!,
            rho[ob]!, rho[ob + 1]!, rho[ob + 2]!, z[oz + 1]!,
            z[oz + 3]!, z[oz + 4]!, z[oz + 5]!, z[oz + 6]!,
            z[oz + 2]!,
          ],
          4 * force,
        );
      }
    }
  }
  return words;
}

/** Packs `EamParams` (kernels/potentials/eam_common.wgsl). */
export function packEamParams(s: EamSplines, nAtoms: number): ArrayBuffer {
  const layout = eamTableLayout(s);
  const buffer = new ArrayBuffer(48);
  const u = new Uint32Array(buffer);
  const f = new Float32Array(buffer);
  u[0] = nAtoms;
  u[1] = s.nTypes;
  u[2] = s.nTypes * s.nTypes;
  u[3] = s.nr;
  u[4] = s.nrho;
  u[5] = layout.embeddingRow;
  u[6] = layout.densityRow;
  u[7] = layout.forceRow;
  f[8] = s.rdr;
  f[9] = s.rdrho;
  f[10] = s.cutoff * s.cutoff;
  f[11] = s.rhomax;
  return buffer;
}

/** Throws unless every atom's type is −1 or a type of the tables. */
function checkTypes(batch: Batch, nTypes: number): void {
  for (let k = 0; k < batch.nAtoms; k++) {
    const t = batch.types[k]!;
    if (!Number.isInteger(t) || t < -1 || t >= nTypes) {
      throw new Error(
        `atom ${k} has type ${t}, but the EAM potential has ${nTypes} types (0 … ${nTypes - 1}; −1 is NULL)`,
      );
    }
  }
}

/** The two EAM passes over the full Verlet list. */
export class GpuEam implements GpuPotential {
  readonly label = 'eam';
  private readonly params: GPUBuffer;
  /** Type maps and spline coefficients (packEamTables). */
  private readonly tables: GPUBuffer;
  /** vec2f per atom: F'(ρ_i), F(ρ_i). */
  private readonly embedding: GPUBuffer;
  private densityGroup: GPUBindGroup;
  private forceGroup: GPUBindGroup;
  private readonly groups: number;

  constructor(
    private readonly kernels: KernelSet,
    private readonly b: BatchBuffers,
    s: EamSplines,
    neighbors: GPUBuffer,
  ) {
    this.tables = kernels.createBufferWith('eam tables', packEamTables(s), GPUBufferUsage.STORAGE);
    this.params = kernels.createBufferWith('eam params', packEamParams(s, b.nAtoms), GPUBufferUsage.UNIFORM);
    // COPY_SRC/COPY_DST: a domain rank reads F' back and writes its ghosts' F' (gpuForces.ts).
    this.embedding = kernels.createBuffer(
      'eam embedding',
      8 * b.nAtoms,
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    );
    this.groups = workgroupsFor(b.nAtoms, kernels.device);
    [this.densityGroup, this.forceGroup] = this.createBindGroups(neighbors);
  }

  private createBindGroups(neighbors: GPUBuffer): [GPUBindGroup, GPUBindGroup] {
    const b = this.b;
    const k = this.kernels;
    return [
      k.bindGroup('eamDensity', [
        b.positions,
        b.systemOf,
        b.systems,
        neighbors,
        this.tables,
        this.embedding,
        this.params,
      ]),
      k.bindGroup('eamForce', [
        b.positions,
        b.systemOf,
        b.systems,
        neighbors,
        this.tables,
        this.embedding,
        b.forces,
        b.virials,
        this.params,
      ]),
    ];
  }

  setNeighbors(neighbors: GPUBuffer): void {
    [this.densityGroup, this.forceGroup] = this.createBindGroups(neighbors);
  }

  encode(encoder: GPUCommandEncoder): void {
    // One pass, two dispatches: WebGPU orders the storage writes of the first before the second.
    const pass = encoder.beginComputePass({ label: 'eam' });
    this.dispatchDensity(pass);
    this.dispatchForce(pass);
    pass.end();
  }

  /**
   * Encodes the density pass alone: ρ_i, F(ρ_i) and F'(ρ_i) of every row into {@link GpuEam.embedding}.
   * With {@link GpuEam.encodeForce} it splits `encode` so that a caller can replace F' of some rows in
   * between (a domain rank's ghosts get their owners' F', decomposition/gpuForces.ts).
   */
  encodeDensity(encoder: GPUCommandEncoder): void {
    const pass = encoder.beginComputePass({ label: 'eam density' });
    this.dispatchDensity(pass);
    pass.end();
  }

  /** Encodes the force pass alone, with F' as {@link GpuEam.embedding} holds it now. */
  encodeForce(encoder: GPUCommandEncoder): void {
    const pass = encoder.beginComputePass({ label: 'eam force' });
    this.dispatchForce(pass);
    pass.end();
  }

  /** vec2f per storage row: (F'(ρ_i) eV, F(ρ_i) eV), written by the density pass. */
  get embeddingBuffer(): GPUBuffer {
    return this.embedding;
  }

  private dispatchDensity(pass: GPUComputePassEncoder): void {
    pass.setPipeline(this.kernels.pipeline('eamDensity'));
    pass.setBindGroup(0, this.densityGroup);
    pass.dispatchWorkgroups(this.groups);
  }

  private dispatchForce(pass: GPUComputePassEncoder): void {
    pass.setPipeline(this.kernels.pipeline('eamForce'));
    pass.setBindGroup(0, this.forceGroup);
    pass.dispatchWorkgroups(this.groups);
  }

  destroy(): void {
    this.params.destroy();
    this.tables.destroy();
    this.embedding.destroy();
  }
}

/**
 * The EAM potential of `spec` with its `tables` (eamTabulation of the spec's files) on the engine's
 * batch and neighbor list. The neighbor list must be built with the tables' cutoff (Å) + skin.
 * Throws for an atom whose type the tables lack.
 */
export async function createGpuEam(
  ctx: GpuPotentialContext,
  spec: EamSpec,
  tables: EamTabulation,
): Promise<GpuEam> {
  if (tables.nTypes !== spec.elements.length) {
    throw new Error(
      `the EAM tables have ${tables.nTypes} types but the potential lists ${spec.elements.length} elements`,
    );
  }
  checkTypes(ctx.batch, tables.nTypes);
  const splines = eamSplines(tables);
  const bytes = 16 * eamTableLayout(splines).rows;
  const limit = ctx.kernels.device.limits.maxStorageBufferBindingSize;
  if (bytes > limit) {
    throw new Error(
      `the EAM tables of ${tables.nTypes} types × ${tables.nr} r points need ${bytes} bytes on the GPU, ` +
        `above this device's storage binding limit of ${limit}`,
    );
  }
  await ctx.kernels.ensure(['eamDensity', 'eamForce']);
  return new GpuEam(ctx.kernels, ctx.buffers, splines, ctx.neighbors);
}
