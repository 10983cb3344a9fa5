/**
 * `npm run bench -- pipeline`: systems per second through a 3-stage chain (FIRE → Langevin NVT → NVE)
 * over random argon Lennard-Jones clusters with inflight batching, run three ways in the same
 * headless Chromium through the CLI's own path (src/cli/backends/chromium.ts), one after the other so
 * that they do not compete for the CPU:
 *   - pipeline: placement `pipeline`, each segment on its own Web Worker (own GPU device and batch),
 *     systems piped over links of fixed capacity;
 *   - piped chain on one worker: the same spec with placement `single`;
 *   - fused on one worker: fuse(FIRE, NVT, NVE), one segment, placement `single`.
 * Reports systems per second of each and the ratios pipeline / one worker. Every run must complete
 * with every system id delivered exactly once. Node only.
 */
import { parseArgs } from 'node:util';
import type { EngineEvent } from '../src/engine/api.ts';
import type { Batch } from '../src/engine/batch.ts';
import type { RunOutcome } from '../src/engine/evaluate.ts';
import { buildSystem } from '../src/engine/structures/index.ts';
import { type PipelineSpec, type PipelineSpecInput, parseSpec, type StageSpecInput } from '../src/io/spec.ts';
import { type BenchCase, type BenchResult, cpuName } from './results.ts';

export const pipelineUsage = `npm run bench -- pipeline [options]
  --count N          clusters (default 48)
  --min-atoms N      fewest atoms in a cluster (default 13)
  --max-atoms N      most atoms in a cluster (default 40)
  --fire-steps N     FIRE budget per cluster, steps (default 300; it ends earlier at fmax 0.05 eV/Å)
  --nvt-steps N      Langevin NVT steps per cluster at 85 K (default 200)
  --nve-steps N      NVE steps per cluster (default 200)
  --max-systems N    batch of each worker (and of the one worker): clusters resident (default 8)
  --link-systems N   capacity of each pipe link in systems (default 4)
  --seed N           seed of the random starts (default 1)`;

const ARGON_MASS = 39.948;
const ARGON_LJ = { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true } as const;

export interface PipelineBenchOptions {
  count: number;
  minAtoms: number;
  maxAtoms: number;
  fireSteps: number;
  nvtSteps: number;
  nveSteps: number;
  maxSystems: number;
  linkSystems: number;
  seed: number;
}

function chain(o: PipelineBenchOptions): StageSpecInput[] {
  return [
    {
      kind: 'fire',
      steps: o.fireSteps,
      dt: 5,
      dtMax: 20,
      maxStep: 0.2,
      convergence: [{ kind: 'max-force', fmax: 0.05 }],
    },
    { kind: 'langevin', steps: o.nvtSteps, dt: 5, temperature: 85, friction: 0.01, seed: o.seed },
    { kind: 'nve', steps: o.nveSteps, dt: 5 },
  ];
}

/** The benchmark's specs: the 3-segment chain on 3 workers and on one, and the fused form on one. */
export function pipelineBenchSpecs(o: PipelineBenchOptions): {
  pipeline: PipelineSpecInput;
  single: PipelineSpecInput;
  fused: PipelineSpecInput;
} {
  const base = {
    version: 1,
    system: {
      kind: 'clusters',
      count: o.count,
      minAtoms: o.minAtoms,
      maxAtoms: o.maxAtoms,
      mass: ARGON_MASS,
      seed: o.seed,
    },
    potential: ARGON_LJ,
    batching: { maxSystems: o.maxSystems, maxAtoms: o.maxSystems * o.maxAtoms },
  } satisfies Omit<PipelineSpecInput, 'stages'>;
  const link = { maxSystems: o.linkSystems, maxAtoms: o.linkSystems * o.maxAtoms };
  const budget = o.fireSteps + o.nvtSteps + o.nveSteps;
  return {
    pipeline: {
      ...base,
      name: 'pipeline benchmark: 3 workers',
      stages: chain(o),
      placement: { kind: 'pipeline', links: [link, link] },
    },
    single: { ...base, name: 'pipeline benchmark: piped chain on one worker', stages: chain(o) },
    fused: {
      ...base,
      name: 'pipeline benchmark: fused chain on one worker',
      // The fused segment's step limit is the segment's, not a system's: room for every system.
      stages: [{ kind: 'fused', stages: chain(o), steps: budget * (o.count + 1) }],
    },
  };
}

function parseOptions(argv: string[]): PipelineBenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      count: { type: 'string', default: '48' },
      'min-atoms': { type: 'string', default: '13' },
      'max-atoms': { type: 'string', default: '40' },
      'fire-steps': { type: 'string', default: '300' },
      'nvt-steps': { type: 'string', default: '200' },
      'nve-steps': { type: 'string', default: '200' },
      'max-systems': { type: 'string', default: '8' },
      'link-systems': { type: 'string', default: '4' },
      seed: { type: 'string', default: '1' },
    },
    strict: true,
  });
  const int = (name: keyof typeof values, min: number) => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < min)
      throw new Error(`--${name} must be a whole number ≥ ${min}\n\n${pipelineUsage}`);
    return v;
  };
  const o = {
    count: int('count', 1),
    minAtoms: int('min-atoms', 2),
    maxAtoms: int('max-atoms', 2),
    fireSteps: int('fire-steps', 1),
    nvtSteps: int('nvt-steps', 1),
    nveSteps: int('nve-steps', 1),
    maxSystems: int('max-systems', 1),
    linkSystems: int('link-systems', 1),
    seed: int('seed', 0),
  };
  if (o.minAtoms > o.maxAtoms) throw new Error(`--min-atoms must be ≤ --max-atoms\n\n${pipelineUsage}`);
  return o;
}

