/**
 * Contracts between the engine (in a Worker or in Node) and its hosts (the page, the CLI, the
 * benchmarks). Plain data only: everything here crosses postMessage.
 */

import type { GnnModel } from '../io/gnnWeights.ts';
import type { PipelineSpecInput } from '../io/spec.ts';
import type { TrajectoryFrame } from '../io/zarr/trajectoryFrame.ts';
import type { Batch } from './batch.ts';
import type { EamTabulation } from './potentials/eamTabulation.ts';

/** Per-system observables reduced on the GPU after a force evaluation. */
export interface SystemStats {
  /** Potential energy per system, eV. */
  potentialEnergy: Float64Array;
  /** Kinetic energy per system, eV (frozen atoms, held at rest by constraints, carry none). */
  kineticEnergy: Float64Array;
  /**
   * Instantaneous temperature per system, K: 2·KE / (N_f·kB) with N_f = 3·(N − N_frozen) degrees of
   * freedom (NULL atoms included, atoms frozen by `setConstraints` not); 0 when N_f = 0.
   */
  temperature: Float64Array;
  /** Largest |F| over the atoms of each system after constraints (frozen atoms: 0; capped forces), eV/Å. */
  maxForce: Float64Array;
  /** Virial W = Σ r_ij ⊗ f_ij per system, eV, row-major 3×3 (9 values per system). */
  virial: Float64Array;
  /**
   * Potential part of the stress per system, eV/Å³, row-major 3×3, ASE's sign: σ = −W / V (V the
   * cell volume; NaN where it is 0). Engines that do not compute it leave it out.
   */
  stress?: Float64Array;
}

/** Full per-atom state read back from the GPU. */
export interface AtomState {
  /** Å, xyz interleaved. */
  positions: Float32Array;
  /** Å/fs, xyz interleaved. */
  velocities: Float32Array;
  /** eV/Å, xyz interleaved. */
  forces: Float32Array;
  /** Potential energy per atom, eV. */
  energies: Float32Array;
  /**
   * Per-atom virial W_i, eV, 6 per atom in LAMMPS's order xx, yy, zz, xy, xz, yz, with Σ_i W_i = W
   * (half of each pair's r_ij ⊗ f_ij to each atom). Engines that do not compute it leave it out.
   */
  virials?: Float32Array;
}

/** One row of the time series streamed to the page by the logging hook. */
export interface LogRecord {
  /** Index of the stage in the chain. */
  stage: number;
  /** Step within the stage. */
  stageStep: number;
  /** Step counted over the whole run. */
  step: number;
  /** Simulated time since the start of the run, fs; optimizer (FIRE) steps do not advance it. */
  time: number;
  /** Summed over live systems, eV. */
  potentialEnergy: number;
  /** Summed over live systems, eV. */
  kineticEnergy: number;
  /** Atom-weighted mean over live systems, K. */
  temperature: number;
  /** Max over live systems, eV/Å. */
  maxForce: number;
  /** Per-system values of the live slots (empty slots left out), in slot order. */
  perSystem: {
    /** System id of each entry. */
    systemIds: number[];
    potentialEnergy: number[];
    kineticEnergy: number[];
    temperature: number[];
    maxForce: number[];
  };
}

/** A frame written by a snapshot hook or sent for the live view. */
export interface Frame {
  stage: number;
  stageStep: number;
  step: number;
  time: number;
  /** Å, xyz interleaved. */
  positions: Float32Array;
  /** Å/fs; present in snapshots, and in view frames when the host asked for them (ViewOptions). */
  velocities?: Float32Array;
  /** eV/Å; present in snapshots, and in view frames when the host asked for them (ViewOptions). */
  forces?: Float32Array;
  /** View frames: which system each slot holds and in what status (colour by stage, picking). */
  slots?: FrameSlots;
  /** View frames: rank of the worker that ran these atoms (0 on one worker). */
  rank?: number;
  /** Atomic numbers per atom, when the atoms differ from the loaded ones (inflight batching). */
  atomicNumbers?: Int32Array;
  /** Potential types per atom (−1: NULL atom, not drawn), with `atomicNumbers`. */
  types?: Int32Array;
  /** Domain decomposition: the rank owning each atom (atoms in global id order). */
  owner?: Int32Array;
}

/** The slots of a view frame: per slot (engine system), in slot order. */
export interface FrameSlots {
  /** System id held by each slot (−1: empty slot). */
  systemIds: Int32Array;
  /** Atom offsets of the slots (length slots + 1). */
  atomsPtr: Int32Array;
  /** Status code of each slot (the sub-stage it is in; see runner.ts for parked and vacant codes). */
  status: Int32Array;
}

/** What live view frames carry besides positions (more data per frame: ask only when shown). */
export interface ViewOptions {
  /** Per-atom forces, eV/Å (colour by force, the atom inspector). */
  forces?: boolean;
  /** Per-atom velocities, Å/fs (the atom inspector). */
  velocities?: boolean;
}

