/**
 * Random GNN models for tests (weights U(−2, 2)/√fan-in by default, a seeded generator), and a seeded uniform
 * generator. Not a trained model: it exercises every weight and path of the architecture.
 */
import { expectedTensorShapes, type GnnConfig, type GnnModel, parseGnnWeights } from '../../io/gnnWeights.ts';
import { type Tensor, writeSafetensors } from '../../io/safetensors.ts';
import type { Batch } from '../batch.ts';

/** mulberry32: a small seeded uniform generator on [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A config for tests; `overrides` replace any field. */
export function testGnnConfig(overrides: Partial<GnnConfig> = {}): GnnConfig {
  return {
    format: 'md-workbench-gnn',
    version: 1,
    elements: ['Cu', 'Ag'],
    rcut: 4.0,
    rcutSmooth: 3.0,
    sel: 40,
    nDim: 6,
    eDim: 4,
    nLayers: 2,
    nBasis: 5,
    hidden: [7],
    activation: 'silu',
    energyBias: { Cu: -3.5, Ag: -2.8 },
    units: { length: 'Å', energy: 'eV' },
    provenance: {
      trainingData: 'none (random weights)',
      code: 'gnn.testing.ts',
      date: '2025-01-01',
      metrics: {},
    },
    ...overrides,
  };
}

/** The tensors of a random model for `config` (F64), weights U(−gain, gain)/√fan-in. */
export function randomGnnTensors(config: GnnConfig, seed: number, gain = 2): Map<string, Tensor> {
  const random = seededRandom(seed);
  const tensors = new Map<string, Tensor>();
  for (const [name, shape] of expectedTensorShapes(config)) {
    const fanIn = name.endsWith('.weight') ? shape[1]! : name === 'type_embedding' ? 1 : 4;
    const scale = gain / Math.sqrt(fanIn);
    const data = Float64Array.from(
      { length: shape.reduce((a, b) => a * b, 1) },
      () => (2 * random() - 1) * scale,
    );
    tensors.set(name, { dtype: 'F64', shape, data });
  }
  return tensors;
}

/** A random model, built through the parser (so it is a valid file); weights U(−gain, gain)/√fan-in. */
export function randomGnnModel(config: GnnConfig = testGnnConfig(), seed = 1, gain = 2): GnnModel {
  return parseGnnWeights(JSON.stringify(config), writeSafetensors(randomGnnTensors(config, seed, gain)), {
    config: 'test.json',
    tensors: 'test.safetensors',
  });
}

/** One configuration of the PyTorch fixtures (tools/gnn/make_fixtures.py), with its f64 results. */
export interface GnnFixture {
  name: string;
  positions: number[];
  types: number[];
  cell: number[];
  pbc: boolean[];
  energy: number;
  energies: number[];
  forces: number[];
  virial: number[];
  atomVirial: number[];
}

/** A fixture's atoms as a batch of one system; `masses[t]` is the mass of model type t, amu. */
export function gnnFixtureBatch(f: GnnFixture, masses: readonly number[]): Batch {
  const n = f.types.length;
  return {
    nAtoms: n,
    nSystems: 1,
    atomsPtr: Int32Array.of(0, n),
    positions: Float64Array.from(f.positions),
    velocities: new Float64Array(3 * n),
    masses: Float64Array.from(f.types, (t) => masses[t]!),
    types: Int32Array.from(f.types),
    atomicNumbers: new Int32Array(n),
    cells: Float64Array.from(f.cell),
    pbc: Uint8Array.from(f.pbc, (p) => (p ? 1 : 0)),
    systemIds: Int32Array.of(0),
  };
}
