/**
 * The transport between workers, over real Node MessageChannels in one thread: per-source FIFO
 * order, tag checks naming both tags and ranks, one fresh copy of each payload moved (the sender's
 * arrays intact, a view sending only its bytes), a closed transport rejecting waiting receives; and a 2×2×2 Lennard-Jones
 * force evaluation (re-neighbouring, borders, forward and reverse exchanges, reductions) over these
 * ports equal bit for bit to the same evaluation over the in-process transport.
 */
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { randomTriclinicBatch } from '../reference/testing.ts';
import { mulberry32 } from '../structures/random.ts';
import { ownedResult, type RankForces, runOnGrid } from './domain.testing.ts';
import { domainGrid } from './grid.ts';
import { ExchangeMismatchError } from './inProcess.ts';
import { lennardJonesHalf, reverseLocalForces } from './lennardJones.ts';
import { PortTransport, transferable } from './portTransport.ts';
import { DomainRank } from './rank.ts';
import { allreduce } from './reduce.ts';
import type { RankMessage } from './transport.ts';

/** `size` transports wired all-to-all through MessageChannels (as the coordinator wires workers). */
function mesh(size: number): PortTransport[] {
  const peers: (MessagePortLike | null)[][] = Array.from({ length: size }, () => new Array(size).fill(null));
  for (let i = 0; i < size; i++)
    for (let j = i + 1; j < size; j++) {
      const { port1, port2 } = new MessageChannel();
      peers[i]![j] = port1;
      peers[j]![i] = port2;
    }
  return peers.map((p, r) => new PortTransport(r, size, p));
}
type MessagePortLike = InstanceType<typeof MessageChannel>['port1'];

const msg = (tag: string, ...values: number[]): RankMessage => ({
  tag,
  f64: Float64Array.from(values),
  i32: Int32Array.from(values, (v) => v * 2),
});

function closeAll(ts: PortTransport[]): void {
  for (const t of ts) t.close();
}

describe('PortTransport', () => {
  it('delivers the messages of each source in order, whatever order the receives come in', async () => {
    const ts = mesh(3);
    try {
      ts[1]!.send(0, msg('a', 1));
      ts[2]!.send(0, msg('x', 10));
      ts[1]!.send(0, msg('b', 2, 3));
      const fromTwo = await ts[0]!.recv(2, 'x');
      const a = await ts[0]!.recv(1, 'a');
      const b = await ts[0]!.recv(1, 'b');
      expect(Array.from(fromTwo.f64)).toEqual([10]);
      expect(Array.from(a.f64)).toEqual([1]);
      expect(Array.from(b.f64)).toEqual([2, 3]);
      expect(Array.from(b.i32)).toEqual([4, 6]);
      // A receive posted before the message arrives resolves when it comes.
      const later = ts[2]!.recv(0, 'late');
      ts[0]!.send(2, msg('late', 7));
      expect(Array.from((await later).f64)).toEqual([7]);
      expect(ts[0]!.pending()).toEqual([0, 0, 0]);
    } finally {
      closeAll(ts);
    }
  });

  it('rejects a message of another exchange, naming both tags and both ranks', async () => {
    const ts = mesh(2);
    try {
      ts[1]!.send(0, msg('forward x swap 3 #12'));
      const got = ts[0]!.recv(1, 'reverse x swap 3 #12');
      await expect(got).rejects.toThrow(ExchangeMismatchError);
      await expect(got).rejects.toThrow(
        "rank 0 expected 'reverse x swap 3 #12' from rank 1 but received 'forward x swap 3 #12'",
      );
    } finally {
      closeAll(ts);
    }
  });

  it('moves one fresh copy of each payload: the sender keeps its arrays, a view sends only its bytes', async () => {
    const whole = msg('t', 1, 2, 3);
    const big = new Float64Array(1000).fill(5);
    const view: RankMessage = { tag: 'v', f64: big.subarray(2, 4), i32: new Int32Array(0) };
    const a = transferable(whole);
    expect(a.message.f64).not.toBe(whole.f64);
    expect(a.transfer).toEqual([a.message.f64.buffer, a.message.i32.buffer]);
    const b = transferable(view);
    expect(b.message.f64.buffer.byteLength).toBe(16);
    expect(b.transfer).toEqual([b.message.f64.buffer]);

    const ts = mesh(3);
    try {
      // One payload to two peers (as a gather does), then read again by the sender.
      ts[0]!.send(1, whole);
      ts[0]!.send(2, whole);
      ts[0]!.send(1, view);
      expect(Array.from(whole.f64)).toEqual([1, 2, 3]);
      expect(big.length).toBe(1000);
      expect(Array.from((await ts[2]!.recv(0, 't')).f64)).toEqual([1, 2, 3]);
      expect(Array.from((await ts[1]!.recv(0, 't')).i32)).toEqual([2, 4, 6]);
      const got = await ts[1]!.recv(0, 'v');
      expect(Array.from(got.f64)).toEqual([5, 5]);
      expect(got.f64.buffer.byteLength).toBe(16);
    } finally {
      closeAll(ts);
    }
  });

  it('refuses a missing port, a send to itself, and rejects waiting receives when closed', async () => {
    const { port1 } = new MessageChannel();
    expect(() => new PortTransport(0, 3, [null, port1])).toThrow('rank 0 has no port to rank 2');
    port1.close();
    const ts = mesh(2);
    expect(() => ts[0]!.send(0, msg('self'))).toThrow("rank 0 cannot send 'self' to rank 0");
    const waiting = ts[0]!.recv(1, 'never');
    ts[0]!.close(new Error('rank 1 failed'));
    await expect(waiting).rejects.toThrow('rank 1 failed');
    await expect(ts[0]!.recv(1, 'after')).rejects.toThrow('rank 1 failed');
    ts[1]!.close();
  });

  it('a 2×2×2 LJ evaluation over ports equals the in-process one bit for bit', async () => {
    const LJ = { epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true };
    const l = 19.2;
    const batch = randomTriclinicBatch(150, [l, 0, 0, 1.1, l, 0, -0.7, 0.9, l], 2.9, mulberry32(17));
    const body = async (rank: DomainRank): Promise<RankForces> => {
      const f = lennardJonesHalf(rank, LJ);
      await reverseLocalForces(rank, f);
      return ownedResult(rank, f);
    };
    const want = await runOnGrid(batch, [2, 2, 2], LJ.cutoff, body);

    const grid = domainGrid([2, 2, 2], batch.cells.subarray(0, 9), [true, true, true]);
    const ts = mesh(8);
    try {
      const got = await Promise.all(
        ts.map(async (t) => {
          const rank = new DomainRank(grid, t, LJ.cutoff);
          rank.loadFromBatch(batch);
          await rank.reneighbor();
          const r = await body(rank);
          // A last collective, so that no rank closes while another still waits.
          await allreduce(t, Float64Array.of(1), 'sum', rank.nextTag('end'));
          return r;
        }),
      );
      expect(got.map((g) => g.ids)).toEqual(want.map((w) => w.ids));
      for (let r = 0; r < 8; r++) {
        expect(got[r]!.forces).toEqual(want[r]!.forces);
        expect(got[r]!.energies).toEqual(want[r]!.energies);
        expect(got[r]!.atomVirial).toEqual(want[r]!.atomVirial);
        expect(got[r]!.energy).toBe(want[r]!.energy);
        expect(got[r]!.virial).toEqual(want[r]!.virial);
      }
      expect(want.reduce((n, w) => n + w.ids.length, 0)).toBe(150);
    } finally {
      closeAll(ts);
    }
  });
});
