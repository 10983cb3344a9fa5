/**
 * One worker of a domain decomposition (DESIGN §5): one rank. On `init` it wires its ports to every
 * other rank into a {@link PortTransport}, builds its force field (its own GPUDevice, or the f64
 * reference) through its entry point's environment and reports ready; on `run` it runs its share
 * of the spec with {@link runDomainRank}. Sends a heartbeat every `heartbeatMs`, its status (atoms
 * owned, ghosts, exchange and compute time per step) as the runner reports it, and, on rank 0, the
 * runner's events and its snapshot hooks' frames. Run controls reach rank 0 only: the runner
 * broadcasts them inside, so that every rank takes them at the same step. The entry points
 * (workers/domain.worker.ts, ./node.worker.ts) only give it its message port and environment.
 */
import type { GnnModel } from '../../io/gnnWeights.ts';
import type { PipelineSpec } from '../../io/spec.ts';
import type { EngineEvent, ViewOptions } from '../api.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import { type Port, wrapPort } from '../transport/port.ts';
import { failForTesting, forwardingSinks } from '../workers/workerSide.ts';
import type { RankForceField } from './forceField.ts';
import type { DomainBackend, FromRank, RankStatusReport, ToRank } from './launch.ts';
import { PortTransport } from './portTransport.ts';
import { type DomainRankRun, type RankStatus, runDomainRank } from './rankRunner.ts';

/** What the force field of a rank is built from. */
export interface ForceFieldInputs {
  spec: PipelineSpec;
  backend: DomainBackend;
  rank: number;
  tables?: EamTabulation;
  gnnModel?: GnnModel;
}

/** What a worker's entry point provides: how to build its force field. */
export interface RankEnvironment {
  /**
   * Builds the rank's force field on `inputs.backend` (a GPU device of its own, or the f64
   * reference). `onDeviceLost` is to be called if the device is lost later. Rejects with a clear
   * message when it cannot.
   */
  createForceField(
    inputs: ForceFieldInputs,
    onDeviceLost: (message: string) => void,
  ): Promise<{ forceField: RankForceField; adapter: string }>;
}

type Init = Extract<ToRank, { type: 'init' }>;

export class RankWorker {
  private init: Init | null = null;
  private transport: PortTransport | null = null;
  private forceField: RankForceField | null = null;
  private run: DomainRankRun | null = null;
  private state: RankStatusReport['state'] = 'starting';
  private status: RankStatusReport = {
    state: 'starting',
    owned: 0,
    ghosts: 0,
    nullOwned: 0,
    step: 0,
    exchangeMs: 0,
    computeMs: 0,
    stepsPerSecond: 0,
  };
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Controls that came before `run` (a run loaded paused). */
  private pausedBeforeRun = false;
  private viewOptions: ViewOptions | null = null;

  constructor(
    private readonly scope: Port,
    private readonly env: RankEnvironment,
  ) {
    scope.onMessage((data) => this.handle(data as ToRank));
  }

  private post(message: FromRank, transfer?: readonly object[]): void {
    this.scope.post(message, transfer);
  }

  private handle(m: ToRank): void {
    switch (m.type) {
      case 'init':
        this.load(m).catch((e: unknown) => this.fail('error', e));
        return;
      case 'run':
        this.start();
        return;
      case 'pause':
        if (this.run) this.run.pause();
        else this.pausedBeforeRun = true;
        return;
      case 'resume':
        if (this.run) this.run.resume();
        else this.pausedBeforeRun = false;
        return;
      case 'stop':
        this.run?.stop();
        return;
      case 'step':
        this.run?.step();
        return;
      case 'view-options':
        if (this.run) this.run.setViewOptions(m.options);
        else this.viewOptions = m.options;
        return;
      case 'fail-for-testing':
        // `hang`: no heartbeats, no messages, no exchanges either.
        failForTesting(m.how, `rank ${this.init?.rank} failed on purpose (testing)`);
        return;
    }
  }

  private async load(m: Init): Promise<void> {
    if (this.init) throw new Error(`rank ${m.rank} was loaded twice`);
    this.init = m;
    const size = m.dims[0] * m.dims[1] * m.dims[2];
    if (m.peers.length !== size)
      throw new Error(`rank ${m.rank} got ${m.peers.length} peer port(s) for ${size} ranks`);
    this.timer = setInterval(() => this.beat(), m.heartbeatMs);
    this.transport = new PortTransport(m.rank, size, m.peers);
    const { forceField, adapter } = await this.env.createForceField(
      {
        spec: m.spec,
        backend: m.backend,
        rank: m.rank,
        ...(m.tables ? { tables: m.tables } : {}),
        ...(m.gnnModel ? { gnnModel: m.gnnModel } : {}),
      },
      (message) => {
        this.run?.stop();
        this.fail('device-lost', new Error(message));
      },
    );
    this.forceField = forceField;
    this.post({ type: 'ready', adapter });
    this.beat();
  }

