/**
 * The distributed engine of a domain decomposition (DESIGN §5): one rank's DomainRank and force
 * field behind the Engine contract, so that the unchanged StageRunner drives a decomposed run. It
 * presents the WHOLE system — one system, nAtoms = the global atom count, batch order = global atom
 * id — and keeps only its owned and ghost rows. Statistics are reduced over ranks and per-atom reads
 * gathered by id (both collective); writes scatter by id. Since every rank sees the same reduced
 * numbers, every rank's runner takes the same decisions and the collectives stay in step.
 *
 * Command lists are async closures; `submit` chains them after everything submitted before, and the
 * read methods await the chain, so errors (a force field failing, a rank out of step) surface there.
 * Every method that changes state goes through the chain too, keeping the order of the calls.
 *
 * Re-neighbouring (wrap, migrate, new send lists and ghosts) happens at a compute when requested
 * (first compute, writeAtoms, requestRebuild) or when any owned atom on any rank moved more than
 * skin/2 since the last one (an allreduce of the largest displacement); otherwise ghost positions
 * are refreshed by a forward exchange. The ghost cutoff is the force field's cutoff + skin.
 */
import type { StageSpec } from '../../io/spec.ts';
import type { AtomState, SystemStats } from '../api.ts';
import type { Batch } from '../batch.ts';
import { type ConstraintsInput, checkConstraints, checkSystemIndices } from '../batchCheck.ts';
import { cellVolume } from '../cell.ts';
import type { Dynamics, Engine } from '../gpu/types.ts';
import { constrainForces, FROZEN_MASS, isFrozenMass } from '../reference/constraints.ts';
import { type FireState, initialFireState } from '../reference/dynamics.ts';
import { type Fire2State, initialFire2State } from '../reference/fire2.ts';
import { initialNoseHooverChain, type NoseHooverChain } from '../reference/noseHoover.ts';
import { BOLTZMANN_EV_PER_K, KINETIC_ENERGY_EV_PER_AMU_A2_FS2 } from '../units.ts';
import {
  fire2PreUpdateDomain,
  firePreUpdateDomain,
  halfKickOwned,
  langevinPreUpdateOwned,
  noseHooverPostUpdateDomain,
  noseHooverPreUpdateDomain,
  nvePreUpdateOwned,
  type Reduce,
} from './dynamics.ts';
import type { RankForceField } from './forceField.ts';
import { domainGrid } from './grid.ts';
import type { LocalForces } from './localForces.ts';
import { DomainRank } from './rank.ts';
import { allreduce, type ReduceOp } from './reduce.ts';
import type { RankTransport } from './transport.ts';

/** A command list of the DomainEngine: async work recorded now, chained on submit. */
export class DomainCommands {
  readonly ops: (() => void | Promise<void>)[] = [];
  constructor(readonly label: string) {}
}

/** Options of a {@link DomainEngine}. */
export interface DomainEngineOptions {
  /** This rank's transport; its size is Px·Py·Pz. */
  transport: RankTransport;
  /** The grid [Px, Py, Pz] along the cell axes a, b, c. */
  dims: [number, number, number];
  /** The whole one-system batch (every rank passes the same); the rank keeps the atoms of its box. */
  system: Batch;
  /** Forces of the rank's rows. */
  forceField: RankForceField;
  /** Neighbour skin, Å (spec.neighbor.skin): ghost cutoff = cutoff + skin, rebuild after skin/2. */
  skin: number;
  /**
   * Checks at every re-neighbouring that every atom id is owned by exactly one rank (an allreduce of
   * N numbers; for tests and debugging). The global atom count is always checked (LAMMPS's lost
   * atoms check).
   */
  verifyIds?: boolean;
  /**
   * Rank 0: a number (≥ 0) to send to every rank with each force evaluation; it rides on the
   * displacement check's allreduce, and every rank reads it back with {@link DomainEngine.control}.
   * Called inside the evaluation, in chain order. Other ranks' values are ignored.
   */
  controlSource?: () => number;
}

