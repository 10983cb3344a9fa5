/**
 * The distributed engine under the unchanged StageRunner (runDomainRank on in-process ranks) against
 * the StageRunner on the f64 CPU engine with the same spec: NVE, Langevin, Nosé–Hoover, FIRE, FIRE2
 * and a fused stage on 2×1×1, 4×1×1 and 2×2×2 grids agree to ~1e-9 (only summation order differs),
 * minimisers leave on the same step; NULL atoms, a rank without atoms, a long hot-liquid run with
 * migration, controls reaching every rank at the same step, and the refusals.
 */
import { describe, expect, it } from 'vitest';
import { type PipelineSpec, parseSpec, type SegmentSpecInput } from '../../io/spec.ts';
import type { EngineEvent, LogRecord } from '../api.ts';
import type { Batch } from '../batch.ts';
import { cloneBatch } from '../batch.ts';
import { CpuEngine } from '../cpu/engine.ts';
import { randomTriclinicBatch } from '../reference/testing.ts';
import { StageRunner } from '../runner.ts';
import { mulberry32, normal } from '../structures/random.ts';
import { ACCELERATION_PER_FORCE_OVER_MASS, BOLTZMANN_EV_PER_K } from '../units.ts';
import { relativeError } from './domain.testing.ts';
import { runRanks } from './inProcess.ts';
import {
  checkDomainSpec,
  type DomainRankEnd,
  type DomainRankRun,
  type RankStatus,
  runDomainRank,
} from './rankRunner.ts';
import { createReferenceForceField } from './referenceForces.ts';

const ARGON = 39.948;
const LJ = { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true } as const;

/** An argon-like fluid of `n` atoms in a cube of side `l` Å at `temperature` K; every `nullEvery`-th atom NULL. */
function fluid(n: number, l: number, temperature: number, seed: number, nullEvery = 0): Batch {
  const rnd = mulberry32(seed);
  const types = nullEvery > 0 ? [...new Array<number>(nullEvery - 1).fill(0), -1] : [0];
  const b = randomTriclinicBatch(n, [l, 0, 0, 0, l, 0, 0, 0, l], 3.2, rnd, types);
  b.masses.fill(ARGON);
  const sd = Math.sqrt((BOLTZMANN_EV_PER_K * temperature * ACCELERATION_PER_FORCE_OVER_MASS) / ARGON);
  for (let k = 0; k < 3 * n; k++) b.velocities[k] = sd * normal(rnd);
  return b;
}

/** `k`³ atoms on a simple cubic lattice of spacing `a` Å, jittered by ±0.2 Å, Maxwell velocities at `temperature` K. */
function hotLattice(k: number, a: number, temperature: number, seed: number): Batch {
  const rnd = mulberry32(seed);
  const n = k * k * k;
  const l = k * a;
  const b = randomTriclinicBatch(0, [l, 0, 0, 0, l, 0, 0, 0, l], 1, rnd);
  const positions = Float64Array.from({ length: 3 * n }, (_, j) => {
    const i = Math.floor(j / 3);
    const c = j % 3 === 0 ? i % k : j % 3 === 1 ? Math.floor(i / k) % k : Math.floor(i / (k * k));
    return (c + 0.5) * a + 0.4 * (rnd() - 0.5);
  });
  const sd = Math.sqrt((BOLTZMANN_EV_PER_K * temperature * ACCELERATION_PER_FORCE_OVER_MASS) / ARGON);
  return {
    ...b,
    nAtoms: n,
    atomsPtr: Int32Array.of(0, n),
    positions,
    velocities: Float64Array.from({ length: 3 * n }, () => sd * normal(rnd)),
    masses: new Float64Array(n).fill(ARGON),
    types: new Int32Array(n),
    atomicNumbers: new Int32Array(n),
  };
}

