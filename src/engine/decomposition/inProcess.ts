/**
 * An in-process transport connecting P ranks through FIFO queues, for fast and deterministic tests
 * of the decomposition (DESIGN §5). All ranks run as async functions on one event loop and await
 * only their transport; when the loop goes idle (a macrotask boundary) while some rank still waits
 * for a message, no message can ever come: that is a deadlock, and every waiting receive rejects
 * with an error naming who waits for what, instead of hanging.
 */
import type { RankMessage, RankTransport } from './transport.ts';

interface Waiter {
  from: number;
  to: number;
  tag: string;
  resolve: (m: RankMessage) => void;
  reject: (e: Error) => void;
}

/** Runs `f` at the next macrotask: `setImmediate` in Node, `setTimeout(0)` in browsers (GPU tests). */
function nextMacrotask(f: () => void): void {
  const g = globalThis as { setImmediate?: (callback: () => void) => unknown };
  if (typeof g.setImmediate === 'function') g.setImmediate(f);
  else setTimeout(f, 0);
}

/** Error raised when ranks wait for messages that will never come. */
export class DeadlockError extends Error {
  override name = 'DeadlockError';
}

/** Error raised when a rank receives a message of another exchange than it expects. */
export class ExchangeMismatchError extends Error {
  override name = 'ExchangeMismatchError';
}

/** P ranks wired all-to-all through in-memory queues. */
export class InProcessWorld {
  readonly size: number;
  /** queues[from * size + to]: messages sent and not yet received, oldest first. */
  private readonly queues: RankMessage[][];
  private readonly waiters: (Waiter | undefined)[];
  private readonly finished: boolean[];
  private checkScheduled = false;
  /** Messages sent by each rank, for tests of "every rank joins every exchange". */
  readonly sentCount: number[];

  constructor(size: number) {
    if (!(Number.isInteger(size) && size >= 1))
      throw new Error(`rank count must be an integer ≥ 1, got ${size}`);
    this.size = size;
    this.queues = Array.from({ length: size * size }, () => []);
    this.waiters = new Array(size).fill(undefined);
    this.finished = new Array(size).fill(false);
    this.sentCount = new Array(size).fill(0);
  }

  /** The transport of rank `rank`. */
  transport(rank: number): RankTransport {
    if (!(Number.isInteger(rank) && rank >= 0 && rank < this.size)) {
      throw new Error(`rank ${rank} is not in 0 … ${this.size - 1}`);
    }
    return {
      rank,
      size: this.size,
      send: (to, message) => this.send(rank, to, message),
      recv: (from, tag) => this.recv(rank, from, tag),
    };
  }

  /** Marks rank `rank` as done: it will send nothing more (a deadlock report says so). */
  finish(rank: number): void {
    this.finished[rank] = true;
    this.scheduleCheck();
  }

  private send(from: number, to: number, message: RankMessage): void {
    if (!(Number.isInteger(to) && to >= 0 && to < this.size) || to === from) {
      throw new Error(`rank ${from} cannot send '${message.tag}' to rank ${to}`);
    }
    this.sentCount[from]!++;
    const w = this.waiters[to];
    if (w && w.from === from) {
      this.waiters[to] = undefined;
      this.deliver(w, message);
    } else {
      this.queues[from * this.size + to]!.push(message);
    }
  }

  private deliver(w: Waiter, m: RankMessage): void {
    if (m.tag !== w.tag) {
      w.reject(
        new ExchangeMismatchError(
          `rank ${w.to} expected '${w.tag}' from rank ${w.from} but received '${m.tag}': the ranks are out of step`,
        ),
      );
    } else {
      w.resolve(m);
    }
  }

  private recv(to: number, from: number, tag: string): Promise<RankMessage> {
    return new Promise((resolve, reject) => {
      if (!(Number.isInteger(from) && from >= 0 && from < this.size) || from === to) {
        reject(new Error(`rank ${to} cannot receive '${tag}' from rank ${from}`));
        return;
      }
      if (this.waiters[to]) {
        reject(new Error(`rank ${to} is already waiting for '${this.waiters[to]!.tag}'`));
        return;
      }
      const waiter: Waiter = { from, to, tag, resolve, reject };
      const q = this.queues[from * this.size + to]!;
      const m = q.shift();
      if (m) {
        this.deliver(waiter, m);
        return;
      }
      this.waiters[to] = waiter;
      this.scheduleCheck();
    });
  }

  /** At the next macrotask, every microtask has run: anyone still waiting waits forever. */
  private scheduleCheck(): void {
    if (this.checkScheduled) return;
    this.checkScheduled = true;
    nextMacrotask(() => {
      this.checkScheduled = false;
      const stuck = this.waiters.filter((w): w is Waiter => w !== undefined);
      // A rank neither waiting nor finished awaits something else (a GPU readback): no deadlock yet.
      const busy = this.waiters.some((w, r) => w === undefined && !this.finished[r]);
      if (stuck.length === 0 || busy) return;
      const lines = stuck.map((w) => {
        const other = this.waiters[w.from];
        const state = this.finished[w.from]
          ? 'has finished'
          : other
            ? `waits for '${other.tag}' from rank ${other.from}`
            : 'is not waiting';
        return `rank ${w.to} waits for '${w.tag}' from rank ${w.from}, which ${state}`;
      });
      const error = new DeadlockError(`deadlock: ${lines.join('; ')}`);
      for (const w of stuck) {
        this.waiters[w.to] = undefined;
        w.reject(error);
      }
    });
  }
}

/**
 * Runs `body` on every rank of a fresh in-process world and resolves with the per-rank results in
 * rank order. If any rank fails, resolves no earlier than every rank has ended (its partners then
 * fail by deadlock detection) and rejects with the first rank's own error (else the deadlock).
 */
export async function runRanks<T>(
  size: number,
  body: (transport: RankTransport, world: InProcessWorld) => Promise<T>,
): Promise<T[]> {
  const world = new InProcessWorld(size);
  const runs = Array.from({ length: size }, (_, r) =>
    body(world.transport(r), world).finally(() => world.finish(r)),
  );
  const settled = await Promise.allSettled(runs);
  const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  // A rank's own error is the cause; its partners' deadlocks are the consequence.
  const cause = failures.find((f) => !(f.reason instanceof DeadlockError)) ?? failures[0];
  if (cause) throw cause.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