/** The f64 global state gathered by id (collective read), with the rank owning each atom. */
export interface GatheredAtoms {
  /** Unwrapped positions, Å (as the CPU engine keeps them: wrapped only at a requested rebuild). */
  positions: Float64Array;
  /** Å/fs. */
  velocities: Float64Array;
  /** eV/Å (after constraints). */
  forces: Float64Array;
  /** eV per atom. */
  energies: Float64Array;
  /** eV, 6 per atom (xx, yy, zz, xy, xz, yz). */
  virials: Float64Array;
  /** Rank owning each atom. */
  owner: Int32Array;
}

/** What a rank reports about itself (no communication). */
export interface DomainEngineCounters {
  owned: number;
  ghosts: number;
  /** Owned atoms of type −1 or invisible to the potential. */
  nullOwned: number;
  /** Force evaluations so far. */
  evaluations: number;
  /**
   * Wall ms spent in exchanges so far: forward, migrate, borders, reductions, gathers, and the
   * exchanges a force field makes inside its evaluation (EAM's F′, a GNN's node features).
   */
  exchangeMs: number;
  /** Wall ms spent in the force field so far, its own exchanges excluded. */
  computeMs: number;
}

/** f64 per atom in a gather: x, v, f (3 each), energy, virial (6). */
const GATHER_WIDTH = 16;

const now = () => performance.now();

/** One rank's engine over the decomposed system (see the file comment). */
export class DomainEngine implements Engine<DomainCommands> {
  readonly nAtoms: number;
  readonly nSystems = 1;
  readonly backend: string;
  readonly rank: DomainRank;
  readonly forceField: RankForceField;
  private readonly skin: number;
  /** The atoms' own masses by global id, amu (what unfreezing restores). */
  private readonly massById: Float64Array;
  private readonly systemId: number;
  private readonly volume: number;
  private chain: Promise<void> = Promise.resolve();
  private forces: LocalForces | null = null;
  private stats: SystemStats | null = null;
  private frozen: Uint8Array | null = null;
  private maxForce: Float64Array | null = null;
  private rebuildPending = true;
  private wrapRequested = false;
  /** Owned positions at the last re-neighbouring (displacement check). */
  private xAtBuild = new Float64Array(0);
  private readonly status = new Int32Array(1);
  private stepCounter = 0;
  private rebuilds = 0;
  private evaluations = 0;
  private exchangeMs = 0;
  private computeMs = 0;
  private lastGather: GatheredAtoms | null = null;
  private readonly verifyIds: boolean;
  private readonly controlSource: (() => number) | null;
  private controlWord = 0;
  /** The last evaluation computed virials. */
  private withVirials = false;
  /** The next evaluation computes virials (the last one's were read). */
  private virialsWanted = true;
  /** Allreduce over ranks with fresh tags, timed as exchange. */
  readonly reduce: Reduce = async (values, op) => this.timed(() => this.allreduceNow(values, op));

  constructor(options: DomainEngineOptions) {
    const { system, forceField, transport } = options;
    if (system.nSystems !== 1) {
      throw new Error(`a domain decomposition runs one system; the batch has ${system.nSystems}`);
    }
    if (!(options.skin >= 0 && Number.isFinite(options.skin))) {
      throw new Error(`neighbor skin must be a finite length ≥ 0 Å, got ${options.skin}`);
    }
    const cell = system.cells.subarray(0, 9);
    const pbc: [boolean, boolean, boolean] = [system.pbc[0] === 1, system.pbc[1] === 1, system.pbc[2] === 1];
    const grid = domainGrid(options.dims, cell, pbc);
    this.rank = new DomainRank(grid, transport, forceField.cutoff + options.skin, forceField.visible);
    this.rank.loadFromBatch(system);
    this.forceField = forceField;
    this.skin = options.skin;
    this.verifyIds = options.verifyIds ?? false;
    this.controlSource = transport.rank === 0 ? (options.controlSource ?? null) : null;
    this.nAtoms = system.nAtoms;
    this.massById = system.masses.slice();
    this.systemId = system.systemIds[0]!;
    this.volume = cellVolume(cell);
    this.backend = `domain ${options.dims.join('×')} rank ${transport.rank} (${forceField.label})`;
  }

