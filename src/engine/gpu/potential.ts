/**
 * The pluggable potential of the GPU engine. The engine owns the batch buffers and the Verlet list;
 * a {@link GpuPotential} owns its parameters, scratch buffers and bind groups, and encodes the
 * pass(es) that fill `forces` (xyz eV/Å, w = per-atom energy eV) and `virials` (per-atom virial,
 * eV, layout in kernels/common/structs.wgsl) from the current list.
 *
 * Neighbor entries: kernels read a row's entries `neighbors[(k + 1)·nAtoms + i]`, k < neighbors[i],
 * and decode each only through `neighborRow(entry)` and `pairSeparation(pi, pj, entry, system)`
 * from kernels/common/structs.wgsl (an entry carries the neighbor's row and its periodic image).
 */
import type { PotentialSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import type { BatchBuffers } from './buffers.ts';
import type { KernelSet } from './kernels.ts';

/** A potential's force/energy/virial pass(es) on the GPU. */
export interface GpuPotential {
  /** Short name for logs and errors. */
  readonly label: string;
  /**
   * Encodes the force/energy/virial pass(es) into `encoder` (the potential begins and ends its own
   * compute pass(es)); the neighbor list is current when they run.
   */
  encode(encoder: GPUCommandEncoder): void;
  /** Rebinds after the neighbor buffer grew (the old buffer is destroyed). */
  setNeighbors(neighbors: GPUBuffer): void;
  /** Destroys the potential's own buffers (not the context's). */
  destroy(): void;
}

/** What a {@link GpuPotential} is built from. */
export interface GpuPotentialContext {
  /**
   * Pipelines; `await kernels.ensure([...])` compiles the potential's own passes (declared in
   * shaders.ts) before use.
   */
  kernels: KernelSet;
  /** The batch's GPU buffers (positions in cell order, forces, virials, systems, …). */
  buffers: BatchBuffers;
  /** The Verlet list as it is now; later replacements come through `setNeighbors`. */
  neighbors: GPUBuffer;
  /** The batch as uploaded (types, masses; atoms in their original order). */
  batch: Batch;
}

/** Builds the GPU potential of a spec (EAM gets its tables). */
export type GpuPotentialFactory = (
  context: GpuPotentialContext,
  spec: PotentialSpec,
  tables?: EamTabulation,
) => GpuPotential | Promise<GpuPotential>;
