/**
 * Physics checks of the copper GNN (issue 6, "What it must show"), run under Dawn for Node on the
 * device (bench/gnnDawn.ts) or in a page: energy conservation in NVE, and melting on heating next to
 * the Mishin EAM that produced its training data (same file, Cu_mishin1.eam.alloy, on our EAM engine,
 * which is parity-tested against LAMMPS).
 */
import type { Batch } from '../src/engine/batch.ts';
import { requestGpuDevice } from '../src/engine/device.ts';
import { createGpuEngine, type WebGpuEngine } from '../src/engine/gpu/engine.ts';
import { eamTabulation } from '../src/engine/potentials/eamTabulation.ts';
import { buildFcc } from '../src/engine/structures/index.ts';
import { parseEamPotential } from '../src/io/lammpsPotential.ts';
import type { EamSpec } from '../src/io/spec.ts';
import { gnnOf } from './gnn.ts';
import {
  fitLine,
  GNN_BENCH,
  GNN_SPEC,
  type GnnModelFiles,
  gnnBenchBatch,
  inPlaneOrder,
  parseBenchModel,
} from './gnnProblem.ts';

/** Largest allowed drift and fluctuation of the total energy per atom, eV/atom (issue 6). */
export const NVE_BOUND = 1e-4;

/** Options of an NVE conservation run. */
export interface GnnNveOptions {
  /** fcc cells per axis (4·cells³ atoms; 10 gives the 4,000). */
  cells: number;
  /** Steps (the issue: 5,000). */
  steps: number;
  /** Time step, fs (the issue: 2). */
  dt: number;
  /** Initial temperature, K. */
  temperature: number;
  /** Steps between energy samples. */
  sampleEvery: number;
  model: GnnModelFiles;
  gpu?: GPU;
}

/** Energy conservation of one NVE run; energies per atom in eV. */
export interface GnnNveResult {
  adapter: string;
  atoms: number;
  steps: number;
  dt: number;
  /** Total energy per atom at every sample (step 0 first), eV/atom. */
  energies: number[];
  /** Temperature at every sample, K. */
  temperatures: number[];
  /** E(end) − E(0), eV/atom. */
  drift: number;
  /** Slope of a least-squares line through the samples × the run's duration, eV/atom. */
  fittedDrift: number;
  /** Standard deviation of the samples about that line, eV/atom. */
  fluctuation: number;
  /** Largest |E(t) − E(0)|, eV/atom. */
  maxDeviation: number;
  rebuilds: number;
  maxNeighbors: number;
  truncatedAtoms: number;
  seconds: number;
  /** Both drifts and the fluctuation within {@link NVE_BOUND}. */
  valid: boolean;
}

/** Runs NVE encoding `sampleEvery` steps per submit and reading the energy after each. */
async function sampleNve(
  device: GPUDevice,
  engine: WebGpuEngine,
  o: { steps: number; dt: number; sampleEvery: number },
  progress?: (line: string) => void,
): Promise<{ energies: number[]; temperatures: number[] }> {
  const n = engine.nAtoms;
  engine.writeStatus(Int32Array.of(0));
  const dynamics = engine.createDynamics({
    kind: 'nve',
    steps: o.steps,
    dt: o.dt,
    hooks: [],
    convergence: [],
  });
  const energies: number[] = [];
  const temperatures: number[] = [];
  const sample = async (encoder: GPUCommandEncoder) => {
    engine.encodeStats(encoder);
    device.queue.submit([encoder.finish()]);
    const stats = await engine.readStats();
    energies.push((stats.potentialEnergy[0]! + stats.kineticEnergy[0]!) / n);
    temperatures.push(stats.temperature[0]!);
  };
  const first = device.createCommandEncoder({ label: 'nve initial forces' });
  engine.encodeCompute(first);
  await sample(first);
  for (let done = 0; done < o.steps; ) {
    const encoder = device.createCommandEncoder({ label: 'nve steps' });
    const k = Math.min(o.sampleEvery, o.steps - done);
    for (let s = 0; s < k; s++) {
      dynamics.encodePreUpdate(encoder, 0);
      engine.encodeCompute(encoder);
      dynamics.encodePostUpdate(encoder, 0);
    }
    done += k;
    await sample(encoder);
    if (done % (10 * o.sampleEvery) === 0 || done === o.steps) {
      progress?.(
        `nve step ${done}: E ${energies.at(-1)!.toFixed(7)} eV/atom, T ${temperatures.at(-1)!.toFixed(1)} K`,
      );
    }
  }
  dynamics.destroy();
  return { energies, temperatures };
}

