/**
 * FIRE (ASE's variant, mass-weighted) on the GPU. The whole update is the pre-update, in five
 * passes: block partials of F·v, |F|², |v|² → per-system state update (dt, α, n⁺ in a GPU buffer)
 * → mix and kick with block partials of |dr|² → per-system step limit → drift. No CPU round trip.
 */
import type { StageSpec } from '../../io/spec.ts';
import type { BatchBuffers } from './buffers.ts';
import { type KernelSet, readBuffer, workgroupsFor } from './kernels.ts';
import { FIRE_STATE_BYTES, packDynamicsParams, packInitialFireState } from './layout.ts';
import type { GpuDynamics } from './types.ts';

type FireStage = Extract<StageSpec, { kind: 'fire' }>;

export class GpuFire implements GpuDynamics {
  readonly kind = 'fire' as const;
  private readonly params: GPUBuffer;
  private readonly state: GPUBuffer;
  private readonly partials: GPUBuffer;
  private readonly groups: Record<'power' | 'adapt' | 'kick' | 'limit' | 'drift', GPUBindGroup>;
  private readonly atomGroups: number;
  private readonly dt: number;

  constructor(
    private readonly kernels: KernelSet,
    private readonly b: BatchBuffers,
    stage: FireStage,
  ) {
    const k = kernels;
    this.dt = stage.dt;
    const perSystem = Array.from({ length: b.nSystems }, () => ({
      dt: stage.dt,
      dtMax: stage.dtMax,
      maxStep: stage.maxStep,
    }));
    this.params = k.createBufferWith('fire params', packDynamicsParams(perSystem), GPUBufferUsage.STORAGE);
    this.state = k.createBuffer(
      'fire state',
      FIRE_STATE_BYTES * b.nSystems,
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    );
    this.partials = k.createBuffer('fire partials', 16 * b.blockCapacity, GPUBufferUsage.STORAGE);
    this.atomGroups = workgroupsFor(b.nAtoms, k.device);
    this.groups = {
      power: k.bindGroup('firePower', [b.velocities, b.forces, b.blocks, b.status, this.partials]),
      adapt: k.bindGroup('fireAdapt', [this.partials, b.systems, b.status, this.state, this.params]),
      kick: k.bindGroup('fireKick', [b.velocities, b.forces, b.blocks, b.status, this.state, this.partials]),
      limit: k.bindGroup('fireStepLimit', [
        this.partials,
        b.systems,
        b.status,
        this.state,
        this.params,
        b.steps,
      ]),
      drift: k.bindGroup('fireDrift', [b.positions, b.velocities, b.systemOf, b.status, this.state]),
    };
    this.reset();
  }

  encodePreUpdate(encoder: GPUCommandEncoder, statusCode: number): void {
    const k = this.kernels;
    const pass = encoder.beginComputePass({ label: 'fire update' });
    const run = (
      name: 'firePower' | 'fireAdapt' | 'fireKick' | 'fireStepLimit' | 'fireDrift',
      group: GPUBindGroup,
      n: number,
    ) => {
      pass.setPipeline(k.pipeline(name));
      pass.setBindGroup(0, group);
      pass.setBindGroup(1, k.statusCodeBindGroup(name, statusCode));
      pass.dispatchWorkgroups(n);
    };
    if (this.b.blockCount > 0) run('firePower', this.groups.power, this.b.blockCount);
    run('fireAdapt', this.groups.adapt, this.b.nSystems);
    if (this.b.blockCount > 0) run('fireKick', this.groups.kick, this.b.blockCount);
    run('fireStepLimit', this.groups.limit, this.b.nSystems);
    run('fireDrift', this.groups.drift, this.atomGroups);
    pass.end();
  }

  /** FIRE's whole update is the pre-update. */
  encodePostUpdate(): void {}

  /** Current FIRE time step per system, fs (read from the GPU). */
  async readTimeStep(): Promise<Float64Array> {
    const data = new Float32Array(
      await readBuffer(this.kernels.device, this.state, FIRE_STATE_BYTES * this.b.nSystems),
    );
    return Float64Array.from({ length: this.b.nSystems }, (_, s) => data[(FIRE_STATE_BYTES / 4) * s]!);
  }

  /** Back to dt = the stage's dt, α = 0.1, n⁺ = 0, not started, for the given systems (all by default). */
  reset(systems?: readonly number[]): void {
    const initial = packInitialFireState(this.dt);
    const list = systems ?? Array.from({ length: this.b.nSystems }, (_, s) => s);
    for (const s of list) this.kernels.device.queue.writeBuffer(this.state, FIRE_STATE_BYTES * s, initial);
  }

  destroy(): void {
    this.params.destroy();
    this.state.destroy();
    this.partials.destroy();
  }
}