/**
 * The last state a NaN detector checked good (every value finite): a whole batch, enough to restart
 * from it. Positions and velocities are in the engine's batch order, as `systemIds` and `atomsPtr`
 * lay them out at that step.
 */
export interface LastGoodFrame extends Frame {
  /** Å/fs, xyz interleaved. */
  velocities: Float32Array;
  /** System id per slot at that step (−1: empty slot). */
  systemIds: Int32Array;
  /** Atom offsets of the slots at that step (length slots + 1). */
  atomsPtr: Int32Array;
}

/** Why a run ended. */
export type RunEnd = 'completed' | 'stopped' | 'nan' | 'device-lost' | 'error';

/** Events the engine sends to its host, in order. */
export type EngineEvent =
  | {
      type: 'loaded';
      adapter: string;
      nAtoms: number;
      nSystems: number;
      stages: string[];
      atomicNumbers: Int32Array;
      /** Cell of system 0, Å, 3 row vectors. */
      cell: Float64Array;
      /** Periodicity of system 0 along a, b, c (1 = periodic). */
      pbc: Uint8Array;
      positions: Float32Array;
    }
  | { type: 'stage'; stage: number; name: string; step: number }
  | { type: 'log'; record: LogRecord }
  | { type: 'frame'; frame: Frame }
  | {
      type: 'snapshot';
      stage: number;
      step: number;
      /** Frames the hook's sink holds (a ring) or has written (a Zarr store). */
      framesInSink: number;
      /** Kind of the sink written to. */
      sink?: 'host' | 'gpu-ring' | 'zarr';
      /** System ids written in this snapshot. */
      systemIds?: number[];
    }
  | {
      /** The run's Zarr trajectory grew (sent after each frame written to it). */
      type: 'trajectory';
      /** Frames written. */
      frames: number;
      /** Samples (systems × frames) written. */
      samples: number;
      /** Atom rows written. */
      atoms: number;
    }
  | {
      /** Systems whose convergence criteria all held (system ids), in sub-stage `subStage` of segment `stage`. */
      type: 'converged';
      stage: number;
      subStage: number;
      step: number;
      systems: number[];
    }
  | {
      /** Systems (ids) moved from status code `from` to `to` (or left the segment: `exit`). */
      type: 'migrated';
      stage: number;
      step: number;
      from: number;
      to: number | 'exit';
      systems: number[];
    }
  | {
      /** Systems (ids) that left segment `stage` (reached its exit status). */
      type: 'graduated';
      stage: number;
      step: number;
      systems: number[];
    }
  | {
      /** Inflight batching: systems admitted into free slots, and how full the batch is. */
      type: 'batch';
      stage: number;
      step: number;
      admitted: number[];
      /** Systems resident after the refill. */
      resident: number;
      /** Atoms of the resident systems. */
      residentAtoms: number;
      /** Systems still waiting for this segment. */
      waiting: number;
    }
  | { type: 'state'; state: 'running' | 'paused' | 'idle' }
  | {
      /** Pipeline mode: how one worker stands (sent at least every 250 ms by each worker). */
      type: 'worker';
      /** Worker index (= its segment's index). */
      worker: number;
      /** Global index of the segment it runs. */
      stage: number;
      /** Display name of the segment. */
      name: string;
      state: 'starting' | 'running' | 'waiting' | 'done' | 'failed';
      /** Systems in its resident batch (parked ones included) and their atoms. */
      resident: number;
      residentAtoms: number;
      /** Its batch's capacity (batching.maxSystems / maxAtoms). */
      maxSystems: number;
      maxAtoms: number;
      /** Systems received and not yet admitted. */
      inbox: number;
      /** Systems done with its segment that the next link has no room for yet (parked, not stepping). */
      outbox: number;
      /** Systems so far that had to wait in their slot because the next link had no room (back-pressure). */
      heldBack: number;
      /** Systems received from upstream (worker 0: taken from its sampler) and sent downstream, so far. */
      received: number;
      sent: number;
      /** Systems leaving its segment per second, and atoms × steps per second, over the last interval. */
      systemsPerSecond: number;
      atomStepsPerSecond: number;
      /** Steps its runner has run. */
      step: number;
    }
  | {
      /**
       * Domain decomposition: how one rank (one worker) stands, sent about every 250 ms by each rank.
       * Times are wall-clock per step over the last interval.
       */
      type: 'rank';
      rank: number;
      /** Its position in the rank grid (along the cell axes a, b, c). */
      coords: [number, number, number];
      state: 'starting' | 'running' | 'done' | 'failed';
      /** Atoms it owns (NULL atoms included), ghost rows it holds, and its owned NULL atoms. */
      owned: number;
      ghosts: number;
      nullOwned: number;
      /** Steps its runner has run. */
      step: number;
      /** Wall time per step in exchanges (forward, reverse, migrate, borders, reductions), ms. */
      exchangeMs: number;
      /** Wall time per step in force evaluation, ms. */
      computeMs: number;
      stepsPerSecond: number;
    }
  | {
      /** Pipeline mode: systems (ids) that reached the end of the pipeline (the coordinator holds them). */
      type: 'delivered';
      systems: number[];
      step: number;
    }
  | {
      /**
       * Pipeline or domain mode: a worker failed; the run stops (its `end` names the worker and its
       * stage, or its rank and box).
       */
      type: 'worker-failed';
      worker: number;
      stage: number;
      name: string;
      reason: 'error' | 'device-lost' | 'unresponsive' | 'exited';
      message: string;
    }
  | { type: 'end'; reason: RunEnd; message?: string; step: number }
  | { type: 'device-lost'; message: string; canRestart: boolean }
  | {
      /** Something the person should know that does not end the run (e.g. energy drift). */
      type: 'warning';
      stage: number;
      step: number;
      /** System id concerned, if one. */
      system?: number;
      /** What raised it: the hook's name (`energy-drift`, ...). */
      source: string;
      message: string;
    }
  | {
      /** Throughput of a stage over the last interval of a timing hook. */
      type: 'timing';
      stage: number;
      step: number;
      /** Wall time per step over the interval, ms (GPU work included: the hook waits for the queue). */
      msPerStep: number;
      /** Atoms of the live systems times steps, per second of wall time. */
      atomStepsPerSecond: number;
    }
  | {
      /**
       * A NaN detector found a non-finite value (sent just before the run ends with reason `nan`);
       * `lastGood` is the newest state it had checked good, for the host to offer as a restart point.
       */
      type: 'nan-detected';
      stage: number;
      step: number;
      /** System id where it was found. */
      system: number;
      /** Index of the first bad atom within its system (−1: only an energy was non-finite). */
      atom: number;
      message: string;
      lastGood: LastGoodFrame | null;
    };

