import { describe, expect, it } from 'vitest';
import {
  createDomain,
  domainFailureAdvice,
  domainTotals,
  exchangeShare,
  type RankReport,
  rankCoords,
  rankName,
  reduceDomain,
} from './domainState.ts';
import { initialRunState, placementAction, type RunState, reduceRunState } from './runState.ts';

const report = (rank: number, extra: Partial<RankReport> = {}): RankReport => ({
  type: 'rank',
  rank,
  coords: rankCoords([2, 2, 1], rank),
  state: 'running',
  owned: 100,
  ghosts: 40,
  nullOwned: 0,
  step: 10,
  exchangeMs: 1,
  computeMs: 3,
  stepsPerSecond: 50,
  ...extra,
});

describe('domain ranks (the per-worker panel of a domain run)', () => {
  it('numbers ranks x fastest, as the engine grid does', () => {
    expect([0, 1, 2, 3, 4, 5].map((r) => rankCoords([2, 3, 1], r))).toEqual([
      [0, 0, 0],
      [1, 0, 0],
      [0, 1, 0],
      [1, 1, 0],
      [0, 2, 0],
      [1, 2, 0],
    ]);
    expect(rankCoords([2, 2, 2], 7)).toEqual([1, 1, 1]);
    expect(rankName([2, 2, 1], 2)).toBe('rank 2 at (0, 1, 0) of the 2×2×1 grid');
  });

  it('starts with one starting row per rank and fills them from reports', () => {
    let d = createDomain([2, 2, 1]);
    expect(d.rows.map((r) => [r.rank, r.state, r.reported])).toEqual([
      [0, 'starting', false],
      [1, 'starting', false],
      [2, 'starting', false],
      [3, 'starting', false],
    ]);
    d = reduceDomain(d, report(1, { owned: 250, ghosts: 90, nullOwned: 3 }));
    d = reduceDomain(d, report(3, { owned: 0, ghosts: 12, stepsPerSecond: 20, exchangeMs: 2, computeMs: 0 }));
    expect(d.rows[1]).toMatchObject({
      owned: 250,
      ghosts: 90,
      nullOwned: 3,
      state: 'running',
      reported: true,
    });
    expect(d.rows[0]!.reported).toBe(false);
    const t = domainTotals(d);
    expect(t).toMatchObject({ owned: 250, ghosts: 102, nullOwned: 3, reported: 2, stepsPerSecond: 20 });
    // (1 + 2) ms of exchange over (1 + 3 + 2 + 0) ms of work.
    expect(t.exchangeShare).toBeCloseTo(0.5, 12);
    expect(exchangeShare(d.rows[1]!)).toBeCloseTo(0.25, 12);
    expect(exchangeShare(d.rows[0]!)).toBeNaN();
  });

  it('keeps the timings of the last interval that stepped over a report of no step (end, pause)', () => {
    let d = createDomain([2, 1, 1]);
    d = reduceDomain(d, report(0, { step: 40, exchangeMs: 1, computeMs: 3, stepsPerSecond: 50 }));
    d = reduceDomain(
      d,
      report(0, { step: 40, state: 'done', exchangeMs: 9, computeMs: 0, stepsPerSecond: 0, owned: 99 }),
    );
    expect(d.rows[0]).toMatchObject({
      state: 'done',
      owned: 99,
      exchangeMs: 1,
      computeMs: 3,
      stepsPerSecond: 50,
    });
    d = reduceDomain(d, report(0, { step: 41, exchangeMs: 2, computeMs: 2, stepsPerSecond: 10 }));
    expect(d.rows[0]).toMatchObject({ exchangeMs: 2, computeMs: 2, stepsPerSecond: 10 });
  });

  it('ignores a report of a rank outside the grid', () => {
    const d = createDomain([2, 1, 1]);
    expect(reduceDomain(d, report(2))).toBe(d);
    expect(reduceDomain(d, report(-1))).toBe(d);
    expect(reduceDomain(d, report(0.5))).toBe(d);
  });

  it('keeps a failed rank failed, whatever late reports say, and remembers the first failure', () => {
    let d = createDomain([2, 1, 1]);
    d = reduceDomain(d, {
      type: 'worker-failed',
      worker: 1,
      stage: 0,
      name: '',
      reason: 'unresponsive',
      message: 'silent for 2 s',
    });
    d = reduceDomain(d, report(1, { state: 'running' }));
    d = reduceDomain(d, {
      type: 'worker-failed',
      worker: 0,
      stage: 0,
      name: '',
      reason: 'error',
      message: 'x',
    });
    expect(d.rows[1]!.state).toBe('failed');
    expect(d.rows[1]!.failure).toEqual({ reason: 'unresponsive', message: 'silent for 2 s' });
    expect(d.failure?.worker).toBe(1);
  });
});

describe('the run state of a domain run', () => {
  const loaded = (state: RunState): RunState =>
    reduceRunState(state, {
      type: 'loaded',
      adapter: 'test',
      nAtoms: 400,
      nSystems: 1,
      stages: ['1. NVE'],
      atomicNumbers: new Int32Array(400),
      cell: new Float64Array(9),
      pbc: new Uint8Array([1, 1, 1]),
      positions: new Float32Array(1200),
    });

  it('creates the ranks of the grid announced before the load, and no pipeline workers', () => {
    const action = placementAction({ kind: 'domain', grid: [2, 2, 1] });
    expect(action).toEqual({ type: 'page/placement', placement: 'domain', grid: [2, 2, 1] });
    const s = loaded(reduceRunState(initialRunState, action));
    expect(s.placement).toBe('domain');
    // The loaded cell sizes the subdomains of systems the draft does not describe (clusters, files).
    expect(s.cell).toBeInstanceOf(Float64Array);
    expect(s.workers).toBeNull();
    expect(s.domain?.grid).toEqual([2, 2, 1]);
    expect(s.domain?.rows).toHaveLength(4);
    const after = reduceRunState(s, report(2, { owned: 123 }));
    expect(after.domain?.rows[2]?.owned).toBe(123);
    // A later single-worker load drops the grid.
    const single = loaded(reduceRunState(after, placementAction({ kind: 'single' })));
    expect(single.domain).toBeNull();
    expect(reduceRunState(single, report(0))).toBe(single);
  });

  it('names the failed rank and its place in the grid in the error banner, with advice, and keeps it over the end', () => {
    let s = loaded(reduceRunState(initialRunState, placementAction({ kind: 'domain', grid: [2, 2, 1] })));
    s = reduceRunState(s, {
      type: 'worker-failed',
      worker: 3,
      stage: 0,
      name: '',
      reason: 'device-lost',
      message: 'GPU device lost',
    });
    expect(s.error?.reason).toBe('worker');
    expect(s.error?.message).toBe(
      'The worker of rank 3 at (1, 1, 0) of the 2×2×1 grid lost its GPU device: GPU device lost. Every worker of the grid was stopped (one system needs all of them).',
    );
    expect(s.error?.advice).toBe(domainFailureAdvice('device-lost'));
    expect(s.error?.advice).toContain('smaller grid');
    expect(s.domain?.rows[3]?.state).toBe('failed');
    s = reduceRunState(s, {
      type: 'worker-failed',
      worker: 0,
      stage: 0,
      name: '',
      reason: 'error',
      message: 'stopped',
    });
    s = reduceRunState(s, { type: 'end', reason: 'error', message: 'rank 3 failed', step: 12 });
    expect(s.error?.message).toContain('rank 3 at (1, 1, 0)');
    expect(s.domain?.rows[0]?.state).toBe('failed');
  });
});
