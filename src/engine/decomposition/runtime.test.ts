/**
 * The multi-worker runtime of a domain decomposition over Node worker_threads, each rank with the
 * f64 reference force field (DESIGN §5): a 2×2×2 Lennard-Jones NVE run through the real workers,
 * ports and coordinator equals the in-process run of the same ranks (runDomainRank over
 * InProcessWorld) bit for bit — log records, final positions, velocities and forces — with a `rank`
 * status from every rank; a worker killed mid-run and a worker that stops answering are each
 * detected within 2 s, named with its box, and the run ends with reason `error` and every worker
 * thread ended.
 */
import { describe, expect, it } from 'vitest';
import type { PipelineSpec } from '../../io/spec.ts';
import type { EngineEvent, LogRecord } from '../api.ts';
import { cloneBatch } from '../batch.ts';
import { buildSystem } from '../structures/index.ts';
import { DomainCoordinator, type DomainResult, describeRank } from './coordinator.ts';
import { hotArgonSpec } from './domain.testing.ts';
import { runRanks } from './inProcess.ts';
import type { DomainLaunch } from './launch.ts';
import { nodeDomainLaunch } from './launchNode.ts';
import { type DomainRankEnd, runDomainRank } from './rankRunner.ts';
import { createReferenceForceField } from './referenceForces.ts';

const spec = hotArgonSpec;

/** A Node launch that also records when each worker thread ended. */
function watchedLaunch(): { launch: DomainLaunch; exits: Map<number, number> } {
  const inner = nodeDomainLaunch({ backend: 'cpu' });
  const exits = new Map<number, number>();
  return {
    exits,
    launch: {
      backend: inner.backend,
      channel: () => inner.channel(),
      spawn(rank) {
        const endpoint = inner.spawn(rank);
        endpoint.onExit(() => exits.set(rank, performance.now()));
        return endpoint;
      },
    },
  };
}

interface WorkerRun {
  result: DomainResult;
  events: EngineEvent[];
  exits: Map<number, number>;
  coordinator: DomainCoordinator;
}

async function runOnWorkers(
  s: PipelineSpec,
  during?: (c: DomainCoordinator, events: EngineEvent[]) => void,
  unresponsiveMs = during ? 1500 : 20_000,
): Promise<WorkerRun> {
  const events: EngineEvent[] = [];
  const { launch, exits } = watchedLaunch();
  const coordinator = new DomainCoordinator({
    spec: s,
    system: buildSystem(s.system),
    listener: (e) => events.push(e),
    launch,
    viewFrameIntervalMs: 0,
    unresponsiveMs,
    verifyIds: true,
  });
  try {
    await coordinator.start();
    const running = coordinator.run();
    during?.(coordinator, events);
    const result = await running;
    return { result, events, exits, coordinator };
  } finally {
    coordinator.destroy();
  }
}

const logs = (events: EngineEvent[]): LogRecord[] =>
  events.flatMap((e) => (e.type === 'log' ? [e.record] : []));

