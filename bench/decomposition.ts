/**
 * `npm run bench -- decomposition`: one large system split over 1, 2, 4 and 8 workers (grids 1×1×1,
 * 2×1×1, 2×2×1, 2×2×2; placement `domain`, DESIGN §5) — Lennard-Jones argon (an fcc start at liquid
 * density, hot) and EAM copper (fcc, Cu_u3.eam, 1600 K), NVE. Each rank is a worker with a GPU device
 * of its own: Dawn for Node in worker_threads where Dawn finds a hardware adapter, else Web Workers
 * in headless Chromium (SwiftShader here); `--backend reference` runs the f64 reference in
 * worker_threads (slow; checks the harness). Runs one after the other so that they do not compete.
 *
 * Measured inside the workers, from the ranks' `rank` statuses over the timed steps (after
 * `--warmup`): wall time per step, and the share of it spent in exchanges (forward, reverse,
 * migrate, borders, reductions, waiting for the partner included; mean over ranks). The exchange overhead at 4 workers against 1 is the exchange time per step at 4
 * workers over the time per step on 1 worker (goal: below 15 %). Every run must complete with no
 * failed worker and every atom owned exactly once at the end.
 */
import { parseArgs } from 'node:util';
import { parseSpecAllowingOneRank } from '../src/cli/domainRun.ts';
import { readEamTables } from '../src/cli/inputs.ts';
import type { EngineEvent } from '../src/engine/api.ts';
import type { Batch } from '../src/engine/batch.ts';
import type { DomainLaunch } from '../src/engine/decomposition/launch.ts';
import type { RunOutcome } from '../src/engine/evaluate.ts';
import type { EamTabulation } from '../src/engine/potentials/eamTabulation.ts';
import { buildSystem } from '../src/engine/structures/index.ts';
import type { PipelineSpec, PipelineSpecInput } from '../src/io/spec.ts';
import { type BenchCase, type BenchResult, cpuName } from './results.ts';

export const decompositionUsage = `npm run bench -- decomposition [options]
  --atoms N        atoms of each system (default 256000; rounded to 4·n³ of an fcc crystal)
  --steps N        timed NVE steps (default 200)
  --warmup N       untimed steps first (default 20)
  --workers LIST   worker counts among 1,2,4,8 (default 1,2,4,8: grids 1×1×1, 2×1×1, 2×2×1, 2×2×2)
  --potentials L   lj, eam or both (default lj,eam)
  --backend B      auto (Dawn in worker_threads on a real GPU, else Chromium Web Workers), dawn,
                   chromium or reference (f64 in worker_threads) (default auto)
  --allow-software-dawn   let Dawn use a software adapter`;

const GRIDS: Record<number, [number, number, number]> = {
  1: [1, 1, 1],
  2: [2, 1, 1],
  4: [2, 2, 1],
  8: [2, 2, 2],
};

/** Argon as in LAMMPS's LJ melt, in real units. */
const ARGON_LJ = { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true } as const;
const CU_EAM_FILE = '/usr/share/lammps/potentials/Cu_u3.eam';

type PotentialName = 'lj' | 'eam';
type BackendChoice = 'auto' | 'dawn' | 'chromium' | 'reference';

export interface DecompositionBenchOptions {
  atoms: number;
  steps: number;
  warmup: number;
  workers: number[];
  potentials: PotentialName[];
  backend: BackendChoice;
  allowSoftwareDawn: boolean;
}

/** fcc cells per axis for about `atoms` atoms (4 per cell). */
export function fccCells(atoms: number): number {
  return Math.max(2, Math.round(Math.cbrt(atoms / 4)));
}

/**
 * The spec of one case: an fcc crystal, NVE for warmup + steps, placement domain over `grid` (1×1×1:
 * the same runtime on one rank, see parseSpecAllowingOneRank).
 */
