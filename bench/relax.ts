/**
 * `npm run bench -- relax`: relaxation throughput. 1,000 random argon Lennard-Jones clusters
 * (13–147 atoms, the `clusters` system of the spec) relaxed with FIRE to max |F| < 0.01 eV/Å by our
 * engine in headless Chromium through the CLI's own path (src/cli/backends/chromium.ts: the spec with
 * inflight batching, run by the page), and by ASE's FIRE (serial Python, ASE's `LennardJones`
 * calculator, scripts/ase.ts) on the same starts in the same run, one after the other so that they
 * do not compete for the CPU. Reports relaxations per second of both and the ratio ours / ASE.
 *
 * Same algorithm on both sides: ASE's FIRE is massless with dt in ASE time units (10.1805 fs);
 * ours is mass-weighted, so with argon masses m its dt and dtMax in fs are ASE's defaults
 * (dt 0.1, dtmax 1.0) × 10.1805 × sqrt(m / amu), maxStep 0.2 Å as ASE's maxstep. The trajectories are
 * then the same up to f32 rounding. Both sides' minima are checked: every cluster converged, and our
 * final positions have f64 max |F| below fmax + 1e-4 eV/Å (DESIGN §3's f32 force tolerance). Node only.
 */
import { parseArgs } from 'node:util';
import { type AseFireParams, aseFire } from '../scripts/ase.ts';
import type { EngineEvent } from '../src/engine/api.ts';
import type { Batch } from '../src/engine/batch.ts';
import { maxForcePerSystem } from '../src/engine/reference/dynamics.ts';
import { lennardJonesReference } from '../src/engine/reference/lennardJones.ts';
import { buildSystem } from '../src/engine/structures/index.ts';
import { type PipelineSpecInput, parseSpec } from '../src/io/spec.ts';
import { type BenchCase, type BenchResult, cpuName } from './results.ts';

export const relaxUsage = `npm run bench -- relax [options]
  --count N          clusters to relax (default 1000)
  --min-atoms N      fewest atoms in a cluster (default 13)
  --max-atoms N      most atoms in a cluster (default 147)
  --fmax F           convergence threshold on max |F|, eV/Å (default 0.01)
  --steps N          FIRE step budget of each cluster (default 10000)
  --max-systems N    inflight batching: most clusters resident on the GPU at once (default 250)
  --max-resident N   inflight batching: most atoms resident on the GPU at once (default 25000)
  --check-every N    test the fmax criterion every N steps (default 1, as ASE does)
  --vacuum X         empty space around each starting sphere, Å (default 10, the spec's default)
  --seed N           seed of the random starts (default 1)
  --ase-count N      clusters ASE relaxes (default: all; the first N, for quick runs)`;

/** One ASE time unit, Å·sqrt(amu/eV), in fs (1 / ase.units.fs). */
const ASE_TIME_UNIT_FS = 10.1805056712;
const ARGON_MASS = 39.948;
/** Argon (ε 0.0104 eV, σ 3.4 Å), cut and shifted at 8.5 Å: ASE 3.22's LennardJones(rc, smooth=False). */
const ARGON_LJ = { epsilon: 0.0104, sigma: 3.4, cutoff: 8.5 } as const;
/** ASE's FIRE defaults, maxstep 0.2 Å. */
const ASE_DT = 0.1;
const ASE_DTMAX = 1.0;
const MAX_STEP = 0.2;
/** f32 forces may differ from f64 ones by this much (DESIGN §3), eV/Å. */
const F32_FORCE_TOLERANCE = 1e-4;
/** Two minima are "the same" when their energies agree this well, eV (reported, not checked). */
const SAME_MINIMUM = 1e-3;

export interface RelaxOptions {
  count: number;
  minAtoms: number;
  maxAtoms: number;
  fmax: number;
  steps: number;
  maxSystems: number;
  maxResident: number;
  checkEvery: number;
  vacuum: number;
  seed: number;
  aseCount: number;
}

/** The spec the engine runs: clusters, argon LJ, inflight batching, one FIRE stage. */
export function relaxSpec(o: RelaxOptions): PipelineSpecInput {
  const massScale = ASE_TIME_UNIT_FS * Math.sqrt(ARGON_MASS);
  return {
    version: 1,
    name: 'relax benchmark',
    system: {
      kind: 'clusters',
      count: o.count,
      minAtoms: o.minAtoms,
      maxAtoms: o.maxAtoms,
      mass: ARGON_MASS,
      vacuum: o.vacuum,
      seed: o.seed,
    },
    potential: { kind: 'lennard-jones', ...ARGON_LJ, shift: true },
    batching: { maxSystems: o.maxSystems, maxAtoms: o.maxResident },
    stages: [
      {
        kind: 'fire',
        steps: o.steps,
        dt: ASE_DT * massScale,
        dtMax: ASE_DTMAX * massScale,
        maxStep: MAX_STEP,
        convergence: [{ kind: 'max-force', fmax: o.fmax, every: o.checkEvery }],
      },
    ],
  };
}

