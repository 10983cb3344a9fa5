/**
 * NVE (velocity Verlet) and Langevin (BAOAB) on the GPU. Both end with the same half kick after
 * the force evaluation (kernels/integrators/half_kick.wgsl), which also advances the step counters.
 */
import type { StageSpec } from '../../io/spec.ts';
import { BOLTZMANN_EV_PER_K } from '../units.ts';
import type { BatchBuffers } from './buffers.ts';
import { type KernelSet, workgroupsFor } from './kernels.ts';
import { type DynamicsParams, packDynamicsParams } from './layout.ts';
import type { GpuDynamics } from './types.ts';

type VerletStage = Extract<StageSpec, { kind: 'nve' | 'langevin' }>;

/** Per-system parameters of an NVE or Langevin stage (the same for every system of the batch). */
export function verletParams(stage: VerletStage): DynamicsParams {
  if (stage.kind === 'nve') return { dt: stage.dt };
  const c1 = Math.exp(-stage.friction * stage.dt);
  return {
    dt: stage.dt,
    c1,
    thermalVariance: (1 - c1 * c1) * BOLTZMANN_EV_PER_K * stage.temperature,
    seed: stage.seed,
  };
}

/** NVE or Langevin: one masked pass before the forces, the half kick after. */
export class GpuVerletDynamics implements GpuDynamics {
  readonly kind: VerletStage['kind'];
  private readonly params: GPUBuffer;
  private readonly preName: 'velocityVerletFirstHalf' | 'langevinBaoab';
  private readonly preGroup: GPUBindGroup;
  private readonly postGroup: GPUBindGroup;
  private readonly groups: number;
  private readonly dt: number;

  constructor(
    private readonly kernels: KernelSet,
    private readonly b: BatchBuffers,
    stage: VerletStage,
  ) {
    this.kind = stage.kind;
    this.dt = stage.dt;
    const perSystem = Array.from({ length: b.nSystems }, () => verletParams(stage));
    this.params = kernels.createBufferWith(
      `${stage.kind} params`,
      packDynamicsParams(perSystem),
      GPUBufferUsage.STORAGE,
    );
    this.groups = workgroupsFor(b.nAtoms, kernels.device);
    const common = [b.positions, b.velocities, b.forces, b.systemOf, b.status, this.params];
    if (stage.kind === 'nve') {
      this.preName = 'velocityVerletFirstHalf';
      this.preGroup = kernels.bindGroup(this.preName, common);
    } else {
      this.preName = 'langevinBaoab';
      this.preGroup = kernels.bindGroup(this.preName, [...common, b.steps, b.originalIndex, b.systems]);
    }
    this.postGroup = kernels.bindGroup('halfKick', [
      b.velocities,
      b.forces,
      b.systemOf,
      b.status,
      this.params,
      b.steps,
    ]);
  }

  encodePreUpdate(encoder: GPUCommandEncoder, statusCode: number): void {
    this.encodePass(encoder, this.preName, this.preGroup, statusCode);
  }

  encodePostUpdate(encoder: GPUCommandEncoder, statusCode: number): void {
    this.encodePass(encoder, 'halfKick', this.postGroup, statusCode);
  }

  private encodePass(
    encoder: GPUCommandEncoder,
    name: 'velocityVerletFirstHalf' | 'langevinBaoab' | 'halfKick',
    group: GPUBindGroup,
    code: number,
  ): void {
    const pass = encoder.beginComputePass({ label: `${this.kind} ${name}` });
    pass.setPipeline(this.kernels.pipeline(name));
    pass.setBindGroup(0, group);
    pass.setBindGroup(1, this.kernels.statusCodeBindGroup(name, code));
    pass.dispatchWorkgroups(this.groups);
    pass.end();
  }

  async readTimeStep(): Promise<Float64Array> {
    return new Float64Array(this.b.nSystems).fill(this.dt);
  }

  /** NVE and Langevin carry no state besides the engine's step counters. */
  reset(): void {}

  destroy(): void {
    this.params.destroy();
  }
}