  /** Runs `op` after everything queued; the returned promise settles with it. */
  private enqueue<T>(op: () => T | Promise<T>): Promise<T> {
    const result = this.chain.then(op);
    // Later work must not run on a failed state: the failure stays in the chain, and every later
    // operation (and read) rejects with it.
    const next = result.then(() => {});
    next.catch(() => {});
    this.chain = next;
    return result;
  }

  private async timed<T>(work: () => Promise<T>): Promise<T> {
    const t0 = now();
    try {
      return await work();
    } finally {
      this.exchangeMs += now() - t0;
    }
  }

  private allreduceNow(values: Float64Array, op: ReduceOp): Promise<Float64Array> {
    return allreduce(this.rank.transport, values, op, this.rank.nextTag(`allreduce ${op}`));
  }

  begin(label: string): DomainCommands {
    return new DomainCommands(label);
  }

  submit(commands: DomainCommands): void {
    for (const op of commands.ops) void this.enqueue(op).catch(() => {});
  }

  encodeCompute(commands: DomainCommands): void {
    commands.ops.push(() => this.compute());
  }

  /** Re-neighbouring or forward exchange, then forces and constraints (collective). */
  private async compute(): Promise<void> {
    const rank = this.rank;
    const t0 = now();
    // Largest displacement since the last re-neighbouring, and whether any position is non-finite.
    let worst = 0;
    let nonFinite = 0;
    for (let k = 0; k < 3 * rank.nLocal; k++) if (!Number.isFinite(rank.x[k]!)) nonFinite = 1;
    if (!this.rebuildPending && nonFinite === 0) {
      for (let k = 0; k < rank.nLocal; k++) {
        const dx = rank.x[3 * k]! - this.xAtBuild[3 * k]!;
        const dy = rank.x[3 * k + 1]! - this.xAtBuild[3 * k + 1]!;
        const dz = rank.x[3 * k + 2]! - this.xAtBuild[3 * k + 2]!;
        worst = Math.max(worst, dx * dx + dy * dy + dz * dz);
      }
    }
    const word = this.controlSource?.() ?? 0;
    if (!(Number.isInteger(word) && word >= 0))
      throw new Error(`control word must be an integer ≥ 0, got ${word}`);
    const [moved, broken, control] = await this.allreduceNow(Float64Array.of(worst, nonFinite, word), 'max');
    this.controlWord = control!;
    const half = this.skin / 2;
    let rebuild = this.rebuildPending || moved! > half * half;
    if (broken! > 0) {
      // An atom has a non-finite position: it cannot be placed in a box. Keep the lists (its ghost
      // copies carry the NaN, it finds no neighbours) so the run's NaN detector can report it.
      if (this.rebuilds === 0) throw new Error('an atom has a non-finite position before the first step');
      rebuild = false;
    }
    if (rebuild) {
      await rank.reneighbor();
      if (this.wrapRequested) rank.imageFlags.fill(0);
      this.wrapRequested = false;
      this.rebuildPending = false;
      this.xAtBuild = rank.x.slice(0, 3 * rank.nLocal);
      this.rebuilds++;
      await this.checkOwnership();
    } else {
      await rank.forwardPositions();
    }
    this.exchangeMs += now() - t0;
    // A force field that skips virials unless asked gets asked only when the last evaluation's were
    // read (statistics, gathers): a GPU then reads back 6 fewer numbers per atom on most steps.
    await this.evaluate(this.virialsWanted || !this.forceField.virialsOnRequest);
    this.virialsWanted = false;
  }

