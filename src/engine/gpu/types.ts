/**
 * The contract of the engines that the stage runner drives: the WebGPU engine (commands are a
 * GPUCommandEncoder) and the f64 CPU engine (commands are recorded closures). The runner records whole
 * chunks of steps into one command list (no CPU round trip inside a step on the GPU) and only reads
 * back when a hook needs data.
 */

import type { StageSpec } from '../../io/spec.ts';
import type { AtomState, SystemStats } from '../api.ts';
import type { Batch } from '../batch.ts';

/** A dynamics (integrator or optimizer) with per-system parameters; C is the engine's command list. */
export interface Dynamics<C> {
  readonly kind: StageSpec['kind'];
  /**
   * First part of a step, before the force evaluation, for atoms of systems whose status equals
   * `statusCode`. For FIRE the whole update happens here (it uses the forces of the last evaluation).
   */
  encodePreUpdate(commands: C, statusCode: number): void;
  /** Second part of a step, after the force evaluation (velocity Verlet's last half kick). */
  encodePostUpdate(commands: C, statusCode: number): void;
  /** Simulated time advanced per step, fs, per system (FIRE's adaptive dt is read from the GPU). */
  readTimeStep(): Promise<Float64Array>;
  /** Resets per-system state (FIRE's dt, α and counters) for the given systems. */
  reset(systems?: readonly number[]): void;
  destroy(): void;
}

/** A dynamics living on the GPU. */
export type GpuDynamics = Dynamics<GPUCommandEncoder>;

/** A batch with its neighbor list and potential, on some backend; C is its command list. */
export interface Engine<C> {
  readonly nAtoms: number;
  readonly nSystems: number;
  /** Short name of the backend, for logs and reports. */
  readonly backend: string;
  /** Starts a command list. */
  begin(label: string): C;
  /** Runs a command list (on a GPU: queues it; results are awaited through the read methods). */
  submit(commands: C): void;
  /**
   * Encodes the neighbor-list check (displacement since the last build > skin/2 triggers a rebuild,
   * decided on the GPU, no CPU round trip) followed by forces, per-atom energy and virial.
   */
  encodeCompute(commands: C): void;
  /** Encodes the reductions that fill the per-system statistics buffer. */
  encodeStats(commands: C): void;
  /** Reads the per-system statistics written by the last encodeStats (awaits the GPU). */
  readStats(): Promise<SystemStats>;
  /** Reads per-atom state (awaits the GPU). */
  readAtoms(): Promise<AtomState>;
  /** Overwrites positions and velocities (Å, Å/fs), e.g. on restart; forces the next compute to rebuild the list. */
  writeAtoms(positions: ArrayLike<number>, velocities: ArrayLike<number>): void;
  /** Sets the velocities of the given systems (all by default) to zero, keeping positions exact. */
  zeroVelocities(systems?: readonly number[]): Promise<void>;
  /**
   * Replaces the content of the batch in place (inflight batching): `batch` has the engine's nAtoms
   * and nSystems, but atom ranges, cells, pbc, masses, types and atoms may all differ. Buffers,
   * pipelines and the per-system state of dynamics (indexed by system) are kept; the next compute
   * rebuilds the neighbor list. Throws, changing nothing, for a batch of another shape or one the
   * engine cannot hold (a cell needing more cells than allocated is handled by growing).
   */
  reload(batch: Batch): void;
  /** Makes the next compute rebuild the neighbor list (a rebuild also wraps positions into periodic cells). */
  requestRebuild(): void;
  /**
   * Per-atom constraints applied after every force evaluation until changed: `frozen` (batch order,
   * 1 = hold the atom: force and velocity zero in every dynamics, as LAMMPS `fix setforce 0 0 0` on
   * an atom at rest) and `maxForce` per system (eV/Å; longer atomic forces are scaled down to it,
   * Infinity = no clamp). `null` lifts a constraint; an omitted field keeps its setting. `reload`
   * lifts both.
   */
  setConstraints(constraints: { frozen?: Uint8Array | null; maxForce?: Float64Array | null }): void;
  /** Sets the status code of each system (length nSystems). Masked updates support codes 0..63. */
  writeStatus(status: Int32Array): void;
  /**
   * Sets the per-system step counters (advanced by each post-update; the Langevin RNG counter) of
   * the given systems, all by default, to 0. Call at the start of a stage.
   */
  resetStepCounters(systems?: readonly number[]): void;
  /** Creates the GPU dynamics for a stage. */
  createDynamics(stage: StageSpec): Dynamics<C>;
  /** Number of neighbor-list builds so far (read back from the GPU). */
  readRebuildCount(): Promise<number>;
  destroy(): void;
}

/** The WebGPU engine. */
export interface GpuEngine extends Engine<GPUCommandEncoder> {
  readonly device: GPUDevice;
}

/** Options of {@link GpuEngine} creation. */
export interface GpuEngineOptions {
  /** Tables of an EAM potential (from eamTabulation of its files); required for EAM. */
  tables?: import('../potentials/eamTabulation.ts').EamTabulation;
  /** Skin added to the cutoff for the Verlet list, Å. */
  skin: number;
}

/** Factory signature implemented in src/engine/gpu/engine.ts. */
export type CreateGpuEngine = (
  device: GPUDevice,
  batch: Batch,
  potential: import('../../io/spec.ts').PotentialSpec,
  options: GpuEngineOptions,
) => Promise<GpuEngine>;