/** NVE of the copper GNN on 4·cells³ atoms of fcc Cu; checks drift and fluctuation per atom. */
export async function runGnnNve(o: GnnNveOptions, log: (line: string) => void): Promise<GnnNveResult> {
  const { device, adapter } = await requestGpuDevice(o.gpu);
  const model = parseBenchModel(o.model);
  const batch = gnnBenchBatch(o.cells, o.temperature);
  log(`gnn nve: ${batch.nAtoms} atoms, ${o.steps} steps at ${o.dt} fs on ${adapter}`);
  device.pushErrorScope('validation');
  const engine = await createGpuEngine(device, batch, GNN_SPEC, { skin: GNN_BENCH.skin, gnnModel: model });
  const t0 = performance.now();
  const rebuilds0 = await engine.readRebuildCount();
  const { energies, temperatures } = await sampleNve(device, engine, o, log);
  const seconds = (performance.now() - t0) / 1000;
  const rebuilds = (await engine.readRebuildCount()) - rebuilds0;
  const status = await gnnOf(engine).readStatus();
  const error = await device.popErrorScope();
  if (error) throw new Error(`WebGPU validation error during the NVE run: ${error.message}`);
  engine.destroy();
  device.destroy();
  const times = energies.map((_, k) => Math.min(k * o.sampleEvery, o.steps) * o.dt);
  const { slope, residualSd } = fitLine(times, energies);
  const drift = energies.at(-1)! - energies[0]!;
  const fittedDrift = slope * o.steps * o.dt;
  const maxDeviation = Math.max(...energies.map((e) => Math.abs(e - energies[0]!)));
  const result: GnnNveResult = {
    adapter,
    atoms: batch.nAtoms,
    steps: o.steps,
    dt: o.dt,
    energies,
    temperatures,
    drift,
    fittedDrift,
    fluctuation: residualSd,
    maxDeviation,
    rebuilds,
    maxNeighbors: status.maxNeighbors,
    truncatedAtoms: status.truncatedAtoms,
    seconds,
    valid: Math.abs(drift) <= NVE_BOUND && Math.abs(fittedDrift) <= NVE_BOUND && residualSd <= NVE_BOUND,
  };
  log(
    `gnn nve: drift ${drift.toExponential(2)}, fitted ${fittedDrift.toExponential(2)}, fluctuation ` +
      `${residualSd.toExponential(2)} eV/atom, T ${temperatures[0]!.toFixed(0)} → ${temperatures.at(-1)!.toFixed(0)} K, ` +
      `${rebuilds} rebuilds, ${seconds.toFixed(1)} s`,
  );
  return result;
}

/** The heating protocol of the melting comparison. */
export interface MeltOptions {
  /** 'gnn' (the shipped model) or 'eam' (Cu_mishin1.eam.alloy, the model's training reference). */
  potential: 'gnn' | 'eam';
  /** In-plane fcc cells (x and y). */
  cells: number;
  /** fcc cells along z (the slab's thickness). */
  layers: number;
  /** Vacuum above the slab along z, Å (0: a periodic bulk crystal). */
  vacuum: number;
  /** Target temperatures in order, K. */
  temperatures: number[];
  /** Langevin steps at each temperature before sampling. */
  equilibrationSteps: number;
  /** Langevin steps at each temperature while sampling. */
  sampleSteps: number;
  /** Steps between samples. */
  sampleEvery: number;
  /** Time step, fs. */
  dt: number;
  /** Langevin friction, 1/fs. */
  friction: number;
  model?: GnnModelFiles;
  /** Text of Cu_mishin1.eam.alloy (for 'eam'). */
  eamText?: string;
  gpu?: GPU;
}

/** One temperature of the heating run: averages over the samples. */
export interface MeltPoint {
  /** Target temperature, K. */
  target: number;
  /** Mean instantaneous temperature, K. */
  temperature: number;
  /** Mean potential energy per atom, eV/atom. */
  potentialEnergy: number;
  /**
   * Mean crystalline order |(1/N) Σ_j exp(i k·r_j)| over the in-plane reciprocal vectors
   * k = (2π/a)(2,0,0) and (2π/a)(0,2,0): about 0.9 for the crystal at 300 K, about 1/√N for a liquid.
   */
  order: number;
}

export interface MeltResult {
  potential: string;
  adapter: string;
  atoms: number;
  points: MeltPoint[];
  /** First target temperature whose order fell below half of the first point's, K (null: none). */
  meltTemperature: number | null;
  /** Largest jump of PE/atom between neighboring temperatures, and where (the upper one), eV, K. */
  peJump: { value: number; at: number };
  seconds: number;
}

/** fcc Cu slab (cells × cells × layers conventional cells) with `vacuum` Å above it along z. */
export function meltBatch(o: Pick<MeltOptions, 'cells' | 'layers' | 'vacuum'>): Batch {
  const b = buildFcc({
    kind: 'fcc',
    element: 'Cu',
    mass: GNN_BENCH.mass,
    latticeConstant: GNN_BENCH.latticeConstant,
    repeat: [o.cells, o.cells, o.layers],
    voidRadius: 0,
    temperature: 300,
    jitter: GNN_BENCH.jitter,
    seed: 5,
  });
  // The sites start at z = 0 and jitter wraps them into [0, lz): lift the slab off the boundary.
  const lz = b.cells[8]!;
  for (let i = 0; i < b.nAtoms; i++) {
    const z = b.positions[3 * i + 2]!;
    b.positions[3 * i + 2] = (z > lz - 1 ? z - lz : z) + 0.5 * GNN_BENCH.latticeConstant + o.vacuum / 2;
  }
  b.cells[8] = lz + o.vacuum;
  return b;
}

