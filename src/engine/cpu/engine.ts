/**
 * The f64 CPU engine: the reference implementations (src/engine/reference) behind the same contract
 * as the WebGPU engine, so the stage runner, the CLI and tests can run a spec exactly, without a GPU.
 * Its command lists are closures recorded by the encode methods and run on submit. O(N²) pair
 * search: meant for small systems and for checking, not for speed.
 */
import type { PotentialSpec, StageSpec } from '../../io/spec.ts';
import type { AtomState, SystemStats } from '../api.ts';
import type { Batch } from '../batch.ts';
import { cloneBatch } from '../batch.ts';
import type { Dynamics, Engine } from '../gpu/types.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import type { FireState, SystemMask } from '../reference/dynamics.ts';
import {
  firePreUpdate,
  halfKickPostUpdate,
  initialFireState,
  langevinPreUpdate,
  maxForcePerSystem,
  nvePreUpdate,
} from '../reference/dynamics.ts';
import { evaluateReference } from '../reference/evaluate.ts';
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
  private readonly batch: Batch;
  private forces: ForceResult | null = null;
  private stats: SystemStats | null = null;
  private readonly status: Int32Array;
  private readonly stepCounters: Uint32Array;
  private evaluations = 0;

  constructor(
    batch: Batch,
    private readonly potential: PotentialSpec,
    private readonly tables?: EamTabulation,
  ) {
    this.batch = cloneBatch(batch);
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
      this.forces = evaluateReference(this.batch, this.potential, this.tables);
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

  /** The f64 state, for callers that want more than f32 (CLI output, tests). */
  readExact(): { batch: Batch; forces: ForceResult } {
    return { batch: cloneBatch(this.batch), forces: this.currentForces() };
  }

  writeAtoms(positions: ArrayLike<number>, velocities: ArrayLike<number>): void {
    this.batch.positions.set(positions);
    this.batch.velocities.set(velocities);
  }

  async zeroVelocities(): Promise<void> {
    this.batch.velocities.fill(0);
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
}