/** Why a system left a sub-stage: its criteria held, its step budget was spent, or the segment's step limit came. */
export type LeaveReason = 'converged' | 'budget' | 'limit';

/** One segment a system went through: where, and how many steps in each of its sub-stages. */
export interface StageVisit {
  /** Global index of the segment in the spec's stages. */
  segment: number;
  /** Worker (rank) that ran it. */
  worker: number;
  /** Steps the system made in the segment (sum over its sub-stages). */
  steps: number;
  /** The sub-stages it went through, in order: status code, steps made there and why it left. */
  subStages: { code: number; steps: number; reason: LeaveReason }[];
}

/** Receives engine events. Hosts pass a comlink proxy of this across the worker boundary. */
export type EngineListener = (event: EngineEvent) => void;

/** What the engine worker exposes through comlink. */
export interface EngineWorkerApi {
  /** Requests an adapter and a device; rejects with a message saying how to enable WebGPU if there is none. */
  init(): Promise<{ adapter: string }>;
  /**
   * Validates the spec, builds the system (or takes `batch`, required for a `file` system), uploads
   * it; emits `loaded`. An EAM potential needs `tables` (eamTabulation of its files), a GNN its
   * `gnnModel` (parseGnnWeights of its two files). If anything fails, the previously loaded system,
   * spec and engine stay as they were.
   */
  load(
    spec: PipelineSpecInput,
    listener: EngineListener,
    batch?: Batch,
    tables?: EamTabulation,
    gnnModel?: GnnModel,
  ): Promise<void>;
  /** Runs the chain from where it stands until it ends; resolves with the reason. */
  run(): Promise<RunEnd>;
  pause(): void;
  resume(): void;
  /** Ends the run after the current chunk of steps. */
  stop(): void;
  /** While paused: runs exactly one step, then stays paused (no effect while running). */
  step(): void;
  /**
   * What the live view frames carry from now on; when no run is stepping (loaded, paused, ended) a
   * frame with them is sent at once.
   */
  setViewOptions(options: ViewOptions): Promise<void>;
  /**
   * Frames recorded by snapshot hooks, by step: those held in host memory (GPU rings drained first),
   * or when there are none, those written to the run's Zarr trajectory so far.
   */
  snapshots(): Promise<TrajectoryFrame[]>;
  /** After a device loss: new device, state restored from the last snapshot, ready to `run`. */
  restartFromLastSnapshot(): Promise<{ step: number; stage: number }>;
  /** Testing aid: destroys the GPU device as a driver reset would. */
  loseDeviceForTesting(): void;
  /**
   * The run's Zarr trajectory as a `.zarr.zip` Blob (flushed first, GPU rings drained into it), or
   * null when the loaded run has none (no snapshot hook writes to Zarr). Call while the run is paused
   * or ended: frames written during the export may be left out.
   */
  exportTrajectory(): Promise<{ blob: Blob; frames: number } | null>;
}