/** Heats a Cu slab (or bulk) through `temperatures` with Langevin and records PE and order. */
export async function runMelt(o: MeltOptions, log: (line: string) => void): Promise<MeltResult> {
  const { device, adapter } = await requestGpuDevice(o.gpu);
  const batch = meltBatch(o);
  device.pushErrorScope('validation');
  let engine: WebGpuEngine;
  if (o.potential === 'gnn') {
    if (!o.model) throw new Error('melt: the GNN needs its model files');
    engine = await createGpuEngine(device, batch, GNN_SPEC, {
      skin: GNN_BENCH.skin,
      gnnModel: parseBenchModel(o.model),
    });
  } else {
    if (!o.eamText) throw new Error('melt: the EAM needs the text of Cu_mishin1.eam.alloy');
    const spec: EamSpec = { kind: 'eam', style: 'eam/alloy', file: 'Cu_mishin1.eam.alloy', elements: ['Cu'] };
    const tables = eamTabulation(
      [parseEamPotential(o.eamText, spec.file, spec.style)],
      spec.style,
      spec.elements,
    );
    engine = await createGpuEngine(device, batch, spec, { skin: GNN_BENCH.skin, tables });
  }
  const n = batch.nAtoms;
  log(
    `melt ${o.potential}: ${n} atoms (${o.cells}×${o.cells}×${o.layers} cells, vacuum ${o.vacuum} Å) on ${adapter}`,
  );
  const t0 = performance.now();
  engine.writeStatus(Int32Array.of(0));
  const first = device.createCommandEncoder({ label: 'melt initial forces' });
  engine.encodeCompute(first);
  device.queue.submit([first.finish()]);
  const points: MeltPoint[] = [];
  for (const [index, target] of o.temperatures.entries()) {
    const dynamics = engine.createDynamics({
      kind: 'langevin',
      steps: o.equilibrationSteps + o.sampleSteps,
      dt: o.dt,
      temperature: target,
      friction: o.friction,
      seed: 100 + index,
      hooks: [],
      convergence: [],
    });
    const advance = (steps: number, withStats: boolean) => {
      const encoder = device.createCommandEncoder({ label: 'melt steps' });
      for (let s = 0; s < steps; s++) {
        dynamics.encodePreUpdate(encoder, 0);
        engine.encodeCompute(encoder);
        dynamics.encodePostUpdate(encoder, 0);
      }
      if (withStats) engine.encodeStats(encoder);
      device.queue.submit([encoder.finish()]);
    };
    for (let done = 0; done < o.equilibrationSteps; done += 100) {
      advance(Math.min(100, o.equilibrationSteps - done), false);
    }
    let pe = 0;
    let temperature = 0;
    let order = 0;
    let samples = 0;
    for (let done = 0; done < o.sampleSteps; done += o.sampleEvery) {
      advance(Math.min(o.sampleEvery, o.sampleSteps - done), true);
      const stats = await engine.readStats();
      const atoms = await engine.readAtoms();
      pe += stats.potentialEnergy[0]! / n;
      temperature += stats.temperature[0]!;
      order += inPlaneOrder(atoms.positions, GNN_BENCH.latticeConstant);
      samples++;
    }
    dynamics.destroy();
    const point = {
      target,
      temperature: temperature / samples,
      potentialEnergy: pe / samples,
      order: order / samples,
    };
    points.push(point);
    log(
      `melt ${o.potential}: T ${target} K → ${point.temperature.toFixed(0)} K, PE ${point.potentialEnergy.toFixed(4)} eV/atom, order ${point.order.toFixed(3)}`,
    );
  }
  const error = await device.popErrorScope();
  if (error) throw new Error(`WebGPU validation error during the melt run: ${error.message}`);
  engine.destroy();
  device.destroy();
  const meltAt = points.find((p) => p.order < 0.5 * points[0]!.order);
  let peJump = { value: 0, at: points[0]!.target };
  for (let k = 1; k < points.length; k++) {
    const jump = points[k]!.potentialEnergy - points[k - 1]!.potentialEnergy;
    if (jump > peJump.value) peJump = { value: jump, at: points[k]!.target };
  }
  return {
    potential: o.potential === 'gnn' ? `GNN ${GNN_BENCH.model}` : 'EAM Cu_mishin1.eam.alloy',
    adapter,
    atoms: n,
    points,
    meltTemperature: meltAt?.target ?? null,
    peJump,
    seconds: (performance.now() - t0) / 1000,
  };
}
