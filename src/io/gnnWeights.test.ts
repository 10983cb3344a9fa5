import { describe, expect, it } from 'vitest';
import { randomGnnModel, randomGnnTensors, testGnnConfig } from '../engine/reference/gnn.testing.ts';
import { checkElements, type GnnConfig, parseGnnWeights, writeGnnWeights } from './gnnWeights.ts';
import { ParseError } from './parseError.ts';
import { parseSafetensors, type Tensor, writeSafetensors } from './safetensors.ts';

const names = { config: 'cu.json', tensors: 'cu.safetensors' };
const config = testGnnConfig();

function parse(cfg: unknown, tensors: Map<string, Tensor> | Uint8Array) {
  const bytes = tensors instanceof Uint8Array ? tensors : writeSafetensors(tensors);
  return parseGnnWeights(typeof cfg === 'string' ? cfg : JSON.stringify(cfg), bytes, names);
}

function expectError(fn: () => unknown, file: string, message: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    expect((e as ParseError).file).toBe(file);
    expect((e as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected a ParseError');
}

const withConfig = (overrides: Record<string, unknown>) => ({ ...config, ...overrides });

describe('GNN weights, format version 1', () => {
  it('round-trips a model through the writer and the parser, in F64 exactly and in F32 to f32 precision', () => {
    const model = randomGnnModel(config, 3);
    const { config: text, tensors } = writeGnnWeights(model);
    const again = parseGnnWeights(text, tensors, names);
    expect(again).toEqual(model);
    expect(parseSafetensors(tensors, 'x').metadata).toEqual({ format: 'md-workbench-gnn', version: '1' });
    const f32 = writeGnnWeights(model, 'F32');
    expect(f32.tensors.length).toBeLessThan(tensors.length * 0.7);
    const m32 = parseGnnWeights(f32.config, f32.tensors, names);
    expect(m32.typeEmbedding[0]).toBe(Math.fround(model.typeEmbedding[0]!));
    expect(m32.layers[1]!.edge).toBeNull();
    expect(m32.energyBias).toEqual(Float64Array.of(-3.5, -2.8));
  });

  it('names a missing tensor with its expected shape', () => {
    const t = randomGnnTensors(config, 1);
    t.delete('layers.1.message.0.weight');
    expectError(
      () => parse(config, t),
      'cu.safetensors',
      /missing tensor "layers.1.message.0.weight" \(shape \[7, 16\]\)/,
    );
  });

  it('names a tensor of the wrong shape, expected vs found', () => {
    const t = randomGnnTensors(config, 1);
    t.set('readout.1.weight', { dtype: 'F64', shape: [2, 7], data: new Float64Array(14) });
    expectError(
      () => parse(config, t),
      'cu.safetensors',
      /"readout.1.weight" has shape \[2, 7\]; expected \[1, 7\]/,
    );
  });

  it('names NaN and Inf values with tensor and flat index', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const t = randomGnnTensors(config, 1);
      t.get('edge_embedding.0.bias')!.data[5] = bad;
      expectError(
        () => parse(config, t),
        'cu.safetensors',
        new RegExp(`"edge_embedding.0.bias" has ${bad} at flat index 5`),
      );
    }
  });

  it('rejects tensors the architecture does not have', () => {
    const t = randomGnnTensors(config, 1);
    t.set('layers.1.edge.0.weight', { dtype: 'F64', shape: [1], data: new Float64Array(1) });
    expectError(() => parse(config, t), 'cu.safetensors', /unexpected tensor "layers.1.edge.0.weight"/);
  });

  it('rejects a bad safetensors container', () => {
    const good = writeSafetensors(randomGnnTensors(config, 1));
    expectError(
      () => parse(config, good.subarray(0, 5)),
      'cu.safetensors',
      /shorter than the 8-byte header length/,
    );
    const huge = good.slice();
    new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
    expectError(() => parse(config, huge), 'cu.safetensors', /bad header: header length \d+ exceeds/);
    const notJson = good.slice();
    notJson[8] = 0x7a;
    expectError(() => parse(config, notJson), 'cu.safetensors', /bad header: not UTF-8 JSON/);
    expectError(
      () => parse(config, good.subarray(0, good.length - 8)),
      'cu.safetensors',
      /past the \d+-byte data buffer \(truncated\?\)/,
    );
    const header = (h: object) => {
      const json = new TextEncoder().encode(JSON.stringify(h));
      const out = new Uint8Array(8 + json.length + 16);
      new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
      out.set(json, 8);
      return out;
    };
    expectError(
      () => parse(config, header({ a: { dtype: 'I32', shape: [1], data_offsets: [0, 4] } })),
      'cu.safetensors',
      /tensor "a": dtype "I32" is not supported/,
    );
    expectError(
      () => parse(config, header({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } })),
      'cu.safetensors',
      /shape \[3\] of F32 needs 12 bytes, data_offsets span 8/,
    );
    expectError(
      () =>
        parse(
          config,
          header({
            a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
            b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
          }),
        ),
      'cu.safetensors',
      /"a" and "b" overlap/,
    );
  });

  const configErrors: [string, unknown, RegExp][] = [
    ['not JSON', '{', /not JSON/],
    ['wrong format', withConfig({ format: 'deepmd' }), /format is "deepmd"; expected "md-workbench-gnn"/],
    ['unknown version', withConfig({ version: 2 }), /unknown version 2; this workbench reads version 1/],
    ['duplicate element', withConfig({ elements: ['Cu', 'Cu'] }), /"Cu" is listed twice/],
    ['unknown element', withConfig({ elements: ['Cu', 'Xx'] }), /"Xx" is not an element symbol/],
    [
      'bias of an unknown element',
      withConfig({ energyBias: { Cu: 1, Ag: 1, Au: 1 } }),
      /energyBias: "Au" is not one of/,
    ],
    ['missing bias', withConfig({ energyBias: { Cu: 1 } }), /energyBias: "Ag" needs a finite energy in eV/],
    [
      'rcutSmooth ≥ rcut',
      withConfig({ rcutSmooth: 4 }),
      /rcutSmooth must be a number with 0 ≤ rcutSmooth < rcut = 4 Å/,
    ],
    ['negative rcut', withConfig({ rcut: -1 }), /rcut must be a positive number \(Å\)/],
    ['nBasis < 2', withConfig({ nBasis: 1 }), /nBasis must be an integer ≥ 2/],
    ['zero layers', withConfig({ nLayers: 0 }), /nLayers must be an integer ≥ 1/],
    ['bad hidden', withConfig({ hidden: [0] }), /hidden must be a list of positive integer widths/],
    ['activation', withConfig({ activation: 'relu' }), /activation "relu" is not supported/],
    [
      'units',
      withConfig({ units: { length: 'nm', energy: 'eV' } }),
      /units must be \{"length": "Å", "energy": "eV"\}/,
    ],
    ['provenance', withConfig({ provenance: { code: 'x' } }), /provenance.trainingData must be a string/],
  ];
  for (const [what, cfg, message] of configErrors) {
    it(`rejects a config with ${what}`, () => {
      expectError(() => parse(cfg, randomGnnTensors(config, 1)), 'cu.json', message);
    });
  }

  it('maps structure elements to model types and names the elements the model lacks', () => {
    const model = randomGnnModel(config, 1);
    expect(checkElements(model, ['Ag', 'NULL', 'Cu'])).toEqual(Int32Array.of(1, -1, 0));
    expect(() => checkElements(model, ['Cu', 'Ni', 'O', 'Ni'])).toThrow(
      'the GNN model has no parameters for Ni, O; it knows Cu, Ag (map those atoms to NULL or use a model trained on them)',
    );
  });

  it('takes widths, layer count, cutoffs and sel from the config', () => {
    const c: GnnConfig = testGnnConfig({
      nDim: 3,
      eDim: 2,
      nLayers: 3,
      hidden: [4, 5],
      sel: 9,
      elements: ['Cu'],
      energyBias: { Cu: 0 },
    });
    const model = randomGnnModel(c, 2);
    expect(model.layers.length).toBe(3);
    expect(model.layers.map((l) => l.edge === null)).toEqual([false, false, true]);
    expect(model.layers[0]!.message.map((l) => [l.nIn, l.nOut])).toEqual([
      [8, 4],
      [4, 5],
      [5, 3],
    ]);
    expect(model.config.sel).toBe(9);
  });
});