  /** Forces (and with `virial`, per-atom and global virials) at the current rows (collective). */
  private async evaluate(virial: boolean): Promise<void> {
    const rank = this.rank;
    const t1 = now();
    const exchanged = rank.exchangeMs;
    const f = await this.forceField.compute(rank, { energy: true, virial });
    // Exchanges inside the force field (EAM's F′, a GNN's features) count as exchange, not compute.
    const inner = rank.exchangeMs - exchanged;
    this.computeMs += now() - t1 - inner;
    this.exchangeMs += inner;
    if (f.forces.length < 3 * rank.nLocal) {
      throw new Error(
        `${this.forceField.label} returned forces for ${f.forces.length / 3} rows; the rank has ${rank.nLocal} owned`,
      );
    }
    this.constrain(f);
    this.forces = f;
    this.withVirials = virial;
    this.evaluations++;
  }

  /**
   * The current forces with virials (collective: every rank reads statistics and gathers at the
   * same points): evaluates again at the same positions if the last evaluation skipped them, and
   * asks for virials at the next evaluation too (reads tend to come every step or not at all).
   */
  private async fullForces(): Promise<LocalForces> {
    const f = this.currentForces();
    this.virialsWanted = true;
    if (this.withVirials) return f;
    await this.evaluate(true);
    return this.currentForces();
  }

  /** After a re-neighbouring: no atom lost or (with verifyIds) owned twice (collective). */
  private async checkOwnership(): Promise<void> {
    const rank = this.rank;
    const total = (await this.allreduceNow(Float64Array.of(rank.nLocal), 'sum'))[0]!;
    if (total !== this.nAtoms) {
      throw new Error(
        `re-neighbouring #${this.rebuilds}: the ranks own ${total} atoms, the system has ${this.nAtoms} (atoms lost or duplicated in migration)`,
      );
    }
    if (!this.verifyIds) return;
    const count = new Float64Array(this.nAtoms);
    for (let i = 0; i < rank.nLocal; i++) count[rank.id[i]!]! += 1;
    const all = await this.allreduceNow(count, 'sum');
    const bad = all.findIndex((c) => c !== 1);
    if (bad >= 0) {
      throw new Error(`re-neighbouring #${this.rebuilds}: atom ${bad} is owned by ${all[bad]} ranks`);
    }
  }

  /** Frozen atoms (by id) get F = 0; longer forces are capped at maxForce (owned rows). */
  private constrain(f: LocalForces): void {
    if (!this.frozen && !this.maxForce) return;
    const n = this.rank.nLocal;
    const rows = this.frozen ? Uint8Array.from(this.rank.id.subarray(0, n), (id) => this.frozen![id]!) : null;
    constrainForces({ nSystems: 1, atomsPtr: Int32Array.of(0, n) }, f.forces, rows, this.maxForce);
  }

  encodeStats(commands: DomainCommands): void {
    commands.ops.push(async () => {
      const rank = this.rank;
      const f = await this.fullForces();
      let ke = 0;
      let moving = 0;
      let maxF = 0;
      for (let i = 0; i < rank.nLocal; i++) {
        const fx = f.forces[3 * i]!;
        const fy = f.forces[3 * i + 1]!;
        const fz = f.forces[3 * i + 2]!;
        maxF = Math.max(maxF, Math.sqrt(fx * fx + fy * fy + fz * fz));
        const m = rank.mass[i]!;
        if (isFrozenMass(m)) continue;
        moving++;
        const vx = rank.v[3 * i]!;
        const vy = rank.v[3 * i + 1]!;
        const vz = rank.v[3 * i + 2]!;
        ke += m * (vx * vx + vy * vy + vz * vz);
      }
      const s = await this.reduce(Float64Array.of(f.energy, ke, moving, ...f.virial), 'sum');
      const m = await this.reduce(Float64Array.of(maxF), 'max');
      const kinetic = 0.5 * s[1]! * KINETIC_ENERGY_EV_PER_AMU_A2_FS2;
      const nMoving = s[2]!;
      const virial = s.slice(3, 12);
      this.stats = {
        potentialEnergy: Float64Array.of(s[0]!),
        kineticEnergy: Float64Array.of(kinetic),
        temperature: Float64Array.of(nMoving > 0 ? (2 * kinetic) / (3 * nMoving * BOLTZMANN_EV_PER_K) : 0),
        maxForce: Float64Array.of(m[0]!),
        virial,
        stress: virial.map((w) => (this.volume > 0 ? -w / this.volume : Number.NaN)),
      };
    });
  }

