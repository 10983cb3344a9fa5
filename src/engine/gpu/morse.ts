/** Morse forces, per-atom energies and virials on the GPU (kernels/potentials/morse.wgsl). */
import type { MorseSpec } from '../../io/spec.ts';
import { morsePairEnergy } from '../reference/morse.ts';
import type { BatchBuffers } from './buffers.ts';
import { type KernelSet, workgroupsFor } from './kernels.ts';
import type { GpuPotential, GpuPotentialContext } from './potential.ts';

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

/** The Morse pass over the full Verlet list (LAMMPS `pair_style morse`). */
export class GpuMorse implements GpuPotential {
  readonly label = 'morse';
  private readonly params: GPUBuffer;
  private bindGroup: GPUBindGroup;
  private readonly groups: number;

  constructor(
    private readonly kernels: KernelSet,
    private readonly b: BatchBuffers,
    spec: MorseSpec,
    neighbors: GPUBuffer,
  ) {
    this.params = kernels.createBufferWith(
      'morse params',
      packMorseParams(spec, b.nAtoms),
      GPUBufferUsage.UNIFORM,
    );
    this.groups = workgroupsFor(b.nAtoms, kernels.device);
    this.bindGroup = this.createBindGroup(neighbors);
  }

  private createBindGroup(neighbors: GPUBuffer): GPUBindGroup {
    const b = this.b;
    return this.kernels.bindGroup('morse', [
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
    const pass = encoder.beginComputePass({ label: 'morse' });
    pass.setPipeline(this.kernels.pipeline('morse'));
    pass.setBindGroup(0, this.bindGroup);
    pass.dispatchWorkgroups(this.groups);
    pass.end();
  }

  destroy(): void {
    this.params.destroy();
  }
}

/** The Morse potential of `spec` on the engine's batch and neighbor list (compiles its pass once). */
export async function createGpuMorse(ctx: GpuPotentialContext, spec: MorseSpec): Promise<GpuMorse> {
  await ctx.kernels.ensure(['morse']);
  return new GpuMorse(ctx.kernels, ctx.buffers, spec, ctx.neighbors);
}
