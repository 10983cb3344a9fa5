/**
 * Point-to-point messages between the ranks of a domain decomposition (DESIGN §5), like MPI
 * send/recv: every message carries a tag naming the exchange it belongs to, so that a rank that
 * skipped or reordered an exchange is caught at once (a tag mismatch) instead of silently mixing
 * data. Messages between one ordered pair of ranks arrive in the order they were sent.
 */

/** One message: a tag and plain typed-array payloads (structured-cloneable, transferable). */
export interface RankMessage {
  /** What exchange and step this message belongs to, e.g. `forward x swap 3`. */
  tag: string;
  /** Floating-point payload (positions, forces, per-atom scalars…). */
  f64: Float64Array;
  /** Integer payload (ids, types, image flags…). */
  i32: Int32Array;
}

/** What a rank needs from its transport. */
export interface RankTransport {
  /** This rank's index, 0 … size − 1. */
  readonly rank: number;
  /** Number of ranks. */
  readonly size: number;
  /** Sends a message to rank `to` (never to itself: self-swaps copy in place). Does not block. */
  send(to: number, message: RankMessage): void;
  /**
   * Receives the next message from rank `from`. Rejects if its tag is not `tag` (the ranks went out
   * of step) or if the transport detects that no such message can ever come (a deadlock).
   */
  recv(from: number, tag: string): Promise<RankMessage>;
}

/** A message with empty payloads of the given tag. */
export function emptyMessage(tag: string): RankMessage {
  return { tag, f64: new Float64Array(0), i32: new Int32Array(0) };
}
