/**
 * One worker of a pipeline (issue 8): runs one segment of the spec on its own engine and resident
 * batch, in the runner's streaming mode. Worker 0 admits systems from its size-aware sampler, the
 * others from their inbox (the link from the previous worker); systems that leave go to the next
 * worker when its link has room (else they stay parked: back-pressure), from the last worker to the
 * coordinator. Sends heartbeats and a `worker` status event every `heartbeatMs`, forwards its
 * runner's events (global stage indices) and its snapshot hooks' frames. The entry points
 * (workers/pipeline.worker.ts, ./node.worker.ts) only give it its message port and engine factory.
 */

import type { GnnModel } from '../../io/gnnWeights.ts';
import type { PipelineSpec } from '../../io/spec.ts';
import { stageName } from '../../io/spec.ts';
import type { EngineEvent, RunEnd } from '../api.ts';
import type { Batch } from '../batch.ts';
import type { Engine } from '../gpu/types.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import { engineBatch, StageRunner } from '../runner.ts';
import { macrotask, type Port, wrapPort } from '../transport/port.ts';
import { failForTesting, forwardingSinks } from '../workers/workerSide.ts';
import { FinalOutlet, type FlowCounters, LinkReceiver, LinkSender, SamplerSource } from './link.ts';
import { packetTransfer, potentialCutoff } from './packet.ts';
import type { FromWorker, PipelineBackend, ToWorker } from './protocol.ts';

/** What a worker's entry point provides: how to make its engine. */
export interface WorkerEnvironment {
  /**
   * Creates the engine of `backend` on `batch` (the resident batch's layout). `onDeviceLost` is to be
   * called if a GPU device is lost later. Rejects with a clear message when it cannot.
   */
  createEngine(
    spec: PipelineSpec,
    batch: Batch,
    tables: EamTabulation | undefined,
    backend: PipelineBackend,
    onDeviceLost: (message: string) => void,
    gnnModel?: GnnModel,
  ): Promise<{ engine: Engine<unknown>; adapter: string }>;
}

/** A batch of no systems (the streaming runner's own queue stays empty). */
function noSystems(): Batch {
  return {
    nAtoms: 0,
    nSystems: 0,
    atomsPtr: Int32Array.of(0),
    positions: new Float64Array(0),
    velocities: new Float64Array(0),
    masses: new Float64Array(0),
    types: new Int32Array(0),
    atomicNumbers: new Int32Array(0),
    cells: new Float64Array(0),
    pbc: new Uint8Array(0),
    systemIds: new Int32Array(0),
  };
}

interface Source {
  readonly waiting: number;
  readonly counters: FlowCounters;
}

export class PipelineWorker {
  private runner: StageRunner<unknown> | null = null;
  private engine: Engine<unknown> | null = null;
  private source: Source | null = null;
  private outlet: { counters: FlowCounters } | null = null;
  private sender: LinkSender | null = null;
  private state: 'starting' | 'running' | 'done' | 'failed' = 'starting';
  private timer: ReturnType<typeof setInterval> | null = null;
  private index = -1;
  private name = '';
  private spec: PipelineSpec | null = null;
  private last = { at: 0, sent: 0, step: 0 };

  constructor(
    private readonly scope: Port,
    private readonly env: WorkerEnvironment,
  ) {
    scope.onMessage((data) => this.handle(data as ToWorker));
  }

  private post(message: FromWorker, transfer?: readonly object[]): void {
    this.scope.post(message, transfer);
  }

  private handle(m: ToWorker): void {
    switch (m.type) {
      case 'init':
        this.init(m).catch((e: unknown) => this.fail('error', e));
        return;
      case 'run':
        this.run();
        return;
      case 'pause':
        this.runner?.pause();
        return;
      case 'resume':
        this.runner?.resume();
        return;
      case 'stop':
        this.runner?.stop();
        return;
      case 'step':
        this.runner?.step();
        return;
      case 'fail-for-testing':
        failForTesting(m.how, `worker ${this.index} failed on purpose (testing)`);
        return;
    }
  }

