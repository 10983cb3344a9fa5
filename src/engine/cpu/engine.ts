/**
 * The f64 CPU engine: the reference implementations (src/engine/reference) behind the same contract
 * as the WebGPU engine, so the stage runner, the CLI and tests can run a spec exactly, without a GPU.
 * Its command lists are closures recorded by the encode methods and run on submit. O(N²) pair
 * search: meant for small systems and for checking, not for speed.
 */
import type { GnnModel } from '../../io/gnnWeights.ts';
import type { PotentialSpec, StageSpec } from '../../io/spec.ts';
import type { AtomState, SystemStats } from '../api.ts';
import type { Batch } from '../batch.ts';
import { cloneBatch } from '../batch.ts';
import {
  type ConstraintsInput,
  checkBatchShape,
  checkConstraints,
  checkSystemIndices,
} from '../batchCheck.ts';
import { wrapPosition } from '../cell.ts';
import type { Dynamics, Engine } from '../gpu/types.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import { constrainForces, FROZEN_MASS } from '../reference/constraints.ts';
import type { FireState, SystemMask } from '../reference/dynamics.ts';
import {
  firePreUpdate,
  halfKickPostUpdate,
  initialFireState,
  langevinPreUpdate,
  maxForcePerSystem,
  nvePreUpdate,
} from '../reference/dynamics.ts';
import { evaluateReference, gnnModelTypes } from '../reference/evaluate.ts';
import { type Fire2State, fire2PreUpdate, initialFire2State } from '../reference/fire2.ts';
import type { ForceResult } from '../reference/forceResult.ts';
import {
  initialNoseHooverChain,
  type NoseHooverChain,
  noseHooverPostUpdate,
  noseHooverPreUpdate,
} from '../reference/noseHoover.ts';
import { kineticEnergyPerSystem, temperaturePerSystem } from '../reference/observables.ts';

/** A command list of the CPU engine: work recorded now, run on submit. */
export class CpuCommands {
  readonly ops: (() => void)[] = [];
  constructor(readonly label: string) {}
}

export class CpuEngine implements Engine<CpuCommands> {
  readonly backend = 'f64 reference';
  readonly nAtoms: number;
  readonly nSystems: number;
  /** The live batch; frozen atoms carry FROZEN_MASS (infinite) in its masses. */
  private readonly batch: Batch;
  /** The batch's own masses, amu (what unfreezing restores). */
  private readonly masses: Float64Array;
  private frozen: Uint8Array | null = null;
  private maxForce: Float64Array | null = null;
  private forces: ForceResult | null = null;
  /** Wrap positions into the cell at the next compute (requestRebuild). */
  private wrapPending = false;
  private stats: SystemStats | null = null;
  private readonly status: Int32Array;
  private readonly stepCounters: Uint32Array;
  private evaluations = 0;

  constructor(
    batch: Batch,
    private readonly potential: PotentialSpec,
    private readonly tables?: EamTabulation,
    private readonly gnnModel?: GnnModel,
  ) {
    if (potential.kind === 'eam' && !tables)
      throw new Error(`the EAM potential ${potential.file} needs its tables (eamTabulation of its file)`);
    if (potential.kind === 'gnn') {
      if (!gnnModel)
        throw new Error(
          `the GNN potential ${potential.model} needs its model (parseGnnWeights of its two files)`,
        );
      gnnModelTypes(batch, potential.elements, gnnModel); // refuses unknown elements and types now
    }
    this.batch = cloneBatch(batch);
    this.masses = batch.masses.slice();
    this.nAtoms = batch.nAtoms;
    this.nSystems = batch.nSystems;
    this.status = new Int32Array(batch.nSystems);
    this.stepCounters = new Uint32Array(batch.nSystems);
  }

  begin(label: string): CpuCommands {
    return new CpuCommands(label);
  }

  submit(commands: CpuCommands): void {
    for (const op of commands.ops) op();
  }

  encodeCompute(commands: CpuCommands): void {
    commands.ops.push(() => {
      if (this.wrapPending) this.wrapPositions();
      const forces = evaluateReference(this.batch, this.potential, this.tables, this.gnnModel);
      if (this.frozen || this.maxForce)
        constrainForces(this.batch, forces.forces, this.frozen, this.maxForce);
      this.forces = forces;
      this.evaluations++;
    });
  }