function specOf(
  stages: SegmentSpecInput[],
  skin = 1,
  grid: [number, number, number] = [2, 1, 1],
  cutoff: number = LJ.cutoff,
): PipelineSpec {
  return parseSpec({
    version: 1,
    system: { kind: 'fcc', element: 'Ar', mass: ARGON, latticeConstant: 5.26, repeat: [2, 2, 2] },
    potential: { ...LJ, cutoff },
    neighbor: { skin },
    stages,
    placement: { kind: 'domain', grid },
  });
}

interface Outcome {
  events: EngineEvent[];
  positions: Float64Array;
  velocities: Float64Array;
  end: DomainRankEnd | null;
}

/** The spec on the f64 CPU engine (one worker, the reference). */
async function runCpu(spec: PipelineSpec, batch: Batch): Promise<Outcome> {
  const engine = new CpuEngine(batch, spec.potential);
  const events: EngineEvent[] = [];
  const runner = new StageRunner({
    engine,
    stages: spec.stages,
    systems: batch,
    listener: (e) => events.push(e),
    viewFrameIntervalMs: 0,
  });
  await runner.run();
  const exact = engine.readExact().batch;
  return { events, positions: exact.positions, velocities: exact.velocities, end: null };
}

/** The spec on in-process ranks of a grid; rank 0's events and its end. */
async function runDomain(
  spec: PipelineSpec,
  batch: Batch,
  dims: [number, number, number],
  control?: (run: DomainRankRun, event: EngineEvent) => void,
  verifyIds = true,
): Promise<{ rank0: Outcome; ends: DomainRankEnd[]; statuses: RankStatus[] }> {
  const events: EngineEvent[] = [];
  const statuses: RankStatus[] = [];
  const ends = await runRanks(dims[0] * dims[1] * dims[2], async (transport) => {
    let run: DomainRankRun | null = null;
    run = runDomainRank({
      transport,
      dims,
      spec,
      system: cloneBatch(batch),
      forceField: createReferenceForceField(spec.potential),
      viewFrameIntervalMs: 0,
      verifyIds,
      onEvent: (e) => {
        events.push(e);
        if (run && control) control(run, e);
      },
      onStatus: (s) => statuses.push(s),
    });
    return run.done;
  });
  const end = ends[0]!;
  if (!end.atoms) throw new Error('no final gather');
  return {
    rank0: { events, positions: end.atoms.positions, velocities: end.atoms.velocities, end },
    ends,
    statuses,
  };
}

const logs = (events: EngineEvent[]): LogRecord[] =>
  events.flatMap((e) => (e.type === 'log' ? [e.record] : []));

/** Steps of the events that mark decisions: stages, convergence, migrations between sub-stages, end. */
const milestones = (events: EngineEvent[]) =>
  events.flatMap((e) =>
    e.type === 'stage' || e.type === 'converged' || e.type === 'migrated' || e.type === 'end'
      ? [`${e.type}@${e.step}`]
      : [],
  );

function expectAgreement(got: Outcome, want: Outcome, tolerance = 1e-9): void {
  expect(milestones(got.events)).toEqual(milestones(want.events));
  const a = logs(got.events);
  const b = logs(want.events);
  expect(a.map((r) => r.step)).toEqual(b.map((r) => r.step));
  expect(a.length).toBeGreaterThan(2);
  for (const key of ['potentialEnergy', 'kineticEnergy', 'temperature', 'maxForce'] as const) {
    expect(
      relativeError(
        a.map((r) => r[key]),
        b.map((r) => r[key]),
      ),
      key,
    ).toBeLessThan(tolerance);
  }
  expect(relativeError(got.positions, want.positions), 'positions').toBeLessThan(tolerance);
  expect(relativeError(got.velocities, want.velocities), 'velocities').toBeLessThan(tolerance);
}

const log = (every: number) => [{ kind: 'log' as const, every }];
const GRIDS: [number, number, number][] = [
  [2, 1, 1],
  [4, 1, 1],
  [2, 2, 2],
];