interface Measured {
  seconds: number;
  outcome: RunOutcome;
  /** Ids that left the run, each as often as it left. */
  ids: number[];
  /** Failed workers, if any. */
  failures: string[];
}

/** Ids of the systems a run returned, as often as each came back. */
function returnedIds(finished: readonly Batch[]): number[] {
  return finished.flatMap((b) => Array.from(b.systemIds));
}

/** Every id of `batch` exactly once in `ids`. */
function eachOnce(batch: Batch, ids: readonly number[]): boolean {
  if (ids.length !== batch.nSystems) return false;
  const want = new Set(batch.systemIds);
  const seen = new Set<number>();
  for (const id of ids) {
    if (!want.has(id) || seen.has(id)) return false;
    seen.add(id);
  }
  return true;
}

export async function benchPipeline(argv: string[]): Promise<BenchResult> {
  const o = parseOptions(argv);
  const inputs = pipelineBenchSpecs(o);
  const specs: Record<'pipeline' | 'single' | 'fused', PipelineSpec> = {
    pipeline: parseSpec(inputs.pipeline),
    single: parseSpec(inputs.single),
    fused: parseSpec(inputs.fused),
  };
  const batch = buildSystem(specs.single.system);
  console.log(
    `pipeline: ${o.count} argon clusters of ${o.minAtoms}–${o.maxAtoms} atoms (${batch.nAtoms} atoms); FIRE ≤ ${o.fireSteps} → ` +
      `NVT ${o.nvtSteps} → NVE ${o.nveSteps} steps; batches of ${o.maxSystems}, links of ${o.linkSystems} — in Chromium`,
  );
  const { chromiumBackend } = await import('../src/cli/backends/chromium.ts');
  const backend = await chromiumBackend();
  const measured = {} as Record<keyof typeof specs, Measured>;
  try {
    for (const name of ['pipeline', 'single', 'fused'] as const) {
      const failures: string[] = [];
      let delivered = 0;
      let nextReport = 0.25;
      const listener = (e: EngineEvent) => {
        if (e.type === 'worker-failed')
          failures.push(`worker ${e.worker} (${e.name}): ${e.reason}: ${e.message}`);
        if (e.type === 'delivered') {
          delivered += e.systems.length;
          if (delivered >= nextReport * o.count) {
            console.log(`pipeline: ${name}: ${delivered} / ${o.count} delivered`);
            nextReport += 0.25;
          }
        }
      };
      const t0 = performance.now();
      const outcome = await backend.run(specs[name], batch, undefined, listener);
      const seconds = (performance.now() - t0) / 1000;
      const ids = returnedIds(outcome.finished);
      measured[name] = { seconds, outcome, ids, failures };
      console.log(
        `pipeline: ${name}: ${seconds.toFixed(1)} s, ${outcome.end}${outcome.message ? ` (${outcome.message})` : ''}, ` +
          `${ids.length} systems returned, ${(o.count / seconds).toFixed(2)} systems/s`,
      );
    }
  } finally {
    await backend.close();
  }

  const rate = (m: Measured) => o.count / m.seconds;
  const ok = (m: Measured) =>
    m.outcome.end === 'completed' && eachOnce(batch, m.ids) && m.failures.length === 0;
  const piped = measured.pipeline;
  const label = `FIRE → Langevin NVT → NVE over ${o.count} argon LJ clusters (${o.minAtoms}–${o.maxAtoms} atoms), batches of ${o.maxSystems}`;
  const details = (peer: Measured): NonNullable<BenchCase['details']> => ({
    seconds: piped.seconds,
    peerSeconds: peer.seconds,
    end: piped.outcome.end,
    peerEnd: peer.outcome.end,
    returned: piped.ids.length,
    peerReturned: peer.ids.length,
    everyIdOnce: eachOnce(batch, piped.ids),
    peerEveryIdOnce: eachOnce(batch, peer.ids),
    workerFailures: piped.failures.join('; '),
    linkSystems: o.linkSystems,
    maxSystems: o.maxSystems,
    valid: ok(piped) && ok(peer),
  });
  const cases: BenchCase[] = (
    [
      ['single', 'the same piped chain on 1 worker'],
      ['fused', 'fuse(FIRE, NVT, NVE) on 1 worker'],
    ] as const
  ).map(([peer, peerName]) => ({
    case: `${label}: 3 workers vs ${peerName}`,
    atoms: batch.nAtoms,
    metric: 'systems per second through the chain',
    value: rate(piped),
    unit: 'systems/s',
    peer: { name: peerName, value: rate(measured[peer]) },
    ratio: rate(piped) / rate(measured[peer]),
    details: details(measured[peer]),
  }));
  return {
    name: 'pipeline',
    date: new Date().toISOString(),
    machine: { cpu: cpuName(), adapter: backend.adapter },
    cases,
  };
}