export function decompositionSpec(
  potential: PotentialName,
  cells: number,
  steps: number,
  grid: [number, number, number],
): PipelineSpec {
  const system =
    potential === 'lj'
      ? // Liquid density of argon (≈1.4 g/cm³ ⇔ a ≈ 5.7 Å), hot enough to melt the lattice.
        { kind: 'fcc', element: 'Ar', mass: 39.948, latticeConstant: 5.7, temperature: 200, jitter: 0.1 }
      : { kind: 'fcc', element: 'Cu', mass: 63.55, latticeConstant: 3.615, temperature: 1600 };
  const input: PipelineSpecInput = {
    version: 1,
    name: `decomposition benchmark: ${potential} on ${grid.join('×')}`,
    system: { ...system, repeat: [cells, cells, cells], seed: 5 } as PipelineSpecInput['system'],
    potential:
      potential === 'lj' ? ARGON_LJ : { kind: 'eam', style: 'eam', file: CU_EAM_FILE, elements: ['Cu'] },
    neighbor: { skin: 1 },
    stages: [{ kind: 'nve', steps, dt: potential === 'lj' ? 5 : 2 }],
    placement: { kind: 'domain', grid },
  };
  return parseSpecAllowingOneRank(input);
}

function parseOptions(argv: string[]): DecompositionBenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      atoms: { type: 'string', default: '256000' },
      steps: { type: 'string', default: '200' },
      warmup: { type: 'string', default: '20' },
      workers: { type: 'string', default: '1,2,4,8' },
      potentials: { type: 'string', default: 'lj,eam' },
      backend: { type: 'string', default: 'auto' },
      'allow-software-dawn': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const int = (name: 'atoms' | 'steps' | 'warmup', min: number) => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < min)
      throw new Error(`--${name} must be a whole number ≥ ${min}\n\n${decompositionUsage}`);
    return v;
  };
  const workers = values.workers.split(',').map((w) => Number(w.trim()));
  for (const w of workers)
    if (!GRIDS[w]) throw new Error(`--workers: ${w} is not one of 1, 2, 4, 8\n\n${decompositionUsage}`);
  const potentials = values.potentials.split(',').map((p) => p.trim());
  for (const p of potentials)
    if (p !== 'lj' && p !== 'eam')
      throw new Error(`--potentials: '${p}' is not lj or eam\n\n${decompositionUsage}`);
  const backend = values.backend;
  if (!['auto', 'dawn', 'chromium', 'reference'].includes(backend))
    throw new Error(
      `--backend: '${backend}' is not auto, dawn, chromium or reference\n\n${decompositionUsage}`,
    );
  return {
    atoms: int('atoms', 32),
    steps: int('steps', 1),
    warmup: int('warmup', 0),
    workers,
    potentials: potentials as PotentialName[],
    backend: backend as BackendChoice,
    allowSoftwareDawn: values['allow-software-dawn'],
  };
}

/** Runs a domain spec somewhere; `adapter` says where. */
interface Runner {
  adapter: string;
  run(
    spec: PipelineSpec,
    batch: Batch,
    tables: EamTabulation | undefined,
    listener: (e: EngineEvent) => void,
  ): Promise<RunOutcome>;
  close(): Promise<void>;
}