const STAGES: Record<string, SegmentSpecInput[]> = {
  nve: [{ kind: 'nve', steps: 60, dt: 4, hooks: log(10) }],
  langevin: [
    { kind: 'langevin', steps: 60, dt: 4, temperature: 400, friction: 0.02, seed: 11, hooks: log(10) },
  ],
  'nose-hoover': [
    { kind: 'nose-hoover', steps: 60, dt: 4, temperature: 150, tau: 40, chainLength: 3, hooks: log(10) },
  ],
  'nve with freeze, force-clamp, wrap and nan-detector hooks': [
    {
      kind: 'nve',
      steps: 60,
      dt: 4,
      hooks: [
        ...log(10),
        { kind: 'freeze', atoms: [0, 5, 17, 40] },
        { kind: 'force-clamp', maxForce: 0.05 },
        { kind: 'wrap', every: 20 },
        { kind: 'nan-detector', every: 15 },
      ],
    },
  ],
  'fire (max-force) then nve': [
    {
      kind: 'fire',
      steps: 400,
      dt: 1,
      hooks: log(5),
      convergence: [{ kind: 'max-force', fmax: 0.02, every: 1 }],
    },
    { kind: 'nve', steps: 20, dt: 2, hooks: log(5) },
  ],
  'fire2 (max-force)': [
    {
      kind: 'fire2',
      steps: 400,
      dt: 1,
      hooks: log(5),
      convergence: [{ kind: 'max-force', fmax: 0.02, every: 1 }],
    },
  ],
  'fused fire + nve': [
    {
      kind: 'fused',
      steps: 200,
      hooks: log(5),
      stages: [
        { kind: 'fire', steps: 150, dt: 1, convergence: [{ kind: 'max-force', fmax: 0.05, every: 1 }] },
        { kind: 'langevin', steps: 30, dt: 2, temperature: 100, friction: 0.05 },
      ],
    },
  ],
};

describe('runDomainRank: StageRunner on the DomainEngine equals the CPU engine', () => {
  // 64 atoms (every 8th NULL) in 16.2 Å: thinner boxes than the 9.5 Å ghost cutoff on 4×1×1.
  const batch = fluid(64, 16.2, 250, 3, 8);
  for (const [name, stages] of Object.entries(STAGES)) {
    it.each(GRIDS)(`${name} on %i×%i×%i`, async (px, py, pz) => {
      const spec = specOf(stages, 1, [px, py, pz]);
      const want = await runCpu(spec, cloneBatch(batch));
      const { rank0, ends } = await runDomain(spec, batch, [px, py, pz]);
      expectAgreement(rank0, want);
      expect(new Set(ends.map((e) => `${e.reason}@${e.step}`)).size).toBe(1);
      expect(ends[0]!.rebuilds).toBeGreaterThanOrEqual(1);
    });
  }

  it('minimisers leave on the same step as on the CPU engine (FIRE converges before its budget)', async () => {
    const spec = specOf(STAGES['fire (max-force) then nve']!, 1, [2, 2, 2]);
    const want = await runCpu(spec, cloneBatch(batch));
    const converged = want.events.find((e) => e.type === 'converged');
    expect(converged?.step).toBeLessThan(400);
    const { rank0 } = await runDomain(spec, batch, [2, 2, 2]);
    expect(rank0.events.find((e) => e.type === 'converged')).toEqual(converged);
  });

  it('a rank without atoms: a cluster in one half of an open-ended box on 4×1×1', async () => {
    // 40 atoms in x ∈ [0, 0.45)·L: ranks 2 and 3 own nothing at first (and hold only ghosts or nothing).
    const rnd = mulberry32(8);
    const l = 30;
    const b = randomTriclinicBatch(40, [0.45 * l, 0, 0, 0, 14, 0, 0, 0, 14], 3.3, rnd, [0, 0, 0, -1]);
    const cluster: Batch = {
      ...b,
      cells: Float64Array.of(l, 0, 0, 0, 14, 0, 0, 0, 14),
      pbc: Uint8Array.of(0, 1, 1),
    };
    cluster.masses.fill(ARGON);
    const spec = specOf(
      [
        {
          kind: 'fire2',
          steps: 150,
          dt: 1,
          hooks: log(10),
          convergence: [{ kind: 'max-force', fmax: 0.01, every: 1 }],
        },
        { kind: 'nve', steps: 30, dt: 4, hooks: log(10) },
      ],
      0.5,
      [4, 1, 1],
    );
    const want = await runCpu(spec, cloneBatch(cluster));
    const { rank0, statuses } = await runDomain(spec, cluster, [4, 1, 1]);
    const ownedAt = (state: string) => {
      const byRank = statuses.filter((s) => s.state === state).sort((a, b) => a.rank - b.rank);
      expect(byRank.map((s) => s.rank)).toEqual([0, 1, 2, 3]);
      return byRank.map((s) => s.owned);
    };
    expect(ownedAt('starting')).toEqual([expect.any(Number), expect.any(Number), 0, 0]);
    expect(ownedAt('done').slice(2)).toEqual([0, 0]);
    expectAgreement(rank0, want);
  });
});