  async readStats(): Promise<SystemStats> {
    await this.enqueue(() => {});
    if (!this.stats) throw new Error('readStats before any encodeStats was submitted');
    return this.stats;
  }

  /** The global state in f64, gathered by id on every rank (collective). */
  gatherAtoms(): Promise<GatheredAtoms> {
    return this.enqueue(() => this.timed(() => this.gatherNow()));
  }

  private async gatherNow(): Promise<GatheredAtoms> {
    const rank = this.rank;
    const f = await this.fullForces();
    const n = rank.nLocal;
    const u = rank.unwrappedPositions();
    const ids = rank.id.slice(0, n);
    const data = new Float64Array(GATHER_WIDTH * n);
    for (let i = 0; i < n; i++) {
      const o = GATHER_WIDTH * i;
      for (let a = 0; a < 3; a++) {
        data[o + a] = u[3 * i + a]!;
        data[o + 3 + a] = rank.v[3 * i + a]!;
        data[o + 6 + a] = f.forces[3 * i + a]!;
      }
      data[o + 9] = f.energies[i]!;
      for (let a = 0; a < 6; a++) data[o + 10 + a] = f.atomVirial[6 * i + a]!;
    }
    const { transport } = rank;
    const tag = rank.nextTag('gather atoms');
    for (let r = 0; r < transport.size; r++)
      if (r !== transport.rank) transport.send(r, { tag, f64: data, i32: ids });
    const N = this.nAtoms;
    const out: GatheredAtoms = {
      positions: new Float64Array(3 * N),
      velocities: new Float64Array(3 * N),
      forces: new Float64Array(3 * N),
      energies: new Float64Array(N),
      virials: new Float64Array(6 * N),
      owner: new Int32Array(N).fill(-1),
    };
    for (let r = 0; r < transport.size; r++) {
      const m = r === transport.rank ? { f64: data, i32: ids } : await transport.recv(r, tag);
      if (m.f64.length !== GATHER_WIDTH * m.i32.length)
        throw new Error(`gather: malformed message from rank ${r}`);
      m.i32.forEach((id, k) => {
        if (!(id >= 0 && id < N))
          throw new Error(`gather: rank ${r} owns atom id ${id}, outside 0 … ${N - 1}`);
        if (out.owner[id] !== -1)
          throw new Error(`gather: atom ${id} is owned by ranks ${out.owner[id]} and ${r}`);
        out.owner[id] = r;
        const o = GATHER_WIDTH * k;
        for (let a = 0; a < 3; a++) {
          out.positions[3 * id + a] = m.f64[o + a]!;
          out.velocities[3 * id + a] = m.f64[o + 3 + a]!;
          out.forces[3 * id + a] = m.f64[o + 6 + a]!;
        }
        out.energies[id] = m.f64[o + 9]!;
        for (let a = 0; a < 6; a++) out.virials[6 * id + a] = m.f64[o + 10 + a]!;
      });
    }
    const lost = out.owner.indexOf(-1);
    if (lost >= 0) throw new Error(`gather: atom ${lost} is owned by no rank (lost in migration)`);
    this.lastGather = out;
    return out;
  }

  /** The state of the last gather (readAtoms, gatherAtoms), null before any. */
  lastGathered(): GatheredAtoms | null {
    return this.lastGather;
  }

  /** Rank owning each atom at the last gather (null before any). */
  ownerAtLastGather(): Int32Array | null {
    return this.lastGather?.owner ?? null;
  }

  /** Re-neighbourings so far (no communication; read between steps). */
  rebuildCount(): number {
    return this.rebuilds;
  }