/** Resolves when every spawned worker thread has ended (or rejects after `ms`). */
async function allExited(exits: Map<number, number>, n: number, ms = 5000): Promise<void> {
  const until = performance.now() + ms;
  while (exits.size < n) {
    if (performance.now() > until) throw new Error(`only ${exits.size} of ${n} worker threads ended`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('domain runtime on worker_threads', () => {
  it('a 2×2×2 LJ run through the workers equals the in-process run bit for bit', async () => {
    const s = spec([2, 2, 2], 60);
    const { result, events, exits } = await runOnWorkers(s);
    expect(result.message).toBeUndefined();
    expect(result.end).toBe('completed');
    expect(result.step).toBe(60);
    expect(events.find((e) => e.type === 'loaded')).toMatchObject({ nAtoms: 256, nSystems: 1 });
    expect(events.filter((e) => e.type === 'end')).toEqual([{ type: 'end', reason: 'completed', step: 60 }]);

    // Every rank reported, with its grid coordinates; at the end the ranks own every atom once.
    const ranks = events.flatMap((e) => (e.type === 'rank' ? [e] : []));
    for (let r = 0; r < 8; r++) {
      const mine = ranks.filter((e) => e.rank === r);
      expect(mine.length, `statuses of rank ${r}`).toBeGreaterThan(0);
      expect(mine[0]!.coords).toEqual([r % 2, Math.floor(r / 2) % 2, Math.floor(r / 4)]);
      expect(mine.at(-1)!.state).toBe('done');
    }
    const last = Array.from({ length: 8 }, (_, r) => ranks.filter((e) => e.rank === r).at(-1)!);
    expect(last.reduce((n, e) => n + e.owned, 0)).toBe(256);
    expect(last.every((e) => e.step === 60 && e.ghosts > 0)).toBe(true);

    // The same ranks in one thread over the in-process transport.
    const inProcessEvents: EngineEvent[] = [];
    const ends = await runRanks(8, async (transport) => {
      const run = runDomainRank({
        transport,
        dims: [2, 2, 2],
        spec: s,
        system: cloneBatch(buildSystem(s.system)),
        forceField: createReferenceForceField(s.potential),
        viewFrameIntervalMs: 0,
        onEvent: (e) => inProcessEvents.push(e),
        onStatus: () => {},
      });
      return run.done;
    });
    const want: DomainRankEnd = ends[0]!;
    expect(want.reason).toBe('completed');
    expect(logs(events)).toEqual(logs(inProcessEvents));
    expect(logs(events).length).toBe(7);
    expect(result.rebuilds).toBe(want.rebuilds);
    const got = result.atoms!;
    expect(got.positions).toEqual(want.atoms!.positions);
    expect(got.velocities).toEqual(want.atoms!.velocities);
    expect(got.forces).toEqual(want.atoms!.forces);
    expect(got.energies).toEqual(want.atoms!.energies);
    expect(got.owner).toEqual(want.atoms!.owner);
    // The live frames carry the whole system and its owners.
    const frame = events.findLast((e) => e.type === 'frame');
    expect(frame?.type === 'frame' && frame.frame.owner?.length).toBe(256);
    await allExited(exits, 8);
  });

  it('a worker killed mid-run is detected within 2 s, named with its box, and the run ends', async () => {
    let killedAt = 0;
    const { result, events, exits } = await runOnWorkers(spec([2, 2, 1], 1_000_000), (c, seen) => {
      const poll = setInterval(() => {
        if (seen.some((e) => e.type === 'rank' && e.rank === 3 && e.step > 0)) {
          clearInterval(poll);
          killedAt = performance.now();
          c.kill(3);
        }
      }, 5);
    });
    const endedAt = performance.now();
    expect(killedAt).toBeGreaterThan(0);
    expect(endedAt - killedAt).toBeLessThan(2000);
    expect(result.end).toBe('error');
    expect(result.message).toContain(describeRank([2, 2, 1], 3));
    expect(result.message).toContain('rank 3 at (1, 1, 0), box a 0.5–1, b 0.5–1, c 0–1 of the cell');
    expect(result.message).toMatch(/load the spec again/);
    const failed = events.filter((e) => e.type === 'worker-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ worker: 3, name: 'rank 3 (1, 1, 0)' });
    expect(['exited', 'unresponsive']).toContain(failed[0]!.type === 'worker-failed' && failed[0]!.reason);
    expect(events.at(-2)).toMatchObject({ type: 'end', reason: 'error' });
    expect(events.at(-1)).toEqual({ type: 'state', state: 'idle' });
    await allExited(exits, 4);
  });

  it('a worker that stops answering is detected within 2 s and the run ends', async () => {
    let hungAt = 0;
    const { result, events, exits } = await runOnWorkers(spec([2, 2, 1], 1_000_000), (c, seen) => {
      const poll = setInterval(() => {
        if (seen.some((e) => e.type === 'rank' && e.rank === 2 && e.step > 0)) {
          clearInterval(poll);
          hungAt = performance.now();
          c.failForTesting(2, 'hang');
        }
      }, 5);
    });
    const endedAt = performance.now();
    expect(hungAt).toBeGreaterThan(0);
    expect(endedAt - hungAt).toBeLessThan(2000);
    expect(result.end).toBe('error');
    expect(result.message).toContain('rank 2 at (0, 1, 0), box a 0–0.5, b 0.5–1, c 0–1 of the cell');
    expect(result.message).toMatch(/stopped answering/);
    expect(events.find((e) => e.type === 'worker-failed')).toMatchObject({
      worker: 2,
      reason: 'unresponsive',
    });
    expect(events.find((e) => e.type === 'rank' && e.rank === 2 && e.state === 'failed')).toBeDefined();
    await allExited(exits, 4);
  });

  it('a worker that throws fails the run, naming it', async () => {
    const { result, events } = await runOnWorkers(spec([2, 1, 1], 1_000_000), (c, seen) => {
      const poll = setInterval(() => {
        if (seen.some((e) => e.type === 'rank' && e.rank === 1 && e.step > 0)) {
          clearInterval(poll);
          c.failForTesting(1, 'throw');
        }
      }, 5);
    });
    expect(result.end).toBe('error');
    expect(result.message).toMatch(/^rank 1 at \(1, 0, 0\).* failed: .*rank 1 failed on purpose \(testing\)/);
    expect(events.find((e) => e.type === 'worker-failed')).toMatchObject({ worker: 1, reason: 'error' });
  });
});
