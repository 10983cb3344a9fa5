/**
 * Random GNN models for tests (weights U(−2, 2)/√fan-in by default, a seeded generator), and a seeded uniform
 * generator. Not a trained model: it exercises every weight and path of the architecture.
 */
import { expectedTensorShapes, type GnnConfig, type GnnModel, parseGnnWeights } from '../../io/gnnWeights.ts';
import { type Tensor, writeSafetensors } from '../../io/safetensors.ts';

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

/** A random model, built through the parser (so it is a valid file). */
export function randomGnnModel(config: GnnConfig = testGnnConfig(), seed = 1): GnnModel {
  return parseGnnWeights(JSON.stringify(config), writeSafetensors(randomGnnTensors(config, seed)), {
    config: 'test.json',
    tensors: 'test.safetensors',
  });
}