  encodeStats(commands: CpuCommands): void {
    commands.ops.push(() => {
      const f = this.currentForces();
      this.stats = {
        potentialEnergy: f.energy.slice(),
        kineticEnergy: kineticEnergyPerSystem(this.batch),
        temperature: temperaturePerSystem(this.batch),
        maxForce: maxForcePerSystem(this.batch, f.forces),
        virial: f.virial.slice(),
      };
    });
  }

  async readStats(): Promise<SystemStats> {
    if (!this.stats) throw new Error('readStats before any encodeStats was submitted');
    return this.stats;
  }

  async readAtoms(): Promise<AtomState> {
    const f = this.currentForces();
    return {
      positions: Float32Array.from(this.batch.positions),
      velocities: Float32Array.from(this.batch.velocities),
      forces: Float32Array.from(f.forces),
      energies: Float32Array.from(f.energies),
    };
  }

  /** The f64 state (with the atoms' own masses), for callers that want more than f32 (CLI output, tests). */
  readExact(): { batch: Batch; forces: ForceResult } {
    const batch = cloneBatch(this.batch);
    batch.masses.set(this.masses);
    return { batch, forces: this.currentForces() };
  }

  /** Overwrites positions and velocities (frozen atoms keep v = 0). */
  writeAtoms(positions: ArrayLike<number>, velocities: ArrayLike<number>): void {
    if (positions.length !== 3 * this.nAtoms || velocities.length !== 3 * this.nAtoms) {
      throw new Error(`writeAtoms: expected 3 × ${this.nAtoms} values for positions and velocities`);
    }
    this.batch.positions.set(positions);
    this.batch.velocities.set(velocities);
    this.holdFrozen();
  }

  async zeroVelocities(systems?: readonly number[]): Promise<void> {
    if (!systems) {
      this.batch.velocities.fill(0);
      return;
    }
    checkSystemIndices(systems, this.nSystems, 'zeroVelocities');
    for (const s of systems)
      this.batch.velocities.fill(0, 3 * this.batch.atomsPtr[s]!, 3 * this.batch.atomsPtr[s + 1]!);
  }

  /**
   * Takes a batch of the same shape in place (inflight batching; see Engine.reload): every array of
   * the live batch is overwritten (dynamics keep their per-system state), constraints are lifted
   * and the forces are dropped until the next compute. Validates first; throws without changing
   * anything.
   */
  reload(batch: Batch): void {
    checkBatchShape(batch, this.nAtoms, this.nSystems, 'reload');
    for (let s = 0; s < this.nSystems; s++) {
      for (let a = 0; a < 3; a++) {
        const length = batch.cells[9 * s + 4 * a]!;
        if (!(length > 0))
          throw new Error(`reload: system ${s}: cell length ${length} Å along axis ${'abc'[a]} must be > 0`);
      }
    }
    const b = this.batch;
    b.atomsPtr.set(batch.atomsPtr);
    b.positions.set(batch.positions);
    b.velocities.set(batch.velocities);
    b.masses.set(batch.masses);
    b.types.set(batch.types);
    b.atomicNumbers.set(batch.atomicNumbers);
    b.cells.set(batch.cells);
    b.pbc.set(batch.pbc);
    b.systemIds.set(batch.systemIds);
    this.masses.set(batch.masses);
    this.frozen = null;
    this.maxForce = null;
    this.forces = null;
    this.stats = null;
  }

  /**
   * The O(N²) pair search runs at every compute; a requested rebuild wraps positions into the cell
   * along periodic axes at the next compute, as the GPU list's rebuild does.
   */
  requestRebuild(): void {
    this.wrapPending = true;
  }

  /**
   * Sets or lifts constraints (see Engine.setConstraints): frozen atoms get infinite mass
   * (FROZEN_MASS), v = 0 and F = 0; forces above a system's maxForce are scaled down to it. Applies
   * at once to the current forces and after every later compute.
   */
  setConstraints(constraints: ConstraintsInput): void {
    checkConstraints(constraints, this.nAtoms, this.nSystems);
    if (constraints.frozen !== undefined) {
      this.frozen = constraints.frozen?.some((f) => f !== 0) ? constraints.frozen.slice() : null;
      this.batch.masses.set(this.masses);
      this.holdFrozen();
    }
    if (constraints.maxForce !== undefined) {
      this.maxForce = constraints.maxForce ? constraints.maxForce.slice() : null;
    }
    if (this.forces && (this.frozen || this.maxForce)) {
      constrainForces(this.batch, this.forces.forces, this.frozen, this.maxForce);
    }
  }

