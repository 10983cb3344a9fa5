/**
 * Links between pipeline workers with credit-based flow control (issue 8, DESIGN §5). The receiver
 * advertises its inbox's capacity (the spec's LinkSpec: systems, atoms, edges) as credit; the sender
 * sends a system only when it fits the credit left and keeps the rest parked (stepping as no-ops in
 * its runner); the receiver returns credit as it admits systems into its resident batch. An `end`
 * message follows the last system. Messages on a link port:
 *   sender → receiver: `{ type: 'systems', packets }`, `{ type: 'end' }`
 *   receiver → sender: `{ type: 'credit', systems, atoms, edges }`
 */
import type { LinkSpec } from '../../io/spec.ts';
import type { Batch } from '../batch.ts';
import { splitSystems } from '../batching/residentBatch.ts';
import { SizeAwareSampler } from '../batching/sampler.ts';
import type { StreamSystem, SystemOutlet, SystemSource } from '../runner.ts';
import type { Port } from '../transport/port.ts';
import { countEdges, fromPacket, packetTransfer, type SystemPacket, toPacket } from './packet.ts';

/** Messages on a link port. */
export type LinkMessage =
  | { type: 'systems'; packets: SystemPacket[] }
  | { type: 'end' }
  | { type: 'credit'; systems: number; atoms: number; edges: number };

/** A latch that `wait()` callers await until the next `signal()` (or at once if one came since the last reset). */
class Signal {
  private pending = false;
  private waiters: (() => void)[] = [];

  signal(): void {
    this.pending = true;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Forgets earlier signals (call when the state they announced has been looked at). */
  reset(): void {
    this.pending = false;
  }

  wait(): Promise<void> {
    if (this.pending) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }
}

/** Counters a worker reports. */
export interface FlowCounters {
  /** Systems handed on (sender) or received (receiver) so far. */
  count: number;
  /** Times a system had to stay parked because the link had no room (sender). */
  blocked: number;
}

/**
 * Worker 0's source: the size-aware sampler holding every system of the run (closed once empty).
 */
export class SamplerSource implements SystemSource {
  private readonly sampler: SizeAwareSampler;
  readonly counters: FlowCounters = { count: 0, blocked: 0 };

  constructor(systems: Batch, maxAtoms: number) {
    this.sampler = new SizeAwareSampler(maxAtoms);
    this.sampler.push(...splitSystems(systems));
  }

  take(freeSlots: number, freeAtoms: number): StreamSystem[] {
    const taken = this.sampler.take(freeSlots, freeAtoms).map((system) => ({ system, history: [] }));
    this.counters.count += taken.length;
    return taken;
  }

  get waiting(): number {
    return this.sampler.waiting;
  }

  get closed(): boolean {
    return this.sampler.waiting === 0;
  }

  /** Nothing ever arrives: the sampler holds all it will hold from the start. */
  arrival(): Promise<void> {
    return new Promise(() => {});
  }
}

/** The receiving end of a link: the worker's inbox, from which its runner admits systems. */
export class LinkReceiver implements SystemSource {
  private readonly inbox: SizeAwareSampler;
  private readonly carried = new Map<number, SystemPacket>();
  private ended = false;
  private readonly arrived = new Signal();
  readonly counters: FlowCounters = { count: 0, blocked: 0 };

  /**
   * @param port the link's port on this side
   * @param capacity the link's capacity, advertised at once as the sender's credit
   * @param maxAtoms the resident batch's atom budget (a larger system can never be admitted)
   */
  constructor(
    private readonly port: Port,
    private readonly capacity: LinkSpec,
    maxAtoms: number,
  ) {
    this.inbox = new SizeAwareSampler(maxAtoms);
    port.onMessage((data) => this.receive(data as LinkMessage));
    port.post({
      type: 'credit',
      systems: capacity.maxSystems,
      atoms: capacity.maxAtoms,
      edges: capacity.maxEdges,
    } satisfies LinkMessage);
  }

  private receive(message: LinkMessage): void {
    if (message.type === 'systems') {
      for (const p of message.packets) {
        this.carried.set(p.system.systemIds[0]!, p);
        this.inbox.push(p.system);
      }
      this.counters.count += message.packets.length;
    } else if (message.type === 'end') this.ended = true;
    this.arrived.signal();
  }

