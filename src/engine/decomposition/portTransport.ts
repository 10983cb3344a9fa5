/**
 * The transport of a domain decomposition between workers (DESIGN §5): a {@link RankTransport} over
 * one message {@link Port} per peer rank (MessageChannels the coordinator wired between every pair
 * of workers). Messages from one peer queue in arrival order (a port is FIFO); a receive takes the
 * oldest and checks its tag, so that ranks that went out of step fail at once with both tags named
 * instead of mixing data. A payload is copied once into a fresh buffer that is transferred (moved, not
 * cloned again) to the receiver; the sender keeps its arrays.
 */
import { type Port, type TransferablePort, wrapPort } from '../transport/port.ts';
import { ExchangeMismatchError } from './inProcess.ts';
import type { RankMessage, RankTransport } from './transport.ts';

interface Waiter {
  tag: string;
  resolve: (m: RankMessage) => void;
  reject: (e: Error) => void;
}

/** The wire form of a {@link RankMessage} (the same fields: typed arrays survive structured clone). */
function isRankMessage(data: unknown): data is RankMessage {
  const m = data as Partial<RankMessage> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.tag === 'string' &&
    m.f64 instanceof Float64Array &&
    m.i32 instanceof Int32Array
  );
}

/**
 * The wire form of `message`: its payloads copied once into fresh buffers, which then move (are
 * transferred) to the receiver. The sender's arrays stay intact — senders may reuse a payload
 * (a gather sends one buffer to every peer and keeps reading it) — and a view into a larger buffer
 * sends only its own bytes (a structured clone would copy the whole buffer).
 */
export function transferable(message: RankMessage): { message: RankMessage; transfer: ArrayBuffer[] } {
  const f64 = message.f64.slice();
  const i32 = message.i32.slice();
  const transfer: ArrayBuffer[] = [];
  for (const b of [f64.buffer, i32.buffer] as ArrayBuffer[]) if (b.byteLength > 0) transfer.push(b);
  return { message: { tag: message.tag, f64, i32 }, transfer };
}

/** A rank's end of the all-pairs mesh of ports. */
export class PortTransport implements RankTransport {
  readonly rank: number;
  readonly size: number;
  private readonly ports: (Port | null)[];
  /** Per source rank: messages received and not yet taken, oldest first. */
  private readonly inbox: RankMessage[][];
  /** Per source rank: receives waiting for a message, oldest first. */
  private readonly waiters: Waiter[][];
  private closedWith: Error | null = null;

  /**
   * @param rank this rank, 0 … size − 1
   * @param size number of ranks
   * @param peers `peers[r]`: the port to rank r (a Port or a raw MessagePort); null or absent for
   *   `rank` itself. Every other rank needs one.
   */
  constructor(rank: number, size: number, peers: readonly (Port | TransferablePort | null | undefined)[]) {
    if (!(Number.isInteger(size) && size >= 1))
      throw new Error(`rank count must be an integer ≥ 1, got ${size}`);
    if (!(Number.isInteger(rank) && rank >= 0 && rank < size))
      throw new Error(`rank ${rank} is not in 0 … ${size - 1}`);
    this.rank = rank;
    this.size = size;
    this.inbox = Array.from({ length: size }, () => []);
    this.waiters = Array.from({ length: size }, () => []);
    this.ports = Array.from({ length: size }, (_, r) => {
      if (r === rank) return null;
      const raw = peers[r];
      if (!raw) throw new Error(`rank ${rank} has no port to rank ${r}: every pair of ranks needs one`);
      const port = isPort(raw) ? raw : wrapPort(raw);
      port.onMessage((data) => this.arrive(r, data));
      return port;
    });
  }

  send(to: number, message: RankMessage): void {
    if (this.closedWith) throw this.closedWith;
    const port = Number.isInteger(to) ? this.ports[to] : undefined;
    if (!port) throw new Error(`rank ${this.rank} cannot send '${message.tag}' to rank ${to}`);
    const { message: wire, transfer } = transferable(message);
    port.post(wire, transfer);
  }

  recv(from: number, tag: string): Promise<RankMessage> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (!(Number.isInteger(from) && this.ports[from]))
      return Promise.reject(new Error(`rank ${this.rank} cannot receive '${tag}' from rank ${from}`));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { tag, resolve, reject };
      const queued = this.inbox[from]!.shift();
      if (queued) this.deliver(from, waiter, queued);
      else this.waiters[from]!.push(waiter);
    });
  }

  /**
   * Closes every port; receives still waiting reject with `reason` (a failed peer, the end of the
   * run), and so do later sends and receives.
   */
  close(reason = new Error(`rank ${this.rank}'s transport is closed`)): void {
    if (this.closedWith) return;
    this.closedWith = reason;
    for (const port of this.ports) port?.close();
    for (const list of this.waiters) for (const w of list.splice(0)) w.reject(reason);
  }

  /** Messages received and not yet taken, per source rank (diagnostics, tests). */
  pending(): number[] {
    return this.inbox.map((q) => q.length);
  }

  private arrive(from: number, data: unknown): void {
    if (this.closedWith) return;
    if (!isRankMessage(data)) {
      this.close(new Error(`rank ${this.rank} received a malformed message from rank ${from}`));
      return;
    }
    const waiter = this.waiters[from]!.shift();
    if (waiter) this.deliver(from, waiter, data);
    else this.inbox[from]!.push(data);
  }

  private deliver(from: number, w: Waiter, m: RankMessage): void {
    if (m.tag !== w.tag) {
      w.reject(
        new ExchangeMismatchError(
          `rank ${this.rank} expected '${w.tag}' from rank ${from} but received '${m.tag}': the ranks are out of step`,
        ),
      );
    } else {
      w.resolve(m);
    }
  }
}

function isPort(p: Port | TransferablePort): p is Port {
  const q = p as Partial<Port>;
  return typeof q.post === 'function' && typeof q.onMessage === 'function';
}