  /** Frozen atoms: infinite mass and v = 0. */
  private holdFrozen(): void {
    if (!this.frozen) return;
    for (let i = 0; i < this.nAtoms; i++) {
      if (!this.frozen[i]) continue;
      this.batch.masses[i] = FROZEN_MASS;
      this.batch.velocities.fill(0, 3 * i, 3 * i + 3);
    }
  }

  writeStatus(status: Int32Array): void {
    this.status.set(status);
  }

  resetStepCounters(systems?: readonly number[]): void {
    for (const s of systems ?? Array.from({ length: this.nSystems }, (_, i) => i)) this.stepCounters[s] = 0;
  }

  async readRebuildCount(): Promise<number> {
    return this.evaluations;
  }

  createDynamics(stage: StageSpec): Dynamics<CpuCommands> {
    const batch = this.batch;
    const forces = () => this.currentForces().forces;
    const maskOf =
      (code: number): SystemMask =>
      (s) =>
        this.status[s] === code;
    const advance = (code: number) => {
      for (let s = 0; s < this.nSystems; s++) if (this.status[s] === code) this.stepCounters[s]!++;
    };
    const fire: FireState[] = [];
    const fire2: Fire2State[] = [];
    const chains: NoseHooverChain[] = [];
    const reset = (systems?: readonly number[]) => {
      const list = systems ?? Array.from({ length: this.nSystems }, (_, s) => s);
      for (const s of list) {
        if (stage.kind === 'fire') fire[s] = initialFireState(stage.dt);
        else if (stage.kind === 'fire2') fire2[s] = initialFire2State(stage.dt);
        else if (stage.kind === 'nose-hoover') chains[s] = initialNoseHooverChain(stage.chainLength);
      }
    };
    reset();
    return {
      kind: stage.kind,
      encodePreUpdate: (commands, code) =>
        commands.ops.push(() => {
          const active = maskOf(code);
          if (stage.kind === 'nve') nvePreUpdate(batch, forces(), stage.dt, active);
          else if (stage.kind === 'langevin')
            langevinPreUpdate(batch, forces(), stage, this.stepCounters, active);
          else if (stage.kind === 'nose-hoover') noseHooverPreUpdate(batch, forces(), stage, chains, active);
          else if (stage.kind === 'fire2') fire2PreUpdate(batch, forces(), stage, fire2, active);
          else firePreUpdate(batch, forces(), stage, fire, active);
        }),
      encodePostUpdate: (commands, code) =>
        commands.ops.push(() => {
          if (stage.kind === 'nose-hoover')
            noseHooverPostUpdate(batch, forces(), stage, chains, maskOf(code));
          else if (stage.kind !== 'fire' && stage.kind !== 'fire2')
            halfKickPostUpdate(batch, forces(), stage.dt, maskOf(code));
          advance(code);
        }),
      readTimeStep: async () =>
        Float64Array.from({ length: this.nSystems }, (_, s) =>
          stage.kind === 'fire' ? fire[s]!.dt : stage.kind === 'fire2' ? fire2[s]!.dt : stage.dt,
        ),
      reset,
      destroy: () => {},
    };
  }

  destroy(): void {
    this.forces = null;
    this.stats = null;
  }

  private currentForces(): ForceResult {
    if (!this.forces) throw new Error('no forces yet: submit an encodeCompute first');
    return this.forces;
  }

  private wrapPositions(): void {
    const b = this.batch;
    for (let s = 0; s < b.nSystems; s++) {
      const begin = b.atomsPtr[s]!;
      const end = b.atomsPtr[s + 1]!;
      const rows = b.positions.subarray(3 * begin, 3 * end);
      rows.set(wrapPosition(b.cells.subarray(9 * s, 9 * s + 9), rows, b.pbc.subarray(3 * s, 3 * s + 3)));
    }
    this.wrapPending = false;
  }
}
