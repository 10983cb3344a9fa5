/**
 * Collectives: every rank joins every exchange even with zero atoms; a rank that skips or reorders
 * an exchange makes the in-process transport fail fast with a clear error instead of hanging;
 * reductions agree bitwise on every rank; the swap plan's hop counts.
 */
import { describe, expect, it } from 'vitest';
import type { Batch } from '../batch.ts';
import { randomTriclinicBatch } from '../reference/testing.ts';
import { mulberry32 } from '../structures/random.ts';
import { runOnGrid } from './domain.testing.ts';
import { domainGrid } from './grid.ts';
import { DeadlockError, ExchangeMismatchError, runRanks } from './inProcess.ts';
import { lennardJonesHalf, reverseLocalForces } from './lennardJones.ts';
import { allreduce } from './reduce.ts';
import { hopsNeeded } from './swaps.ts';

const LJ = { epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: false };
const cubic = (l: number) => [l, 0, 0, 0, l, 0, 0, 0, l];

/** 40 atoms all in the lower x half of the cell: on 2×1×1, rank 1 owns nothing. */
function lowerHalf(): Batch {
  const b = randomTriclinicBatch(40, cubic(17.4), 3.0, mulberry32(2));
  for (let i = 0; i < b.nAtoms; i++) b.positions[3 * i] = b.positions[3 * i]! * 0.49;
  return b;
}

describe('decomposition: collectives', () => {
  it('a rank with zero atoms joins every exchange: the same message count as the others', async () => {
    const b = lowerHalf();
    const counts = await runOnGrid(b, [2, 1, 1], LJ.cutoff, async (rank, world) => {
      const nLocal = rank.nLocal;
      await rank.forwardPositions();
      const f = lennardJonesHalf(rank, LJ);
      await reverseLocalForces(rank, f);
      await rank.reneighbor();
      await allreduce(rank.transport, Float64Array.of(f.energy), 'sum', rank.nextTag('e'));
      return { nLocal, sent: world.sentCount[rank.rank]! };
    });
    expect(counts.map((c) => c.nLocal)).toEqual([40, 0]);
    expect(counts[1]!.sent).toBeGreaterThan(0);
  });

  it('final message counts are equal on every rank of a 2×2×2 grid with an empty rank', async () => {
    const b = randomTriclinicBatch(60, cubic(17.4), 3.0, mulberry32(4));
    for (let i = 0; i < b.nAtoms; i++) b.positions[3 * i] = b.positions[3 * i]! * 0.49; // x ≥ 0.5 empty
    let sent: number[] = [];
    await runOnGrid(b, [2, 2, 2], LJ.cutoff, async (rank, world) => {
      const f = lennardJonesHalf(rank, LJ);
      await reverseLocalForces(rank, f);
      await rank.reneighbor();
      sent = world.sentCount;
      return rank.nLocal;
    });
    expect(new Set(sent).size).toBe(1);
    expect(sent[0]).toBeGreaterThan(10);
  });

  it('a rank that skips an exchange fails the run with a deadlock naming who waits for what', async () => {
    const b = lowerHalf();
    const run = runOnGrid(b, [2, 1, 1], LJ.cutoff, async (rank) => {
      if (rank.nLocal === 0) return; // the bug DESIGN §5 warns of: an early return with no atoms
      await rank.forwardPositions();
    });
    await expect(run).rejects.toThrow(DeadlockError);
    await expect(run).rejects.toThrow(
      /rank 0 waits for 'forward #\d+ swap 0' from rank 1, which has finished/,
    );
  });

  it('a rank that runs another exchange than its partner fails with an out-of-step error', async () => {
    const b = lowerHalf();
    const run = runOnGrid(b, [2, 1, 1], LJ.cutoff, async (rank) => {
      if (rank.rank === 0) await rank.forwardPositions();
      else await rank.reverse(new Float64Array(3 * rank.nAll), 3);
    });
    await expect(run).rejects.toThrow(ExchangeMismatchError);
    await expect(run).rejects.toThrow(/expected 'forward #\d+ swap 0' from rank 1 but received 'reverse/);
  });

  it('allreduce sum, max and min agree bitwise on every rank', async () => {
    const out = await runRanks(5, async (t) => {
      const v = Float64Array.of(0.1 * (t.rank + 1), 1e16 * (t.rank % 2 ? -1 : 1) + t.rank, 1 - t.rank);
      const s = await allreduce(t, v, 'sum', 'sum');
      const mx = await allreduce(t, v, 'max', 'max');
      const mn = await allreduce(t, v, 'min', 'min');
      return [...s, ...mx, ...mn];
    });
    for (const r of out) expect(r).toEqual(out[0]);
    expect(out[0]!.slice(3, 6)).toEqual([0.5, 1e16 + 4, 1]);
    expect(out[0]!.slice(6, 9)).toEqual([0.1, -1e16 + 1, -3]);
  });

  it('hop counts: one per direction within a box, more when the ghost cutoff spans boxes, none across open edges', () => {
    const l = 17.4;
    expect(hopsNeeded(domainGrid([2, 2, 2], cubic(l), [true, true, true]), 8.5)).toEqual([1, 1, 1]);
    expect(hopsNeeded(domainGrid([4, 1, 1], cubic(l), [true, true, true]), 8.5)).toEqual([2, 1, 1]);
    expect(hopsNeeded(domainGrid([1, 1, 1], cubic(7), [true, true, true]), 8.5)).toEqual([2, 2, 2]);
    expect(hopsNeeded(domainGrid([1, 2, 4], cubic(l), [false, false, false]), 8.5)).toEqual([0, 1, 2]);
    expect(() => domainGrid([2, 0, 1], cubic(l), [true, true, true])).toThrow(/integer ≥ 1/);
    expect(() => domainGrid([2, 1, 1], [l, 1, 0, 0, l, 0, 0, 0, l], [true, true, true])).toThrow(
      /restricted/,
    );
  });
});