/** Whether Dawn for Node finds an adapter here (and its name), without keeping a device. */
async function probeDawn(allowSoftware: boolean): Promise<string | null> {
  try {
    const mod = (await import('webgpu')) as unknown as { create(o: string[]): GPU };
    const adapter = await mod.create([]).requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return null;
    const i = adapter.info;
    const name = [i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(' ');
    if (!allowSoftware && /swiftshader|llvmpipe|lavapipe|software|cpu/i.test(name)) return null;
    return name || 'unknown adapter';
  } catch {
    return null;
  }
}

async function nodeRunner(launch: DomainLaunch, adapter: string): Promise<Runner> {
  const { runDomain } = await import('../src/cli/domainRun.ts');
  return {
    adapter,
    // A large system's first re-neighbouring may keep a thread busy for a while: a longer silence limit.
    run: (spec, batch, tables, listener) =>
      runDomain(spec, batch, tables, listener, launch, { unresponsiveMs: 30_000, startTimeoutMs: 600_000 }),
    close: async () => {},
  };
}

async function openRunner(o: DecompositionBenchOptions): Promise<Runner> {
  const { nodeDomainLaunch } = await import('../src/engine/decomposition/launchNode.ts');
  if (o.backend === 'reference')
    return nodeRunner(nodeDomainLaunch({ backend: 'cpu' }), 'f64 reference (Node worker_threads)');
  if (o.backend === 'auto' || o.backend === 'dawn') {
    const dawn = await probeDawn(o.allowSoftwareDawn);
    if (dawn)
      return nodeRunner(nodeDomainLaunch({ backend: 'webgpu' }), `Dawn (Node worker_threads): ${dawn}`);
    if (o.backend === 'dawn')
      throw new Error('Dawn found no hardware GPU adapter here (--allow-software-dawn to accept one)');
  }
  const { chromiumBackend } = await import('../src/cli/backends/chromium.ts');
  const backend = await chromiumBackend();
  return {
    adapter: `${backend.adapter} (Web Workers)`,
    run: (spec, batch, tables, listener) => backend.run(spec, batch, tables, listener),
    close: () => backend.close(),
  };
}

/** What one run measured. */
export interface CaseMeasure {
  workers: number;
  end: string;
  message?: string;
  failures: string[];
  /** Wall ms per step over the timed steps. */
  msPerStep: number;
  /** Mean over ranks of exchange ms per step, and of force ms per step, over the timed steps. */
  exchangeMs: number;
  computeMs: number;
  /** Steps timed. */
  timedSteps: number;
  /** Owned atoms summed over ranks in their last status (must be the atom count). */
  ownedAtEnd: number;
  seconds: number;
}

/**
 * Accumulates the `rank` statuses of a run. Each status covers the interval since the rank's
 * previous one: its steps, its steps per second (hence its wall time) and its exchange and force
 * time per step, all measured inside the worker (no message latency). Intervals that start at or
 * past `warmup` steps are timed.
 */
export class RankTally {
  private readonly last = new Map<number, { step: number; owned: number }>();
  private readonly sums = new Map<
    number,
    { wall: number; exchange: number; compute: number; steps: number }
  >();

  constructor(private readonly warmup: number) {}

  add(e: Extract<EngineEvent, { type: 'rank' }>): void {
    const prev = this.last.get(e.rank);
    this.last.set(e.rank, { step: e.step, owned: e.owned });
    if (!prev || prev.step < this.warmup) return;
    const steps = e.step - prev.step;
    if (steps <= 0 || !(e.stepsPerSecond > 0)) return;
    const s = this.sums.get(e.rank) ?? { wall: 0, exchange: 0, compute: 0, steps: 0 };
    s.wall += (1000 * steps) / e.stepsPerSecond;
    s.exchange += e.exchangeMs * steps;
    s.compute += e.computeMs * steps;
    s.steps += steps;
    this.sums.set(e.rank, s);
  }

  /**
   * Means over ranks of wall, exchange and force ms per step over the timed intervals, and the
   * steps timed (rank 0's); null before any timed interval.
   */
  perStep(): { ms: number; exchangeMs: number; computeMs: number; steps: number } | null {
    const list = [...this.sums.values()].filter((s) => s.steps > 0);
    if (list.length === 0) return null;
    const mean = (f: (s: { wall: number; exchange: number; compute: number; steps: number }) => number) =>
      list.reduce((a, s) => a + f(s), 0) / list.length;
    return {
      ms: mean((s) => s.wall / s.steps),
      exchangeMs: mean((s) => s.exchange / s.steps),
      computeMs: mean((s) => s.compute / s.steps),
      steps: this.sums.get(0)?.steps ?? list[0]!.steps,
    };
  }

  ownedTotal(): number {
    return [...this.last.values()].reduce((a, l) => a + l.owned, 0);
  }
}

async function measure(
  runner: Runner,
  spec: PipelineSpec,
  batch: Batch,
  tables: EamTabulation | undefined,
  warmup: number,
  workers: number,
): Promise<CaseMeasure> {
  const tally = new RankTally(warmup);
  const failures: string[] = [];
  const t0 = performance.now();
  const outcome = await runner.run(spec, batch, tables, (e) => {
    if (e.type === 'rank') tally.add(e);
    if (e.type === 'worker-failed') failures.push(`${e.name}: ${e.reason}: ${e.message}`);
  });
  const seconds = (performance.now() - t0) / 1000;
  const total = spec.stages.reduce((n, s) => n + s.steps, 0);
  // No timed interval (a run shorter than a status interval): the whole run, loading included.
  const timed = tally.perStep() ?? {
    ms: (seconds * 1000) / total,
    exchangeMs: Number.NaN,
    computeMs: Number.NaN,
    steps: 0,
  };
  return {
    workers,
    end: outcome.end,
    ...(outcome.message ? { message: outcome.message } : {}),
    failures,
    msPerStep: timed.ms,
    exchangeMs: timed.exchangeMs,
    computeMs: timed.computeMs,
    timedSteps: timed.steps,
    ownedAtEnd: tally.ownedTotal(),
    seconds,
  };
}

export async function benchDecomposition(argv: string[]): Promise<BenchResult> {
  const o = parseOptions(argv);
  const cells = fccCells(o.atoms);
  const runner = await openRunner(o);
  console.log(
    `decomposition: ${runner.adapter}; ${4 * cells ** 3} atoms (fcc ${cells}³), ${o.warmup} + ${o.steps} NVE steps`,
  );
  const cases: BenchCase[] = [];
  try {
    for (const potential of o.potentials) {
      const first = decompositionSpec(potential, cells, o.warmup + o.steps, [1, 1, 1]);
      const batch = buildSystem(first.system);
      const tables = await readEamTables(first.potential, process.cwd());
      const label = potential === 'lj' ? 'LJ argon liquid' : 'EAM Cu_u3 1600 K';
      const results = new Map<number, CaseMeasure>();
      for (const workers of o.workers) {
        const spec = decompositionSpec(potential, cells, o.warmup + o.steps, GRIDS[workers]!);
        const m = await measure(runner, spec, batch, tables, o.warmup, workers);
        results.set(workers, m);
        console.log(
          `decomposition: ${label}, ${workers} worker(s): ${m.end}${m.message ? ` (${m.message})` : ''}, ` +
            `${m.msPerStep.toFixed(2)} ms/step, exchange ${m.exchangeMs.toFixed(2)} ms/step ` +
            `(${((100 * m.exchangeMs) / m.msPerStep).toFixed(1)} %), forces ${m.computeMs.toFixed(2)} ms/step`,
        );
      }
      const one = results.get(1);
      for (const [workers, m] of results) {
        const valid = m.end === 'completed' && m.failures.length === 0 && m.ownedAtEnd === batch.nAtoms;
        cases.push({
          case: `${label}, ${workers} worker(s) (grid ${GRIDS[workers]!.join('×')})`,
          atoms: batch.nAtoms,
          metric: 'wall time per step',
          value: m.msPerStep,
          unit: 'ms/step',
          ...(one && workers !== 1
            ? { peer: { name: '1 worker', value: one.msPerStep }, ratio: m.msPerStep / one.msPerStep }
            : {}),
          details: {
            workers,
            exchangeMsPerStep: m.exchangeMs,
            computeMsPerStep: m.computeMs,
            exchangeShare: m.exchangeMs / m.msPerStep,
            atomStepsPerSecond: (batch.nAtoms * 1000) / m.msPerStep,
            timedSteps: m.timedSteps,
            seconds: m.seconds,
            end: m.end,
            ownedAtEnd: m.ownedAtEnd,
            workerFailures: m.failures.join('; '),
            valid,
          },
        });
      }
      const four = results.get(4);
      if (one && four) {
        cases.push({
          case: `${label}: exchange overhead at 4 workers vs 1 worker (goal < 0.15)`,
          atoms: batch.nAtoms,
          metric: 'exchange time per step at 4 workers / time per step on 1 worker',
          value: four.exchangeMs,
          unit: 'ms/step',
          peer: { name: '1 worker, time per step', value: one.msPerStep },
          ratio: four.exchangeMs / one.msPerStep,
          details: {
            exchangeShareAt4: four.exchangeMs / four.msPerStep,
            speedupAt4: one.msPerStep / four.msPerStep,
            valid: four.end === 'completed' && one.end === 'completed',
          },
        });
      }
    }
  } finally {
    await runner.close();
  }
  return {
    name: 'decomposition',
    date: new Date().toISOString(),
    machine: { cpu: cpuName(), adapter: runner.adapter },
    cases,
  };
}