describe('runDomainRank: a long hot run, controls, failures and refusals', () => {
  it('10,000 NVE steps of a hot LJ fluid on 2×2×2: every atom owned once at every re-neighbouring, energy conserved', async () => {
    // 216 atoms from a jittered simple cubic lattice (spacing 4 Å) at 900 K: it melts at once.
    const n = 216;
    const batch = hotLattice(6, 4, 900, 21);
    const spec = specOf([{ kind: 'nve', steps: 10_000, dt: 2, hooks: log(500) }], 1, [2, 2, 2], 7);
    const t0 = performance.now();
    const { rank0, ends, statuses } = await runDomain(spec, batch, [2, 2, 2]);
    const seconds = (performance.now() - t0) / 1000;
    const end = ends[0]!;
    expect(end.reason).toBe('completed');
    expect(end.step).toBe(10_000);
    // Every rank saw the same re-neighbourings; verifyIds checked ownership at each of them.
    expect(new Set(ends.map((e) => e.rebuilds)).size).toBe(1);
    expect(end.rebuilds).toBeGreaterThan(200);
    // The final gather holds every id exactly once; many atoms changed owner.
    const owner = end.atoms!.owner;
    expect(Array.from(owner).every((r) => r >= 0 && r < 8)).toBe(true);
    const startOwner = new Int32Array(n);
    const first = ends.map(() => 0);
    for (const s of statuses) if (s.state === 'starting') first[s.rank] = s.owned;
    expect(first.reduce((a, b) => a + b, 0)).toBe(n);
    for (let i = 0; i < n; i++) {
      const f = [0, 1, 2].map((a) => {
        const u = batch.positions[3 * i + a]! / 24;
        return Math.floor(u - Math.floor(u) >= 0.5 ? 1 : 0);
      });
      startOwner[i] = f[0]! + 2 * f[1]! + 4 * f[2]!;
    }
    const moved = owner.filter((r, i) => r !== startOwner[i]).length;
    expect(moved).toBeGreaterThan(n / 2);
    // Energy: total drift below 0.2 % of the kinetic energy.
    const records = logs(rank0.events);
    expect(records).toHaveLength(21);
    const total = records.map((r) => r.potentialEnergy + r.kineticEnergy);
    const drift = Math.max(...total.map((e) => Math.abs(e - total[0]!)));
    expect(drift).toBeLessThan(0.002 * records[0]!.kineticEnergy);
    expect(records.at(-1)!.temperature).toBeGreaterThan(300);
    console.log(
      `hot fluid 2×2×2: ${end.rebuilds} re-neighbourings, ${moved}/${n} atoms changed owner, drift ${drift.toExponential(2)} eV (KE ${records[0]!.kineticEnergy.toFixed(3)} eV), ${seconds.toFixed(1)} s`,
    );
  }, 180_000);

  it('pause, step, view options and stop reach every rank at the same step', async () => {
    const batch = fluid(64, 16.2, 250, 3, 8);
    const spec = specOf([{ kind: 'nve', steps: 100_000, dt: 2, hooks: log(10) }], 1, [2, 2, 2]);
    let pauses = 0;
    const { rank0, ends } = await runDomain(spec, batch, [2, 2, 2], (run, e) => {
      if (e.type === 'log' && e.record.step === 30) run.pause();
      if (e.type === 'state' && e.state === 'paused') {
        pauses++;
        if (pauses === 1) run.step();
        if (pauses === 2) {
          run.setViewOptions({ forces: true });
          run.pause(); // ignored while paused
          run.step();
        }
        if (pauses === 3) run.stop();
      }
    });
    expect(pauses).toBe(3);
    // Paused after step 31, stepped twice, stopped: every rank ends at step 33.
    expect(ends.map((e) => `${e.reason}@${e.step}`)).toEqual(new Array(8).fill('stopped@33'));
    const frames = rank0.events.flatMap((e) => (e.type === 'frame' ? [e.frame] : []));
    // Paused at 31; the single step's frame and the paused frame at 32; the view options' frame
    // (sent at once while paused); the second step's two frames and the end frame at 33.
    expect(frames.map((f) => f.step)).toEqual([31, 32, 32, 32, 33, 33, 33]);
    expect(frames.map((f) => f.forces !== undefined)).toEqual([false, false, false, true, true, true, true]);
    for (const f of frames) {
      expect(f.owner).toHaveLength(64);
      expect(new Set(f.owner).size).toBe(8);
    }
  });

  it('stop while running ends every rank at the next step; live frames carry every atom and its owner', async () => {
    const batch = fluid(64, 16.2, 250, 3, 8);
    const spec = specOf([{ kind: 'nve', steps: 100_000, dt: 2, hooks: log(10) }], 1, [4, 1, 1]);
    const events: EngineEvent[] = [];
    const ends = await runRanks(4, async (transport) => {
      const run: DomainRankRun = runDomainRank({
        transport,
        dims: [4, 1, 1],
        spec,
        system: cloneBatch(batch),
        forceField: createReferenceForceField(spec.potential),
        viewFrameIntervalMs: 1e-6,
        onEvent: (e) => {
          events.push(e);
          if (e.type === 'log' && e.record.step === 40) run.stop();
        },
        onStatus: () => {},
      });
      return run.done;
    });
    expect(ends.map((e) => `${e.reason}@${e.step}`)).toEqual(new Array(4).fill('stopped@41'));
    const frames = events.flatMap((e) => (e.type === 'frame' ? [e.frame] : []));
    // A live frame after every step (the interval is tiny), then the end frame.
    expect(frames.map((f) => f.step).slice(0, 3)).toEqual([1, 2, 3]);
    expect(frames.at(-1)!.step).toBe(41);
    expect(frames[1]!.time).toBeCloseTo(4, 12);
    for (const f of frames) {
      expect(f.positions).toHaveLength(3 * 64);
      expect(Array.from(f.owner!).every((r) => r >= 0 && r < 4)).toBe(true);
    }
  });

  it('a pause asked before the run starts holds every rank after step 1 (the initial evaluation does not lose it)', async () => {
    const batch = fluid(64, 16.2, 250, 3, 8);
    const spec = specOf([{ kind: 'nve', steps: 1000, dt: 2 }], 1, [2, 1, 1]);
    const states: string[] = [];
    const ends = await runRanks(2, async (transport) => {
      const run: DomainRankRun = runDomainRank({
        transport,
        dims: [2, 1, 1],
        spec,
        system: cloneBatch(batch),
        forceField: createReferenceForceField(spec.potential),
        onEvent: (e) => {
          if (e.type !== 'state') return;
          states.push(e.state);
          if (e.state === 'paused') run.stop();
        },
        onStatus: () => {},
      });
      run.pause();
      return run.done;
    });
    expect(ends.map((e) => `${e.reason}@${e.step}`)).toEqual(['stopped@1', 'stopped@1']);
    expect(states).toEqual(['running', 'paused', 'idle']);
  });

  it('a rank whose force field throws fails the run with its error', async () => {
    const batch = fluid(64, 16.2, 250, 3, 8);
    const spec = specOf([{ kind: 'nve', steps: 100, dt: 2 }], 1, [2, 1, 1]);
    const run = runRanks(2, async (transport) => {
      const ff = createReferenceForceField(spec.potential);
      let calls = 0;
      const failing = {
        ...ff,
        compute: (rank: Parameters<typeof ff.compute>[0], request: Parameters<typeof ff.compute>[1]) => {
          if (transport.rank === 1 && ++calls === 5) throw new Error('device exploded on rank 1');
          return ff.compute(rank, request);
        },
      };
      return runDomainRank({
        transport,
        dims: [2, 1, 1],
        spec,
        system: cloneBatch(batch),
        forceField: failing,
        onEvent: () => {},
        onStatus: () => {},
      }).done;
    });
    await expect(run).rejects.toThrow('device exploded on rank 1');
  });

  it('a NaN on one rank: the NaN detector stops every rank at the same step', async () => {
    const batch = fluid(64, 16.2, 250, 3, 8);
    const spec = specOf(
      [{ kind: 'nve', steps: 200, dt: 2, hooks: [{ kind: 'nan-detector', every: 5 }] }],
      1,
      [2, 2, 1],
    );
    const events: EngineEvent[] = [];
    const ends = await runRanks(4, async (transport) => {
      const ff = createReferenceForceField(spec.potential);
      let calls = 0;
      const poisoned = {
        ...ff,
        compute: async (
          rank: Parameters<typeof ff.compute>[0],
          request: Parameters<typeof ff.compute>[1],
        ) => {
          const f = await ff.compute(rank, request);
          if (transport.rank === 1 && ++calls === 12 && rank.nLocal > 0) f.forces[0] = Number.NaN;
          return f;
        },
      };
      return runDomainRank({
        transport,
        dims: [2, 2, 1],
        spec,
        system: cloneBatch(batch),
        forceField: poisoned,
        onEvent: (e) => events.push(e),
        onStatus: () => {},
      }).done;
    });
    // Evaluation 12 is step 11's; the detector checks after step 15.
    expect(ends.map((e) => `${e.reason}@${e.step}`)).toEqual(new Array(4).fill('nan@15'));
    const nan = events.find((e) => e.type === 'nan-detected');
    expect(nan && nan.type === 'nan-detected' && nan.step).toBe(15);
  });

  it('refuses batching, several systems and a grid that does not match, naming the spec path', () => {
    const spec = specOf([{ kind: 'nve', steps: 10, dt: 2 }], 1, [2, 1, 1]);
    const one = fluid(8, 16.2, 0, 1);
    expect(() =>
      checkDomainSpec({ ...spec, batching: { maxSystems: 2, maxAtoms: 100 } }, one, [2, 1, 1], 2),
    ).toThrow(/^spec\.batching: /);
    const two: Batch = { ...one, nSystems: 2, atomsPtr: Int32Array.of(0, 4, 8) };
    expect(() => checkDomainSpec(spec, two, [2, 1, 1], 2)).toThrow(/^spec\.system: .* has 2/);
    expect(() => checkDomainSpec(spec, one, [1, 2, 1], 2)).toThrow(/^spec\.placement\.grid is 2×1×1/);
    expect(() => checkDomainSpec(spec, one, [2, 1, 1], 3)).toThrow(/needs 2 ranks; 3 were connected/);
  });
});
