/**
 * Pair potentials on the GPU: one pass over the full Verlet list (kernels/potentials/pair_sum.wgsl)
 * with the potential's pair term prepended (lennard_jones.wgsl, morse.wgsl). Each potential only packs
 * its uniform parameters.
 */
import type { LennardJonesSpec, MorseSpec } from '../../io/spec.ts';
import { morsePairEnergy } from '../reference/morse.ts';
import type { BatchBuffers } from './buffers.ts';
import { type KernelSet, workgroupsFor } from './kernels.ts';
import type { GpuPotential, GpuPotentialContext } from './potential.ts';

/** Packs `LennardJonesParams`: σ², rc², 4ε, 24ε, energy shift (eV), nAtoms. */
export function packLennardJonesParams(p: LennardJonesSpec, nAtoms: number): ArrayBuffer {
  const buffer = new ArrayBuffer(32);
  const f = new Float32Array(buffer);
  const u = new Uint32Array(buffer);
  const sr6 = (p.sigma / p.cutoff) ** 6;
  f[0] = p.sigma * p.sigma;
  f[1] = p.cutoff * p.cutoff;
  f[2] = 4 * p.epsilon;
  f[3] = 24 * p.epsilon;
  f[4] = p.shift ? 4 * p.epsilon * (sr6 * sr6 - sr6) : 0;
  u[5] = nAtoms;
  return buffer;
}

/** Packs `MorseParams`: D0 (eV), α (1/Å), r0 (Å), rc² (Å²), 2αD0 (eV/Å), energy shift (eV), nAtoms. */
export function packMorseParams(p: MorseSpec, nAtoms: number): ArrayBuffer {
  const buffer = new ArrayBuffer(32);
  const f = new Float32Array(buffer);
  const u = new Uint32Array(buffer);
  f[0] = p.d0;
  f[1] = p.alpha;
  f[2] = p.r0;
  f[3] = p.cutoff * p.cutoff;
  f[4] = 2 * p.alpha * p.d0;
  f[5] = p.shift ? morsePairEnergy(p.cutoff, p) : 0;
  u[6] = nAtoms;
  return buffer;
}

/** The pass of a pair potential over the full Verlet list. */
export class GpuPairPotential implements GpuPotential {
  private readonly params: GPUBuffer;
  private bindGroup: GPUBindGroup;
  private readonly groups: number;

  constructor(
    readonly label: string,
    private readonly pass: 'lennardJones' | 'morse',
    private readonly kernels: KernelSet,
    private readonly b: BatchBuffers,
    params: ArrayBuffer,
    neighbors: GPUBuffer,
  ) {
    this.params = kernels.createBufferWith(`${label} params`, params, GPUBufferUsage.UNIFORM);
    this.groups = workgroupsFor(b.nAtoms, kernels.device);
    this.bindGroup = this.createBindGroup(neighbors);
  }

  private createBindGroup(neighbors: GPUBuffer): GPUBindGroup {
    const b = this.b;
    return this.kernels.bindGroup(this.pass, [
      b.positions,
      b.systemOf,
      b.systems,
      neighbors,
      b.forces,
      b.virials,
      this.params,
    ]);
  }

  setNeighbors(neighbors: GPUBuffer): void {
    this.bindGroup = this.createBindGroup(neighbors);
  }

  encode(encoder: GPUCommandEncoder): void {
    const pass = encoder.beginComputePass({ label: this.label });
    pass.setPipeline(this.kernels.pipeline(this.pass));
    pass.setBindGroup(0, this.bindGroup);
    pass.dispatchWorkgroups(this.groups);
    pass.end();
  }

  destroy(): void {
    this.params.destroy();
  }
}

/** Lennard-Jones on the engine's batch and neighbor list (compiles its pass once). */
export async function createGpuLennardJones(
  ctx: GpuPotentialContext,
  spec: LennardJonesSpec,
): Promise<GpuPotential> {
  await ctx.kernels.ensure(['lennardJones']);
  const params = packLennardJonesParams(spec, ctx.buffers.nAtoms);
  return new GpuPairPotential(
    'lennard-jones',
    'lennardJones',
    ctx.kernels,
    ctx.buffers,
    params,
    ctx.neighbors,
  );
}

/** Morse (LAMMPS `pair_style morse`) on the engine's batch and neighbor list. */
export async function createGpuMorse(ctx: GpuPotentialContext, spec: MorseSpec): Promise<GpuPotential> {
  await ctx.kernels.ensure(['morse']);
  const params = packMorseParams(spec, ctx.buffers.nAtoms);
  return new GpuPairPotential('morse', 'morse', ctx.kernels, ctx.buffers, params, ctx.neighbors);
}