  take(freeSlots: number, freeAtoms: number): StreamSystem[] {
    this.arrived.reset();
    const systems = this.inbox.take(freeSlots, freeAtoms);
    if (systems.length === 0) return [];
    const out: StreamSystem[] = [];
    let atoms = 0;
    let edges = 0;
    for (const s of systems) {
      const p = this.carried.get(s.systemIds[0]!)!;
      this.carried.delete(s.systemIds[0]!);
      atoms += s.nAtoms;
      edges += p.edges;
      out.push(fromPacket(p));
    }
    // Admitted into the resident batch: their room on the link goes back to the sender.
    this.port.post({ type: 'credit', systems: out.length, atoms, edges } satisfies LinkMessage);
    return out;
  }

  get waiting(): number {
    return this.inbox.waiting;
  }

  get closed(): boolean {
    return this.ended && this.inbox.waiting === 0;
  }

  arrival(): Promise<void> {
    return this.arrived.wait();
  }

  /** The link's capacity. */
  get spec(): LinkSpec {
    return this.capacity;
  }
}

/** The sending end of a link: the runner's outlet; sends only what the receiver's credit allows. */
export class LinkSender implements SystemOutlet {
  private credit = { systems: 0, atoms: 0, edges: 0 };
  private readonly edgesOf = new Map<number, number>();
  private readonly roomSignal = new Signal();
  readonly counters: FlowCounters = { count: 0, blocked: 0 };

  /**
   * @param port the link's port on this side
   * @param capacity the link's capacity (a system larger than it can never be sent: an error)
   * @param cutoff the potential's cutoff, Å (edges are pairs closer than it)
   * @param name the link, for messages (`link 0 → 1`)
   */
  constructor(
    private readonly port: Port,
    private readonly capacity: LinkSpec,
    private readonly cutoff: number,
    private readonly name: string,
  ) {
    port.onMessage((data) => {
      const m = data as LinkMessage;
      if (m.type !== 'credit') return;
      this.credit.systems += m.systems;
      this.credit.atoms += m.atoms;
      this.credit.edges += m.edges;
      this.roomSignal.signal();
    });
  }

  offer(systems: readonly StreamSystem[]): number {
    this.roomSignal.reset();
    const sent: SystemPacket[] = [];
    for (const x of systems) {
      const id = x.system.systemIds[0]!;
      let edges = this.edgesOf.get(id);
      if (edges === undefined) {
        edges = countEdges(x.system, this.cutoff);
        this.edgesOf.set(id, edges);
      }
      const cap = this.capacity;
      if (x.system.nAtoms > cap.maxAtoms || edges > cap.maxEdges) {
        throw new Error(
          `system ${id} (${x.system.nAtoms} atoms, ${edges} neighbor pairs) can never cross ${this.name}: ` +
            `its capacity is ${cap.maxAtoms} atoms and ${cap.maxEdges} pairs (placement.links maxAtoms / maxEdges)`,
        );
      }
      const c = this.credit;
      if (c.systems < 1 || c.atoms < x.system.nAtoms || c.edges < edges) break;
      c.systems -= 1;
      c.atoms -= x.system.nAtoms;
      c.edges -= edges;
      this.edgesOf.delete(id);
      sent.push(toPacket(x, edges));
    }
    if (sent.length < systems.length) this.counters.blocked++;
    if (sent.length > 0) {
      this.port.post({ type: 'systems', packets: sent } satisfies LinkMessage, packetTransfer(sent));
      this.counters.count += sent.length;
    }
    return sent.length;
  }

  room(): Promise<void> {
    return this.roomSignal.wait();
  }

  /** Sends the end of the stream (after the last system). */
  end(): void {
    this.port.post({ type: 'end' } satisfies LinkMessage);
  }
}

/** The last worker's outlet: hands every finished system to the coordinator at once (it keeps them). */
export class FinalOutlet implements SystemOutlet {
  readonly counters: FlowCounters = { count: 0, blocked: 0 };

  constructor(private readonly deliver: (packets: SystemPacket[]) => void) {}

  offer(systems: readonly StreamSystem[]): number {
    if (systems.length === 0) return 0;
    const packets = systems.map((x) => toPacket(x, 0));
    this.deliver(packets);
    this.counters.count += packets.length;
    return packets.length;
  }

  room(): Promise<void> {
    return Promise.resolve();
  }
}
