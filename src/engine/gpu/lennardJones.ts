/** Lennard-Jones forces, per-atom energies and virials on the GPU (kernels/potentials/lennard_jones.wgsl). */
import type { LennardJonesSpec } from '../../io/spec.ts';
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

/** The LJ pass over the full Verlet list. */
export class GpuLennardJones implements GpuPotential {
  readonly label = 'lennard-jones';
  private readonly params: GPUBuffer;
  private bindGroup: GPUBindGroup;
  private readonly groups: number;

  constructor(
    private readonly kernels: KernelSet,
    private readonly b: BatchBuffers,
    spec: LennardJonesSpec,
    neighbors: GPUBuffer,
  ) {
    this.params = kernels.createBufferWith(
      'lennard-jones params',
      packLennardJonesParams(spec, b.nAtoms),
      GPUBufferUsage.UNIFORM,
    );
    this.groups = workgroupsFor(b.nAtoms, kernels.device);
    this.bindGroup = this.createBindGroup(neighbors);
  }

  private createBindGroup(neighbors: GPUBuffer): GPUBindGroup {
    const b = this.b;
    return this.kernels.bindGroup('lennardJones', [
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
    const pass = encoder.beginComputePass({ label: 'lennard-jones' });
    pass.setPipeline(this.kernels.pipeline('lennardJones'));
    pass.setBindGroup(0, this.bindGroup);
    pass.dispatchWorkgroups(this.groups);
    pass.end();
  }

  destroy(): void {
    this.params.destroy();
  }
}

/** The {@link GpuPotential} of a Lennard-Jones spec. */
export async function createGpuLennardJones(
  context: GpuPotentialContext,
  spec: LennardJonesSpec,
): Promise<GpuLennardJones> {
  await context.kernels.ensure(['lennardJones']);
  return new GpuLennardJones(context.kernels, context.buffers, spec, context.neighbors);
}
