/**
 * Per-atom constraints of the GPU engine (kernels/integrators/constrain_forces.wgsl; reference:
 * src/engine/reference/constraints.ts): frozen atoms and a per-system cap on |F|.
 *
 * A frozen atom has infinite mass: velocities.w = 0 (so kicks, Langevin's noise and drifts vanish
 * and it carries no kinetic energy), v = 0 and F = 0 (so FIRE/FIRE2's mixing, which uses
 * system-wide norms, cannot move it either). The frozen state lives in a table of velocities.w by
 * ORIGINAL atom index, which the kernel applies through `originalIndex`, and in velocities.w itself,
 * which travels with the atom through the spatial sort of each list rebuild. The constraint pass
 * runs after the potential in every compute while a constraint is set, and once right away when
 * constraints change (so the forces the next pre-update uses already obey them, and an unfrozen
 * atom gets its mass back).
 */
import type { Batch } from '../batch.ts';
import type { ConstraintsInput } from '../batchCheck.ts';
import { type BatchBuffers, inverseMasses } from './buffers.ts';
import { type KernelSet, workgroupsFor } from './kernels.ts';

/** f32 stand-in for "no clamp" (the largest finite f32 magnitude): no |F| exceeds it. */
const NO_CLAMP = 3.4e38;

/** Frozen atoms per system (`frozen` in batch order; all 0 without it). */
export function frozenPerSystem(
  batch: Pick<Batch, 'nSystems' | 'atomsPtr'>,
  frozen: Uint8Array | null,
): Uint32Array {
  const out = new Uint32Array(batch.nSystems);
  if (!frozen) return out;
  for (let s = 0; s < batch.nSystems; s++) {
    for (let i = batch.atomsPtr[s]!; i < batch.atomsPtr[s + 1]!; i++) if (frozen[i]) out[s]!++;
  }
  return out;
}

/** The constraint tables of one batch on the GPU, and the pass that applies them. */
export class GpuConstraints {
  /** Frozen flags in batch order, or null. */
  frozen: Uint8Array | null = null;
  /** Force cap per system, eV/Å, or null. */
  maxForce: Float64Array | null = null;
  /** velocities.w per original atom (0 = frozen), as on the GPU. */
  inverseMass: Float32Array<ArrayBuffer>;
  private readonly inverseMassBuffer: GPUBuffer;
  private readonly maxForceBuffer: GPUBuffer;
  private readonly group: GPUBindGroup;
  private readonly groups: number;

  constructor(
    private readonly kernels: KernelSet,
    private readonly b: BatchBuffers,
    private masses: Float64Array,
  ) {
    const k = kernels;
    this.inverseMass = inverseMasses(masses);
    this.inverseMassBuffer = k.createBufferWith('inverse masses', this.inverseMass, GPUBufferUsage.STORAGE);
    this.maxForceBuffer = k.createBufferWith(
      'max force',
      new Float32Array(b.nSystems).fill(NO_CLAMP),
      GPUBufferUsage.STORAGE,
    );
    this.groups = workgroupsFor(b.nAtoms, k.device);
    this.group = k.bindGroup('constrainForces', [
      b.velocities,
      b.forces,
      b.systemOf,
      b.originalIndex,
      this.inverseMassBuffer,
      this.maxForceBuffer,
    ]);
  }

  /** True while a constraint is set (the pass then runs after every force evaluation). */
  get active(): boolean {
    return this.frozen !== null || this.maxForce !== null;
  }

  /**
   * Updates the tables (fields omitted keep their setting, `null` lifts) and applies them now to
   * the current forces and velocities. Input must have passed {@link checkConstraints}.
   */
  set(input: ConstraintsInput): void {
    const queue = this.kernels.device.queue;
    if (input.frozen !== undefined) {
      // No atom held counts as no constraint: the pass then only runs while a cap is set.
      this.frozen = input.frozen?.some((f) => f !== 0) ? input.frozen.slice() : null;
      this.inverseMass = inverseMasses(this.masses, this.frozen);
      queue.writeBuffer(this.inverseMassBuffer, 0, this.inverseMass);
    }
    if (input.maxForce !== undefined) {
      this.maxForce = input.maxForce ? input.maxForce.slice() : null;
      const limits = new Float32Array(this.b.nSystems).fill(NO_CLAMP);
      if (this.maxForce)
        for (let s = 0; s < limits.length; s++) limits[s] = Math.min(this.maxForce[s]!, NO_CLAMP);
      queue.writeBuffer(this.maxForceBuffer, 0, limits);
    }
    const encoder = this.kernels.device.createCommandEncoder({ label: 'apply constraints' });
    const pass = encoder.beginComputePass({ label: 'constraints' });
    this.encodePass(pass);
    pass.end();
    queue.submit([encoder.finish()]);
  }

  /** Lifts every constraint and takes the masses of a reloaded batch (amu, batch order); no pass runs. */
  reset(masses: Float64Array): void {
    this.masses = masses;
    this.frozen = null;
    this.maxForce = null;
    this.inverseMass = inverseMasses(masses);
    const queue = this.kernels.device.queue;
    queue.writeBuffer(this.inverseMassBuffer, 0, this.inverseMass);
    queue.writeBuffer(this.maxForceBuffer, 0, new Float32Array(this.b.nSystems).fill(NO_CLAMP));
  }

  /** Encodes the constraint pass when a constraint is set (after the potential's passes). */
  encode(encoder: GPUCommandEncoder): void {
    if (!this.active) return;
    const pass = encoder.beginComputePass({ label: 'constraints' });
    this.encodePass(pass);
    pass.end();
  }

  private encodePass(pass: GPUComputePassEncoder): void {
    pass.setPipeline(this.kernels.pipeline('constrainForces'));
    pass.setBindGroup(0, this.group);
    pass.dispatchWorkgroups(this.groups);
  }

  destroy(): void {
    this.inverseMassBuffer.destroy();
    this.maxForceBuffer.destroy();
  }
}
