/**
 * FIRE2 (Guénolé et al. 2020, Algorithm 2; reference: src/engine/reference/fire2.ts) on the GPU.
 * The whole update is the pre-update, in three passes: block partials of F·v, |F|², |v|² and their
 * mass-weighted companions → per-system state update (dt, α, n⁺ and the step's coefficients in a
 * GPU buffer) → per-atom half-step back, kick, mix and drift. No CPU round trip.
 */
import type { StageSpec } from '../../io/spec.ts';
import { FIRE2_CONSTANTS } from '../reference/fire2.ts';
import type { BatchBuffers } from './buffers.ts';
import { type KernelSet, readBuffer, workgroupsFor } from './kernels.ts';
import type { GpuDynamics } from './types.ts';

type Fire2Stage = Extract<StageSpec, { kind: 'fire2' }>;

/** `Fire2Params` (kernels/integrators/fire2_state.wgsl): 8 × 4 bytes. */
export const FIRE2_PARAMS_BYTES = 32;
/** `Fire2State`: 12 × 4 bytes. */
export const FIRE2_STATE_BYTES = 48;

/** Packs one `Fire2Params` per system. */
export function packFire2Params(stage: Fire2Stage, nSystems: number): ArrayBuffer {
  const buffer = new ArrayBuffer(FIRE2_PARAMS_BYTES * nSystems);
  const f = new Float32Array(buffer);
  const u = new Uint32Array(buffer);
  for (let s = 0; s < nSystems; s++) {
    const o = (FIRE2_PARAMS_BYTES / 4) * s;
    f[o] = stage.dtMax;
    f[o + 1] = stage.dtMin;
    f[o + 2] = stage.maxStep;
    u[o + 3] = stage.nDelay;
    u[o + 4] = stage.initialDelay ? 1 : 0;
  }
  return buffer;
}

/** FIRE2's initial state for one system: dt (fs), α = α_start, n⁺ = 0, no steps. */
export function packInitialFire2State(dt: number): ArrayBuffer {
  const buffer = new ArrayBuffer(FIRE2_STATE_BYTES);
  const f = new Float32Array(buffer);
  f[0] = dt;
  f[1] = FIRE2_CONSTANTS.alphaStart;
  f[5] = 1; // keep
  f[6] = 1; // mixVelocity
  return buffer;
}

/** One system's FIRE2 state read back from the GPU. */
export interface GpuFire2State {
  /** fs */
  dt: number;
  alpha: number;
  nPositive: number;
  steps: number;
}

type Pass = 'fire2Power' | 'fire2Adapt' | 'fire2Update';

export class GpuFire2 implements GpuDynamics {
  readonly kind = 'fire2' as const;
  private readonly params: GPUBuffer;
  private readonly state: GPUBuffer;
  private readonly partials: GPUBuffer;
  private readonly groups: Record<Pass, GPUBindGroup>;
  private readonly atomGroups: number;
  private readonly dt: number;

  constructor(
    private readonly kernels: KernelSet,
    private readonly b: BatchBuffers,
    stage: Fire2Stage,
  ) {
    const k = kernels;
    this.dt = stage.dt;
    this.params = k.createBufferWith(
      'fire2 params',
      packFire2Params(stage, b.nSystems),
      GPUBufferUsage.STORAGE,
    );
    this.state = k.createBuffer(
      'fire2 state',
      FIRE2_STATE_BYTES * b.nSystems,
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    );
    this.partials = k.createBuffer('fire2 partials', 32 * b.blockCapacity, GPUBufferUsage.STORAGE);
    this.atomGroups = workgroupsFor(b.nAtoms, k.device);
    this.groups = {
      fire2Power: k.bindGroup('fire2Power', [b.velocities, b.forces, b.blocks, b.status, this.partials]),
      fire2Adapt: k.bindGroup('fire2Adapt', [
        this.partials,
        b.systems,
        b.status,
        this.state,
        this.params,
        b.steps,
      ]),
      fire2Update: k.bindGroup('fire2Update', [
        b.positions,
        b.velocities,
        b.forces,
        b.systemOf,
        b.status,
        this.state,
      ]),
    };
    this.reset();
  }

  encodePreUpdate(encoder: GPUCommandEncoder, statusCode: number): void {
    const pass = encoder.beginComputePass({ label: 'fire2 update' });
    const run = (name: Pass, n: number) => {
      pass.setPipeline(this.kernels.pipeline(name));
      pass.setBindGroup(0, this.groups[name]);
      pass.setBindGroup(1, this.kernels.statusCodeBindGroup(name, statusCode));
      pass.dispatchWorkgroups(n);
    };
    if (this.b.blockCount > 0) run('fire2Power', this.b.blockCount);
    run('fire2Adapt', this.b.nSystems);
    run('fire2Update', this.atomGroups);
    pass.end();
  }

  /** FIRE2's whole update is the pre-update. */
  encodePostUpdate(): void {}

  /** Each system's state (awaits the GPU). */
  async readState(): Promise<GpuFire2State[]> {
    const data = await readBuffer(this.kernels.device, this.state, FIRE2_STATE_BYTES * this.b.nSystems);
    const f = new Float32Array(data);
    const u = new Uint32Array(data);
    return Array.from({ length: this.b.nSystems }, (_, s) => {
      const o = (FIRE2_STATE_BYTES / 4) * s;
      return { dt: f[o]!, alpha: f[o + 1]!, nPositive: u[o + 2]!, steps: u[o + 3]! };
    });
  }

  /** Current FIRE2 time step per system, fs (read from the GPU). */
  async readTimeStep(): Promise<Float64Array> {
    return Float64Array.from(await this.readState(), (st) => st.dt);
  }

  /** Back to the stage's dt, α = α_start, n⁺ = 0, no steps, for the given systems (all by default). */
  reset(systems?: readonly number[]): void {
    const initial = packInitialFire2State(this.dt);
    const list = systems ?? Array.from({ length: this.b.nSystems }, (_, s) => s);
    for (const s of list) this.kernels.device.queue.writeBuffer(this.state, FIRE2_STATE_BYTES * s, initial);
  }

  destroy(): void {
    this.params.destroy();
    this.state.destroy();
    this.partials.destroy();
  }
}