function parseOptions(argv: string[]): RelaxOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      count: { type: 'string', default: '1000' },
      'min-atoms': { type: 'string', default: '13' },
      'max-atoms': { type: 'string', default: '147' },
      fmax: { type: 'string', default: '0.01' },
      steps: { type: 'string', default: '10000' },
      'max-systems': { type: 'string', default: '250' },
      'max-resident': { type: 'string', default: '25000' },
      'check-every': { type: 'string', default: '1' },
      vacuum: { type: 'string', default: '10' },
      seed: { type: 'string', default: '1' },
      'ase-count': { type: 'string' },
    },
    strict: true,
  });
  const int = (name: keyof typeof values, min: number) => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < min)
      throw new Error(`--${name} must be a whole number ≥ ${min}\n\n${relaxUsage}`);
    return v;
  };
  const count = int('count', 1);
  const fmax = Number(values.fmax);
  if (!(fmax > 0)) throw new Error(`--fmax must be a number > 0 (eV/Å)\n\n${relaxUsage}`);
  const vacuum = Number(values.vacuum);
  if (!(vacuum >= 0)) throw new Error(`--vacuum must be a number ≥ 0 (Å)\n\n${relaxUsage}`);
  const aseCount = values['ase-count'] === undefined ? count : Math.min(count, int('ase-count', 0));
  return {
    count,
    minAtoms: int('min-atoms', 1),
    maxAtoms: int('max-atoms', 1),
    fmax,
    steps: int('steps', 1),
    maxSystems: int('max-systems', 1),
    maxResident: int('max-resident', 1),
    checkEvery: int('check-every', 1),
    vacuum,
    seed: int('seed', 0),
    aseCount,
  };
}

/** Systems 0 … n − 1 of a batch. */
export function firstSystems(batch: Batch, n: number): Batch {
  const atoms = batch.atomsPtr[n]!;
  return {
    nAtoms: atoms,
    nSystems: n,
    atomsPtr: batch.atomsPtr.slice(0, n + 1),
    positions: batch.positions.slice(0, 3 * atoms),
    velocities: batch.velocities.slice(0, 3 * atoms),
    masses: batch.masses.slice(0, atoms),
    types: batch.types.slice(0, atoms),
    atomicNumbers: batch.atomicNumbers.slice(0, atoms),
    cells: batch.cells.slice(0, 9 * n),
    pbc: batch.pbc.slice(0, 3 * n),
    systemIds: batch.systemIds.slice(0, n),
  };
}

/** Our side: the spec through the CLI's Chromium backend; wall time of the run (page already open). */
async function runOurs(spec: ReturnType<typeof parseSpec>, batch: Batch, count: number) {
  const { chromiumBackend } = await import('../src/cli/backends/chromium.ts');
  const backend = await chromiumBackend();
  try {
    const converged = new Set<number>();
    let nextReport = 0.1;
    let steps = 0;
    /** Steps at which systems converged: each one costs a readback and, with batching, a refill. */
    const graduationSteps = new Set<number>();
    const listener = (e: EngineEvent) => {
      if (e.type === 'end') steps = e.step;
      if (e.type !== 'converged') return;
      graduationSteps.add(e.step);
      for (const s of e.systems) converged.add(s);
      if (converged.size >= nextReport * count) {
        console.log(`relax: ours ${converged.size} / ${count} converged at step ${e.step}`);
        nextReport += 0.1;
      }
    };
    const t0 = performance.now();
    const outcome = await backend.run(spec, batch, undefined, listener);
    const seconds = (performance.now() - t0) / 1000;
    return {
      outcome,
      seconds,
      converged: converged.size,
      steps,
      graduationSteps: graduationSteps.size,
      adapter: backend.adapter,
    };
  } finally {
    await backend.close();
  }
}

