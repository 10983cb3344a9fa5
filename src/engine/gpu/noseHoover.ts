/**
 * Nosé–Hoover chain NVT on the GPU (LAMMPS fix nvt's splitting; reference:
 * src/engine/reference/noseHoover.ts). Each system's chain lives in a GPU buffer; its kinetic
 * energy is reduced per system on the GPU (block partials, then one workgroup per system), so a
 * step needs no CPU round trip:
 *   pre-update:  kinetic partials → chain half step → v ← factor·v; v += dt/2·a; x += dt·v
 *   post-update: v += dt/2·a (half_kick.wgsl, advances the step counters) → kinetic partials →
 *                chain half step → v ← factor·v
 */
import { MAX_CHAIN_LENGTH, type StageSpec } from '../../io/spec.ts';
import { BOLTZMANN_EV_PER_K } from '../units.ts';
import type { BatchBuffers } from './buffers.ts';
import { type KernelSet, readBuffer, workgroupsFor } from './kernels.ts';
import { packDynamicsParams } from './layout.ts';
import type { PassName } from './shaders.ts';
import type { GpuDynamics } from './types.ts';

type NoseHooverStage = Extract<StageSpec, { kind: 'nose-hoover' }>;

/** `NoseHooverParams` (kernels/integrators/nose_hoover_state.wgsl): 4 × 4 bytes. */
export const NOSE_HOOVER_PARAMS_BYTES = 16;
/** `NoseHooverState`: factor, Σ m v², 2 pads, η[MAX_CHAIN_LENGTH], η̇[MAX_CHAIN_LENGTH] (f32). */
export const NOSE_HOOVER_STATE_BYTES = 4 * (4 + 2 * MAX_CHAIN_LENGTH);

/** Packs one `NoseHooverParams` per system: dt (fs), kB·T (eV), τ² (fs²), chain length. */
export function packNoseHooverParams(stage: NoseHooverStage, nSystems: number): ArrayBuffer {
  const buffer = new ArrayBuffer(NOSE_HOOVER_PARAMS_BYTES * nSystems);
  const f = new Float32Array(buffer);
  const u = new Uint32Array(buffer);
  for (let s = 0; s < nSystems; s++) {
    const o = (NOSE_HOOVER_PARAMS_BYTES / 4) * s;
    f[o] = stage.dt;
    f[o + 1] = BOLTZMANN_EV_PER_K * stage.temperature;
    f[o + 2] = stage.tau * stage.tau;
    u[o + 3] = stage.chainLength;
  }
  return buffer;
}

/** One system's chain read back from the GPU (f32 values). */
export interface GpuChainState {
  /** Velocity scale of the latest half step. */
  factor: number;
  /** Σ m v² after that scaling, eV. */
  kinetic2: number;
  /** η_k, length chainLength. */
  eta: Float64Array;
  /** η̇_k, 1/fs, length chainLength. */
  etaDot: Float64Array;
}

type Pass =
  | 'noseHooverKinetic'
  | 'noseHooverChain'
  | 'noseHooverScaleKickDrift'
  | 'noseHooverScale'
  | 'halfKick';

export class GpuNoseHoover implements GpuDynamics {
  readonly kind = 'nose-hoover' as const;
  private readonly params: GPUBuffer;
  private readonly kickParams: GPUBuffer;
  private readonly chains: GPUBuffer;
  private readonly partials: GPUBuffer;
  private readonly groups: Record<Pass, GPUBindGroup>;
  private readonly atomGroups: number;
  private readonly dt: number;
  private readonly chainLength: number;