  private async init(m: Extract<ToWorker, { type: 'init' }>): Promise<void> {
    const spec = m.spec;
    this.spec = spec;
    this.index = m.index;
    const segment = spec.stages[m.index];
    if (!segment) throw new Error(`worker ${m.index}: the spec has no stage ${m.index}`);
    this.name = stageName(segment, m.index);
    if (spec.placement.kind !== 'pipeline' || !spec.batching)
      throw new Error('a pipeline worker needs placement.kind = pipeline and batching');
    const links = spec.placement.links;
    const batching = spec.batching;
    const lastWorker = m.index === spec.stages.length - 1;

    const { engine, adapter } = await this.env.createEngine(
      spec,
      engineBatch(noSystems(), batching),
      m.tables,
      m.backend,
      (message) => {
        this.runner?.abort('device-lost', message);
        this.fail('device-lost', new Error(message));
      },
      m.gnnModel,
    );
    this.engine = engine;

    let source: SamplerSource | LinkReceiver;
    if (m.index === 0) {
      if (!m.systems) throw new Error('worker 0 needs the systems of the run');
      source = new SamplerSource(m.systems, batching.maxAtoms);
    } else {
      if (!m.upstream) throw new Error(`worker ${m.index} needs its upstream link`);
      source = new LinkReceiver(wrapPort(m.upstream), links[m.index - 1]!, batching.maxAtoms);
    }
    let outlet: LinkSender | FinalOutlet;
    if (lastWorker) {
      outlet = new FinalOutlet((packets) =>
        this.post({ type: 'finished', packets }, packetTransfer(packets)),
      );
    } else {
      if (!m.downstream) throw new Error(`worker ${m.index} needs its downstream link`);
      outlet = new LinkSender(
        wrapPort(m.downstream),
        links[m.index]!,
        potentialCutoff(spec.potential, m.tables, m.gnnModel),
        `link ${m.index} → ${m.index + 1}`,
      );
      this.sender = outlet;
    }
    this.source = source;
    this.outlet = outlet;

    const forwarding = forwardingSinks(spec.stages, (x) => this.post(x));

    this.runner = new StageRunner<unknown>({
      engine,
      stages: spec.stages,
      systems: noSystems(),
      batching,
      listener: (e) => this.forward(e),
      hookDeps: { sinks: forwarding },
      rank: m.index,
      stream: { segment: m.index, source, outlet },
      yieldToEventLoop: macrotask,
      viewFrameIntervalMs: m.viewFrameIntervalMs,
    });
    this.timer = setInterval(() => this.beat(), m.heartbeatMs);
    this.post({ type: 'ready', adapter });
    this.beat();
  }

  /** Forwards the runner's events, except those the coordinator emits for the whole run. */
  private forward(e: EngineEvent): void {
    if (e.type === 'state' || e.type === 'end' || e.type === 'loaded') return;
    this.post({ type: 'event', event: e });
  }

  private run(): void {
    const runner = this.runner;
    if (!runner) {
      this.fail('error', new Error(`worker ${this.index} was told to run before it was loaded`));
      return;
    }
    this.state = 'running';
    this.last = { at: performance.now(), sent: this.outlet?.counters.count ?? 0, step: runner.where().step };
    runner
      .run()
      .then((end: RunEnd) => {
        if (this.state === 'failed') return;
        if (end === 'completed') this.sender?.end();
        this.state = 'done';
        this.beat();
        this.post({ type: 'done', end, step: runner.where().step });
      })
      .catch((e: unknown) => this.fail('error', e));
  }

  private fail(reason: 'error' | 'device-lost', error: unknown): void {
    if (this.state === 'failed') return;
    this.state = 'failed';
    const message = error instanceof Error ? error.message : String(error);
    this.post({ type: 'failed', reason, message });
  }

  /** Heartbeat and status event. */
  private beat(): void {
    this.post({ type: 'heartbeat' });
    const runner = this.runner;
    const spec = this.spec;
    if (!runner || !spec?.batching) return;
    const now = performance.now();
    const occupancy = runner.occupancy();
    const active = occupancy.systems - runner.parkedCount;
    const step = runner.where().step;
    const sent = this.outlet?.counters.count ?? 0;
    const seconds = Math.max((now - this.last.at) / 1000, 1e-3);
    const event: EngineEvent = {
      type: 'worker',
      worker: this.index,
      stage: this.index,
      name: this.name,
      state: this.state === 'running' ? (active > 0 ? 'running' : 'waiting') : this.state,
      resident: occupancy.systems,
      residentAtoms: occupancy.atoms,
      maxSystems: spec.batching.maxSystems,
      maxAtoms: spec.batching.maxAtoms,
      inbox: this.source?.waiting ?? 0,
      outbox: runner.parkedCount,
      heldBack: runner.heldBackCount,
      received: this.source?.counters.count ?? 0,
      sent,
      systemsPerSecond: (sent - this.last.sent) / seconds,
      atomStepsPerSecond: active > 0 ? ((step - this.last.step) * occupancy.atoms) / seconds : 0,
      step,
    };
    this.last = { at: now, sent, step };
    this.post({ type: 'event', event });
    if (this.state === 'done' && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
      this.engine?.destroy();
    }
  }
}

/** Starts a pipeline worker on `scope` (a worker's global scope or Node's parentPort). */
export function servePipelineWorker(scope: object, env: WorkerEnvironment): PipelineWorker {
  return new PipelineWorker(wrapPort(scope), env);
}