  async readAtoms(): Promise<AtomState> {
    const g = await this.gatherAtoms();
    return {
      positions: Float32Array.from(g.positions),
      velocities: Float32Array.from(g.velocities),
      forces: Float32Array.from(g.forces),
      energies: Float32Array.from(g.energies),
      virials: Float32Array.from(g.virials),
    };
  }

  /** Overwrites positions and velocities by global id (Å, Å/fs); the next compute re-neighbours. */
  writeAtoms(positions: ArrayLike<number>, velocities: ArrayLike<number>): void {
    if (positions.length !== 3 * this.nAtoms || velocities.length !== 3 * this.nAtoms) {
      throw new Error(`writeAtoms: expected 3 × ${this.nAtoms} values for positions and velocities`);
    }
    const x = Float64Array.from(positions);
    const v = Float64Array.from(velocities);
    void this.enqueue(() => {
      const rank = this.rank;
      for (let i = 0; i < rank.nLocal; i++) {
        const id = rank.id[i]!;
        for (let a = 0; a < 3; a++) {
          rank.x[3 * i + a] = x[3 * id + a]!;
          rank.v[3 * i + a] = this.frozen?.[id] ? 0 : v[3 * id + a]!;
        }
      }
      rank.imageFlags.fill(0);
      this.rebuildPending = true;
    }).catch(() => {});
  }

  async zeroVelocities(systems?: readonly number[]): Promise<void> {
    if (systems) checkSystemIndices(systems, 1, 'zeroVelocities');
    if (systems && systems.length === 0) return;
    await this.enqueue(() => {
      this.rank.v.fill(0, 0, 3 * this.rank.nLocal);
    });
  }

  reload(_batch: Batch): void {
    throw new Error(
      'a domain decomposition runs one system for the whole run: it cannot reload a batch (inflight batching)',
    );
  }

  requestRebuild(): void {
    void this.enqueue(() => {
      this.rebuildPending = true;
      this.wrapRequested = true;
    }).catch(() => {});
  }

  /** Frozen flags by global id and a force cap (see Engine.setConstraints); applied in order. */
  setConstraints(constraints: ConstraintsInput): void {
    checkConstraints(constraints, this.nAtoms, 1);
    const frozen = constraints.frozen?.slice();
    const maxForce = constraints.maxForce?.slice();
    void this.enqueue(() => {
      const rank = this.rank;
      if (constraints.frozen !== undefined) {
        this.frozen = frozen?.some((f) => f !== 0) ? frozen : null;
        for (let i = 0; i < rank.nLocal; i++) {
          const id = rank.id[i]!;
          if (this.frozen?.[id]) {
            rank.mass[i] = FROZEN_MASS;
            rank.v.fill(0, 3 * i, 3 * i + 3);
          } else {
            rank.mass[i] = this.massById[id]!;
          }
        }
      }
      if (constraints.maxForce !== undefined) this.maxForce = maxForce ?? null;
      if (this.forces) this.constrain(this.forces);
    }).catch(() => {});
  }

  writeStatus(status: Int32Array): void {
    if (status.length !== 1) throw new Error(`writeStatus: expected 1 status code, got ${status.length}`);
    const code = status[0]!;
    void this.enqueue(() => {
      this.status[0] = code;
    }).catch(() => {});
  }

  resetStepCounters(systems?: readonly number[]): void {
    if (systems) checkSystemIndices(systems, 1, 'resetStepCounters');
    if (systems && systems.length === 0) return;
    void this.enqueue(() => {
      this.stepCounter = 0;
    }).catch(() => {});
  }