  constructor(
    private readonly kernels: KernelSet,
    private readonly b: BatchBuffers,
    stage: NoseHooverStage,
  ) {
    const k = kernels;
    if (
      !Number.isInteger(stage.chainLength) ||
      stage.chainLength < 1 ||
      stage.chainLength > MAX_CHAIN_LENGTH
    ) {
      throw new Error(`nose-hoover: chainLength must be 1..${MAX_CHAIN_LENGTH}, got ${stage.chainLength}`);
    }
    this.dt = stage.dt;
    this.chainLength = stage.chainLength;
    this.params = k.createBufferWith(
      'nose-hoover params',
      packNoseHooverParams(stage, b.nSystems),
      GPUBufferUsage.STORAGE,
    );
    this.kickParams = k.createBufferWith(
      'nose-hoover kick params',
      packDynamicsParams(Array.from({ length: b.nSystems }, () => ({ dt: stage.dt }))),
      GPUBufferUsage.STORAGE,
    );
    this.chains = k.createBuffer(
      'nose-hoover chains',
      NOSE_HOOVER_STATE_BYTES * b.nSystems,
      GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    );
    this.partials = k.createBuffer(
      'nose-hoover kinetic partials',
      4 * b.blockCapacity,
      GPUBufferUsage.STORAGE,
    );
    this.atomGroups = workgroupsFor(b.nAtoms, k.device);
    this.groups = {
      noseHooverKinetic: k.bindGroup('noseHooverKinetic', [b.velocities, b.blocks, b.status, this.partials]),
      noseHooverChain: k.bindGroup('noseHooverChain', [
        this.partials,
        b.systems,
        b.status,
        this.chains,
        this.params,
      ]),
      noseHooverScaleKickDrift: k.bindGroup('noseHooverScaleKickDrift', [
        b.positions,
        b.velocities,
        b.forces,
        b.systemOf,
        b.status,
        this.chains,
        this.params,
      ]),
      noseHooverScale: k.bindGroup('noseHooverScale', [b.velocities, b.systemOf, b.status, this.chains]),
      halfKick: k.bindGroup('halfKick', [
        b.velocities,
        b.forces,
        b.systemOf,
        b.status,
        this.kickParams,
        b.steps,
      ]),
    };
    this.reset();
  }

  encodePreUpdate(encoder: GPUCommandEncoder, statusCode: number): void {
    const pass = encoder.beginComputePass({ label: 'nose-hoover pre-update' });
    this.encodeThermostat(pass, statusCode);
    this.dispatch(pass, 'noseHooverScaleKickDrift', statusCode, this.atomGroups);
    pass.end();
  }

  encodePostUpdate(encoder: GPUCommandEncoder, statusCode: number): void {
    const pass = encoder.beginComputePass({ label: 'nose-hoover post-update' });
    this.dispatch(pass, 'halfKick', statusCode, this.atomGroups);
    this.encodeThermostat(pass, statusCode);
    this.dispatch(pass, 'noseHooverScale', statusCode, this.atomGroups);
    pass.end();
  }

  /** Kinetic partials, then the chain's half step (the factor lands in the chain state). */
  private encodeThermostat(pass: GPUComputePassEncoder, code: number): void {
    if (this.b.blockCount > 0) this.dispatch(pass, 'noseHooverKinetic', code, this.b.blockCount);
    this.dispatch(pass, 'noseHooverChain', code, this.b.nSystems);
  }

  private dispatch(pass: GPUComputePassEncoder, name: Pass & PassName, code: number, groups: number): void {
    pass.setPipeline(this.kernels.pipeline(name));
    pass.setBindGroup(0, this.groups[name]);
    pass.setBindGroup(1, this.kernels.statusCodeBindGroup(name, code));
    pass.dispatchWorkgroups(groups);
  }

  async readTimeStep(): Promise<Float64Array> {
    return new Float64Array(this.b.nSystems).fill(this.dt);
  }

  /** Each system's chain (awaits the GPU). */
  async readChains(): Promise<GpuChainState[]> {
    const data = new Float32Array(
      await readBuffer(this.kernels.device, this.chains, NOSE_HOOVER_STATE_BYTES * this.b.nSystems),
    );
    const m = this.chainLength;
    return Array.from({ length: this.b.nSystems }, (_, s) => {
      const o = (NOSE_HOOVER_STATE_BYTES / 4) * s;
      return {
        factor: data[o]!,
        kinetic2: data[o + 1]!,
        eta: Float64Array.from(data.subarray(o + 4, o + 4 + m)),
        etaDot: Float64Array.from(data.subarray(o + 4 + MAX_CHAIN_LENGTH, o + 4 + MAX_CHAIN_LENGTH + m)),
      };
    });
  }

  /** Chains back to rest (η = η̇ = 0, factor 1) for the given systems (all by default). */
  reset(systems?: readonly number[]): void {
    const initial = new Float32Array(NOSE_HOOVER_STATE_BYTES / 4);
    initial[0] = 1;
    const list = systems ?? Array.from({ length: this.b.nSystems }, (_, s) => s);
    for (const s of list) {
      this.kernels.device.queue.writeBuffer(this.chains, NOSE_HOOVER_STATE_BYTES * s, initial);
    }
  }

  destroy(): void {
    this.params.destroy();
    this.kickParams.destroy();
    this.chains.destroy();
    this.partials.destroy();
  }
}