export async function benchRelax(argv: string[]): Promise<BenchResult> {
  const o = parseOptions(argv);
  const spec = parseSpec(relaxSpec(o));
  const batch = buildSystem(spec.system);
  console.log(
    `relax: ${o.count} argon clusters of ${o.minAtoms}–${o.maxAtoms} atoms (${batch.nAtoms} atoms), FIRE to ` +
      `fmax ${o.fmax} eV/Å; batching ≤ ${o.maxSystems} systems, ≤ ${o.maxResident} atoms — our engine in Chromium`,
  );
  const ours = await runOurs(spec, batch, o.count);
  console.log(
    `relax: ours ${ours.seconds.toFixed(1)} s, ${ours.steps} steps, ${ours.graduationSteps} with graduations, ${ours.converged} converged ` +
      `(${ours.outcome.end}) — now ASE on ${o.aseCount} clusters`,
  );

  // Our minima in f64: every system as it left the run (with batching), or the final batch.
  const finals = new Map<number, { energy: number; maxForce: number }>();
  const leftovers: readonly Batch[] =
    ours.outcome.finished.length > 0
      ? ours.outcome.finished
      : [{ ...batch, positions: Float64Array.from(ours.outcome.final.positions) }];
  for (const b of leftovers) {
    const f64 = lennardJonesReference(b, { ...ARGON_LJ, shift: true });
    const maxForce = maxForcePerSystem(b, f64.forces);
    for (let s = 0; s < b.nSystems; s++)
      finals.set(b.systemIds[s]!, { energy: f64.energy[s]!, maxForce: maxForce[s]! });
  }
  const worstForce = Math.max(...[...finals.values()].map((f) => f.maxForce));

  // ASE on the same starts (its FIRE is massless: dt in fs as for masses of 1 amu).
  const aseParams: AseFireParams = {
    dt: ASE_DT * ASE_TIME_UNIT_FS,
    dtMax: ASE_DTMAX * ASE_TIME_UNIT_FS,
    maxStep: MAX_STEP,
    fmax: o.fmax,
    steps: o.steps,
  };
  const ase =
    o.aseCount > 0
      ? await aseFire(firstSystems(batch, o.aseCount), ARGON_LJ, aseParams, { positions: false })
      : undefined;
  const aseConverged = ase ? ase.systems.filter((s) => s.converged).length : 0;
  const aseSteps = ase ? ase.systems.reduce((a, s) => a + s.steps, 0) / Math.max(1, ase.systems.length) : 0;
  let sameMinimum = 0;
  ase?.systems.forEach((a, s) => {
    const mine = finals.get(batch.systemIds[s]!);
    if (mine && Math.abs(mine.energy - a.energy) < SAME_MINIMUM) sameMinimum++;
  });

  const value = o.count / ours.seconds;
  const peer = ase ? o.aseCount / ase.seconds : undefined;
  const valid =
    ours.outcome.end === 'completed' &&
    ours.converged === o.count &&
    finals.size === o.count &&
    worstForce < o.fmax + F32_FORCE_TOLERANCE &&
    aseConverged === o.aseCount;
  if (ase) {
    console.log(
      `relax: ASE ${ase.seconds.toFixed(1)} s for ${o.aseCount} clusters (${aseSteps.toFixed(0)} steps each on average); ` +
        `ratio ${(value / peer!).toFixed(2)}`,
    );
  }
  const row: BenchCase = {
    case: `FIRE relaxation of ${o.count} random argon LJ clusters (${o.minAtoms}–${o.maxAtoms} atoms) to fmax ${o.fmax} eV/Å`,
    atoms: batch.nAtoms,
    metric: 'relaxations per second',
    value,
    unit: 'relaxations/s',
    ...(ase && peer !== undefined
      ? {
          peer: {
            name: `ASE ${ase.ase} FIRE, serial Python${o.aseCount < o.count ? ` (first ${o.aseCount} clusters)` : ''}`,
            value: peer,
          },
          ratio: value / peer,
        }
      : {}),
    details: {
      seconds: ours.seconds,
      converged: ours.converged,
      steps: ours.steps,
      graduationSteps: ours.graduationSteps,
      end: ours.outcome.end,
      maxSystems: o.maxSystems,
      maxResidentAtoms: o.maxResident,
      checkEvery: o.checkEvery,
      vacuum: o.vacuum,
      systemsReturned: finals.size,
      worstFinalMaxForce: worstForce,
      ...(ase
        ? {
            peerSeconds: ase.seconds,
            peerClusters: o.aseCount,
            peerConverged: aseConverged,
            peerMeanSteps: aseSteps,
            sameMinimumAsPeer: sameMinimum,
          }
        : {}),
      valid,
    },
  };
  return {
    name: 'relax',
    date: new Date().toISOString(),
    machine: { cpu: cpuName(), adapter: ours.adapter },
    cases: [row],
  };
}