  createDynamics(stage: StageSpec): Dynamics<DomainCommands> {
    let fire: FireState = initialFireState(stage.dt);
    let fire2: Fire2State = initialFire2State(stage.dt);
    let chain: NoseHooverChain = initialNoseHooverChain(stage.kind === 'nose-hoover' ? stage.chainLength : 1);
    const init = () => {
      fire = initialFireState(stage.dt);
      fire2 = initialFire2State(stage.dt);
      if (stage.kind === 'nose-hoover') chain = initialNoseHooverChain(stage.chainLength);
    };
    const forces = () => this.currentForces().forces;
    return {
      kind: stage.kind,
      encodePreUpdate: (commands, code) =>
        commands.ops.push(async () => {
          if (this.status[0] !== code) return;
          const rank = this.rank;
          switch (stage.kind) {
            case 'nve':
              nvePreUpdateOwned(rank, forces(), stage.dt);
              break;
            case 'langevin':
              langevinPreUpdateOwned(rank, forces(), stage, this.stepCounter, this.systemId);
              break;
            case 'nose-hoover':
              await noseHooverPreUpdateDomain(rank, forces(), stage, chain, this.reduce);
              break;
            case 'fire':
              await firePreUpdateDomain(rank, forces(), stage, fire, this.reduce);
              break;
            case 'fire2':
              await fire2PreUpdateDomain(rank, forces(), stage, fire2, this.reduce);
              break;
          }
        }),
      encodePostUpdate: (commands, code) =>
        commands.ops.push(async () => {
          if (this.status[0] !== code) return;
          if (stage.kind === 'nose-hoover') {
            await noseHooverPostUpdateDomain(this.rank, forces(), stage, chain, this.reduce);
          } else if (stage.kind !== 'fire' && stage.kind !== 'fire2') {
            halfKickOwned(this.rank, forces(), stage.dt);
          }
          this.stepCounter++;
        }),
      readTimeStep: async () => {
        await this.enqueue(() => {});
        return Float64Array.of(
          stage.kind === 'fire' ? fire.dt : stage.kind === 'fire2' ? fire2.dt : stage.dt,
        );
      },
      reset: (systems) => {
        if (systems) checkSystemIndices(systems, 1, 'reset');
        if (systems && systems.length === 0) return;
        void this.enqueue(init).catch(() => {});
      },
      destroy: () => {},
    };
  }

  /** Number of re-neighbourings so far. */
  async readRebuildCount(): Promise<number> {
    await this.enqueue(() => {});
    return this.rebuilds;
  }

  /**
   * Rank 0's `values` on every rank (collective; other ranks' values are ignored), in order with
   * the queued work: how controls reach every rank at the same step.
   */
  broadcastFromRoot(values: Float64Array): Promise<Float64Array> {
    return this.enqueue(() =>
      this.timed(async () => {
        const { transport } = this.rank;
        const tag = this.rank.nextTag('broadcast');
        if (transport.rank === 0) {
          for (let r = 1; r < transport.size; r++)
            transport.send(r, { tag, f64: values.slice(), i32: new Int32Array(0) });
          return values.slice();
        }
        return (await transport.recv(0, tag)).f64;
      }),
    );
  }

  /**
   * Rank 0's control word of the last force evaluation (see DomainEngineOptions.controlSource),
   * after everything queued ran (collective-free: it came with the evaluation).
   */
  async control(): Promise<number> {
    await this.enqueue(() => {});
    return this.controlWord;
  }

  /** Waits for everything queued (rejects with the first failure). */
  async finish(): Promise<void> {
    await this.enqueue(() => {});
  }

  /** This rank's counters (no communication; read between steps). */
  counters(): DomainEngineCounters {
    const rank = this.rank;
    let nullOwned = 0;
    for (let i = 0; i < rank.nLocal; i++) {
      const t = rank.type[i]!;
      if (t === -1 || !this.forceField.visible(t)) nullOwned++;
    }
    return {
      owned: rank.nLocal,
      ghosts: rank.nGhost,
      nullOwned,
      evaluations: this.evaluations,
      exchangeMs: this.exchangeMs,
      computeMs: this.computeMs,
    };
  }

  destroy(): void {
    this.forces = null;
    this.stats = null;
    this.forceField.destroy();
  }

  private currentForces(): LocalForces {
    if (!this.forces) throw new Error('no forces yet: submit an encodeCompute first');
    return this.forces;
  }
}