  private start(): void {
    const m = this.init;
    const transport = this.transport;
    const forceField = this.forceField;
    if (!m || !transport || !forceField) {
      this.fail('error', new Error(`rank ${m?.rank ?? '?'} was told to run before it was loaded`));
      return;
    }
    if (this.run) return;
    this.state = 'running';
    const rank0 = m.rank === 0;
    let run: DomainRankRun;
    try {
      run = runDomainRank({
        transport,
        dims: m.dims,
        spec: m.spec,
        system: m.system,
        forceField,
        viewFrameIntervalMs: m.viewFrameIntervalMs,
        onEvent: (e) => {
          if (rank0) this.forward(e);
        },
        onStatus: (s) => this.report(s),
        verifyIds: m.verifyIds,
        ...(rank0 && m.forwardSnapshots
          ? { sinks: forwardingSinks(m.spec.stages, (x) => this.post(x)) }
          : {}),
      });
    } catch (e) {
      // A spec the decomposition refuses: said before any exchange.
      this.fail('error', e);
      return;
    }
    this.run = run;
    if (this.pausedBeforeRun) run.pause();
    if (this.viewOptions) run.setViewOptions(this.viewOptions);
    run.done
      .then((r) => {
        if (this.state === 'failed') return;
        this.state = 'done';
        this.status = { ...this.status, state: 'done', step: r.step };
        this.beat();
        // Rank 0 hands the final state to the coordinator (the others hold the same gather).
        const atoms = this.init?.rank === 0 ? r.atoms : undefined;
        this.post(
          {
            type: 'done',
            end: r.reason,
            step: r.step,
            rebuilds: r.rebuilds,
            ...(r.message ? { message: r.message } : {}),
            ...(atoms ? { atoms } : {}),
          },
          atoms ? ownBuffers(Object.values(atoms) as (Float64Array | Int32Array)[]) : [],
        );
        this.stopHeartbeat();
        // runDomainRank destroyed the force field.
        this.forceField = null;
      })
      .catch((e: unknown) => this.fail('error', e));
  }

  /** Forwards rank 0's runner events, except those the coordinator emits for the whole run. */
  private forward(e: EngineEvent): void {
    if (e.type === 'state' || e.type === 'end' || e.type === 'loaded') return;
    this.post({ type: 'event', event: e });
  }

  private report(s: RankStatus): void {
    const { rank: _rank, coords: _coords, ...status } = s;
    this.status = { ...status, state: this.state === 'failed' ? 'failed' : s.state };
    this.post({ type: 'status', status: this.status });
  }

  private fail(reason: 'error' | 'device-lost', error: unknown): void {
    if (this.state === 'failed') return;
    this.state = 'failed';
    this.status = { ...this.status, state: 'failed' };
    const message = error instanceof Error ? error.message : String(error);
    this.post({ type: 'status', status: this.status });
    this.post({ type: 'failed', reason, message });
    this.transport?.close(new Error(`rank ${this.init?.rank} failed: ${message}`));
    this.stopHeartbeat();
  }

  /** A rank that is done or failed has nothing more to say (the coordinator no longer watches it). */
  private stopHeartbeat(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Heartbeat (and the status while the runner reports none: loading, done). */
  private beat(): void {
    this.post({ type: 'heartbeat' });
    if (this.state !== 'running')
      this.post({ type: 'status', status: { ...this.status, state: this.state } });
  }
}

/** The distinct buffers that `arrays` fill entirely (safe to transfer: nothing else shares them). */
function ownBuffers(arrays: readonly (Float64Array | Int32Array)[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const a of arrays) {
    const b = a.buffer as ArrayBuffer;
    const whole = a.byteOffset === 0 && a.byteLength === b.byteLength && b.byteLength > 0;
    const shared = arrays.some((o) => o !== a && o.buffer === b);
    if (whole && !shared && !out.includes(b)) out.push(b);
  }
  return out;
}

/** Starts a domain worker on `scope` (a worker's global scope or Node's parentPort). */
export function serveRankWorker(scope: object, env: RankEnvironment): RankWorker {
  return new RankWorker(wrapPort(scope), env);
}
