/**
 * Contracts between the engine (in a Worker or in Node) and its hosts (the page, the CLI, the
 * benchmarks). Plain data only: everything here crosses postMessage.
 */

import type { PipelineSpecInput } from '../io/spec.ts';
import type { Batch } from './batch.ts';
import type { EamTabulation } from './potentials/eamTabulation.ts';

/** Per-system observables reduced on the GPU after a force evaluation. */
export interface SystemStats {
  /** Potential energy per system, eV. */
  potentialEnergy: Float64Array;
  /** Kinetic energy per system, eV. */
  kineticEnergy: Float64Array;
  /** Instantaneous temperature per system, K (3N degrees of freedom, NULL atoms included). */
  temperature: Float64Array;
  /** Largest |F| over the atoms of each system, eV/Å. */
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
  /** Summed over systems, eV. */
  potentialEnergy: number;
  /** Summed over systems, eV. */
  kineticEnergy: number;
  /** Atom-weighted mean over systems, K. */
  temperature: number;
  /** Max over systems, eV/Å. */
  maxForce: number;
  /** Per-system values, same order as the batch. */
  perSystem: {
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
  /** Å/fs; present in snapshots, absent in view frames. */
  velocities?: Float32Array;
  /** eV/Å; present in snapshots, absent in view frames. */
  forces?: Float32Array;
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
  | { type: 'snapshot'; stage: number; step: number; framesInSink: number }
  | { type: 'converged'; stage: number; step: number; systems: number[] }
  | { type: 'state'; state: 'running' | 'paused' | 'idle' }
  | { type: 'end'; reason: RunEnd; message?: string; step: number }
  | { type: 'device-lost'; message: string; canRestart: boolean };

/** Receives engine events. Hosts pass a comlink proxy of this across the worker boundary. */
export type EngineListener = (event: EngineEvent) => void;

/** What the engine worker exposes through comlink. */
export interface EngineWorkerApi {
  /** Requests an adapter and a device; rejects with a message saying how to enable WebGPU if there is none. */
  init(): Promise<{ adapter: string }>;
  /**
   * Validates the spec, builds the system (or takes `batch`, required for a `file` system), uploads
   * it; emits `loaded`. An EAM potential needs `tables` (eamTabulation of its files). If anything
   * fails, the previously loaded system, spec and engine stay as they were.
   */
  load(
    spec: PipelineSpecInput,
    listener: EngineListener,
    batch?: Batch,
    tables?: EamTabulation,
  ): Promise<void>;
  /** Runs the chain from where it stands until it ends; resolves with the reason. */
  run(): Promise<RunEnd>;
  pause(): void;
  resume(): void;
  /** Ends the run after the current chunk of steps. */
  stop(): void;
  /** Frames held by the host-memory sink, oldest first. */
  snapshots(): Promise<Frame[]>;
  /** After a device loss: new device, state restored from the last snapshot, ready to `run`. */
  restartFromLastSnapshot(): Promise<{ step: number; stage: number }>;
  /** Testing aid: destroys the GPU device as a driver reset would. */
  loseDeviceForTesting(): void;
}
