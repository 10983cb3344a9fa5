/**
 * The problem of the `gnn` benchmark and the GNN physics checks (browser-safe, no GPU code): the
 * shipped copper model and an fcc Cu supercell. tools/gnn/bench_torch.py builds the same problem.
 */
import type { Batch } from '../src/engine/batch.ts';
import { buildFcc } from '../src/engine/structures/index.ts';
import { type GnnModel, parseGnnWeights } from '../src/io/gnnWeights.ts';
import type { GnnSpec } from '../src/io/spec.ts';

/** The benchmark problem, shared with tools/gnn/bench_torch.py (keep the two in step). */
export const GNN_BENCH = {
  /** Model stem under public/models/. */
  model: 'cu-mishin1',
  /** Lattice constant of Mishin's Cu at 0 K, Å. */
  latticeConstant: 3.615,
  /** Mass of Cu, amu. */
  mass: 63.546,
  /** Initial Maxwell–Boltzmann temperature, K. */
  temperature: 300,
  /** Uniform jitter of the sites, Å. */
  jitter: 0.02,
  /** Time step, fs. */
  dt: 2,
  /** Verlet skin, Å (list cutoff rcut + skin; rebuild when an atom moved more than skin/2). */
  skin: 0.5,
  seed: 11,
} as const;

export const GNN_SPEC: GnnSpec = { kind: 'gnn', model: GNN_BENCH.model, elements: ['Cu'] };

/** The model's two files as read from disk or fetched. */
export interface GnnModelFiles {
  configText: string;
  tensors: Uint8Array;
}

export function parseBenchModel(files: GnnModelFiles): GnnModel {
  return parseGnnWeights(files.configText, files.tensors, {
    config: `${GNN_BENCH.model}.json`,
    tensors: `${GNN_BENCH.model}.safetensors`,
  });
}

/** fcc Cu of cells³ conventional cells (4·cells³ atoms), jittered, at `temperature` K. */
export function gnnBenchBatch(
  cells: number,
  temperature: number = GNN_BENCH.temperature,
  seed = GNN_BENCH.seed,
): Batch {
  return buildFcc({
    kind: 'fcc',
    element: 'Cu',
    mass: GNN_BENCH.mass,
    latticeConstant: GNN_BENCH.latticeConstant,
    repeat: [cells, cells, cells],
    voidRadius: 0,
    temperature,
    jitter: GNN_BENCH.jitter,
    seed,
  });
}

/** Least-squares line y = a + b x: slope b and the standard deviation of the residuals. */
export function fitLine(xs: readonly number[], ys: readonly number[]): { slope: number; residualSd: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let k = 0; k < n; k++) {
    sxy += (xs[k]! - mx) * (ys[k]! - my);
    sxx += (xs[k]! - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  let ss = 0;
  for (let k = 0; k < n; k++) ss += (ys[k]! - my - slope * (xs[k]! - mx)) ** 2;
  return { slope, residualSd: Math.sqrt(ss / Math.max(1, n - 2)) };
}

/** Crystalline order of positions (Å, xyz interleaved) for lattice constant a: see MeltPoint.order in bench/gnnPhysics.ts. */
export function inPlaneOrder(positions: ArrayLike<number>, a: number): number {
  const k = (4 * Math.PI) / a;
  const n = positions.length / 3;
  let total = 0;
  for (const axis of [0, 1]) {
    let re = 0;
    let im = 0;
    for (let i = 0; i < n; i++) {
      const phase = k * positions[3 * i + axis]!;
      re += Math.cos(phase);
      im += Math.sin(phase);
    }
    total += Math.hypot(re, im) / n;
  }
  return total / 2;
}
