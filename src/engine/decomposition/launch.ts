/**
 * How the coordinator of a domain decomposition starts its workers and talks to them (DESIGN §5):
 * the messages (the same over browser Web Workers and Node worker_threads; plain data, typed arrays
 * by structured clone or transfer) and the launch abstraction that starts one worker per rank.
 */
import type { GnnModel } from '../../io/gnnWeights.ts';
import type { PipelineSpec } from '../../io/spec.ts';
import type { TrajectoryFrame } from '../../io/zarr/trajectoryFrame.ts';
import type { EngineEvent, RunEnd, ViewOptions } from '../api.ts';
import type { Batch } from '../batch.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import type { TransferablePort } from '../transport/port.ts';
import type { WorkerEndpoint } from '../workers/endpoint.ts';
import type { GatheredAtoms } from './domainEngine.ts';

/** Where a rank computes its forces: its own WebGPU device, or the f64 reference on the CPU. */
export type DomainBackend = 'webgpu' | 'cpu';

/** What a rank reports about itself about every 250 ms: the `rank` event without its identity. */
export type RankStatusReport = Omit<Extract<EngineEvent, { type: 'rank' }>, 'type' | 'rank' | 'coords'>;

/** Coordinator → worker. */
export type ToRank =
  | {
      type: 'init';
      rank: number;
      /** Ranks per cell axis, [Px, Py, Pz]. */
      dims: [number, number, number];
      /** The whole parsed spec (placement `domain`). */
      spec: PipelineSpec;
      backend: DomainBackend;
      /** The whole one-system batch (every rank takes its share by position). */
      system: Batch;
      tables?: EamTabulation;
      gnnModel?: GnnModel;
      /** `peers[r]`: this worker's end of the channel to rank r (null for itself). */
      peers: (TransferablePort | null)[];
      /** Heartbeats and status every this many ms. */
      heartbeatMs: number;
      /** Least wall time between two live view frames (rank 0), ms (0: none). */
      viewFrameIntervalMs: number;
      /** Rank 0: the spec's snapshot hooks' frames are forwarded to the coordinator's sinks. */
      forwardSnapshots: boolean;
      /** Check at every re-neighbouring that every atom is owned exactly once (tests). */
      verifyIds: boolean;
    }
  | { type: 'run' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'step' }
  /** Rank 0: what its live view frames carry from now on. */
  | { type: 'view-options'; options: ViewOptions }
  /** Testing aid: the worker throws (`throw`) or stops answering (`hang`) at once. */
  | { type: 'fail-for-testing'; how: 'throw' | 'hang' };

/** Worker → coordinator. */
export type FromRank =
  | { type: 'ready'; adapter: string }
  | { type: 'heartbeat' }
  /** Rank 0: one of its runner's events (the whole run's view). */
  | { type: 'event'; event: EngineEvent }
  | { type: 'status'; status: RankStatusReport }
  /** Rank 0: a frame of snapshot hook number `hook` (index in snapshotHookSpecs(spec.stages)). */
  | { type: 'frame'; hook: number; frame: TrajectoryFrame }
  /** The rank's run ended; rank 0 adds the whole final state (f64, gathered by atom id). */
  | { type: 'done'; end: RunEnd; step: number; message?: string; rebuilds: number; atoms?: GatheredAtoms }
  /** The rank failed: its runner threw or its device was lost. */
  | { type: 'failed'; reason: 'error' | 'device-lost'; message: string };

/** The coordinator's handle on one started rank worker. */
export type RankEndpoint = WorkerEndpoint<ToRank, FromRank>;

/** Starts the workers of a decomposition. */
export interface DomainLaunch {
  /** Where the ranks compute forces. */
  readonly backend: DomainBackend;
  /** Starts the worker of rank `rank` and returns its endpoint. */
  spawn(rank: number): RankEndpoint;
  /** A connected pair of ports (a MessageChannel) for the link between two ranks. */
  channel(): [TransferablePort, TransferablePort];
}
