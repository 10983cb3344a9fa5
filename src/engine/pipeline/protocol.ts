/**
 * Messages between the pipeline coordinator and its workers (the same over browser Web Workers and
 * Node worker_threads). Plain data; typed arrays travel by structured clone or transfer.
 */
import type { GnnModel } from '../../io/gnnWeights.ts';
import type { PipelineSpec } from '../../io/spec.ts';
import type { TrajectoryFrame } from '../../io/zarr/trajectoryFrame.ts';
import type { EngineEvent, RunEnd } from '../api.ts';
import type { Batch } from '../batch.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import type { TransferablePort } from '../transport/port.ts';
import type { SystemPacket } from './packet.ts';

/** Which engine a worker runs: WebGPU (browsers) or the f64 CPU engine (Node, tests). */
export type PipelineBackend = 'webgpu' | 'cpu';

/** Coordinator → worker. */
export type ToWorker =
  | {
      type: 'init';
      /** Worker index = the index of the segment it runs. */
      index: number;
      /** The whole parsed spec (`placement.kind === 'pipeline'`). */
      spec: PipelineSpec;
      backend: PipelineBackend;
      /** Worker 0: every system of the run (its sampler's). */
      systems?: Batch;
      tables?: EamTabulation;
      /** The model of a GNN potential (its f64 weights travel by structured clone). */
      gnnModel?: GnnModel;
      /** Link from the previous worker (absent for worker 0). */
      upstream?: TransferablePort;
      /** Link to the next worker (absent for the last one). */
      downstream?: TransferablePort;
      /** Status events and heartbeats every this many ms. */
      heartbeatMs: number;
      /** Least wall time between two live view frames, ms (0: none). */
      viewFrameIntervalMs: number;
    }
  | { type: 'run' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'step' }
  /** Testing aid: the worker throws (`throw`) or stops answering (`hang`) at once. */
  | { type: 'fail-for-testing'; how: 'throw' | 'hang' };

/** Worker → coordinator. */
export type FromWorker =
  | { type: 'ready'; adapter: string }
  | { type: 'heartbeat' }
  | { type: 'event'; event: EngineEvent }
  /** Systems done with the last segment (last worker only): the coordinator keeps them. */
  | { type: 'finished'; packets: SystemPacket[] }
  /** A frame of snapshot hook number `hook` (index in snapshotHookSpecs(spec.stages)). */
  | { type: 'frame'; hook: number; frame: TrajectoryFrame }
  /** The worker's runner ended (completed: upstream ended and every system left). */
  | { type: 'done'; end: RunEnd; message?: string; step: number }
  /** The worker failed: its runner threw or its device was lost. */
  | { type: 'failed'; reason: 'error' | 'device-lost'; message: string };
