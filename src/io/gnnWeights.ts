/**
 * GNN weights, format version 1 (docs/gnn-weights.md): `<name>.json` (architecture, elements,
 * cutoffs, energy bias, units, provenance) + `<name>.safetensors` (the tensors). Parsing validates
 * everything the model needs (every tensor present with its exact shape, finite values, no tensor
 * left over) and returns a typed model with f64 weights; every problem is a `ParseError` naming the
 * file and the problem, so a bad file changes nothing.
 */
import { findElement } from './elements.ts';
import { ParseError } from './parseError.ts';
import { parseSafetensors, type Tensor, writeSafetensors } from './safetensors.ts';

/** The `format` string every config carries. */
export const GNN_FORMAT = 'md-workbench-gnn';
/** The format version this code reads and writes. */
export const GNN_FORMAT_VERSION = 1;

/** Where a model came from (free-form, shown to the person who loads it). */
export interface GnnProvenance {
  /** What it was trained on (e.g. "Cu EAM Cu_u3.eam via LAMMPS, 2000 frames, 300–1200 K"). */
  trainingData: string;
  /** The code that made it (e.g. "tools/gnn/train.py @ <commit>"). */
  code: string;
  /** ISO 8601 date of export. */
  date: string;
  /** Measured accuracy, e.g. { "energyRmse_meV_per_atom": 2.1, "forceRmse_eV_per_A": 0.05 }. */
  metrics: Record<string, number>;
}

/** The JSON half of the format (docs/gnn-weights.md). */
export interface GnnConfig {
  format: typeof GNN_FORMAT;
  version: 1;
  /** Element symbols; model type t is elements[t]. */
  elements: string[];
  /** Cutoff radius, Å: neighbors with r < rcut. */
  rcut: number;
  /** Switch start, Å: s(r) = 1 for r ≤ rcutSmooth, C² quintic down to 0 at rcut. */
  rcutSmooth: number;
  /** Maximum neighbors per atom (the nearest `sel` are kept); also the message-sum normaliser. */
  sel: number;
  /** Node feature width. */
  nDim: number;
  /** Edge feature width. */
  eDim: number;
  /** Number of message-passing layers L ≥ 1. */
  nLayers: number;
  /** Number of Gaussian radial basis functions K ≥ 2. */
  nBasis: number;
  /** Hidden widths of every MLP (may be empty: one linear layer). */
  hidden: number[];
  /** Hidden-layer activation. */
  activation: 'silu';
  /** Energy added per atom of each element, eV. */
  energyBias: Record<string, number>;
  /** Units: always Å and eV. */
  units: { length: 'Å'; energy: 'eV' };
  provenance: GnnProvenance;
}

/** One linear layer y = W x + b, W row-major [nOut, nIn] (PyTorch's nn.Linear layout). */
export interface GnnLinear {
  nIn: number;
  nOut: number;
  weight: Float64Array;
  bias: Float64Array;
}

/** An MLP: linear layers with the activation between them (none after the last). */
export type GnnMlp = GnnLinear[];

/** One message-passing layer. */
export interface GnnLayer {
  /** [n_i, n_j, e_ij] (2·nDim + eDim) → message (nDim). */
  message: GnnMlp;
  /** [n_i, aggregated message] (2·nDim) → node update (nDim). */
  node: GnnMlp;
  /** [n_i, n_j, e_ij] → edge update (eDim); null in the last layer (its edges feed nothing). */
  edge: GnnMlp | null;
}

/** A parsed, validated model. */
export interface GnnModel {
  config: GnnConfig;
  /** Type embedding, [nTypes, nDim] row-major. */
  typeEmbedding: Float64Array;
  /** Radial basis (nBasis) → initial edge features (eDim). */
  edgeEmbedding: GnnMlp;
  layers: GnnLayer[];
  /** Node features (nDim) → per-atom energy (1), eV. */
  readout: GnnMlp;
  /** Energy bias per model type, eV (from config.energyBias, in element order). */
  energyBias: Float64Array;
}

/** Expected tensor names and shapes for a config, in file order. */
export function expectedTensorShapes(c: GnnConfig): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  shapes.set('type_embedding', [c.elements.length, c.nDim]);
  const mlp = (prefix: string, nIn: number, nOut: number) => {
    const widths = [nIn, ...c.hidden, nOut];
    for (let k = 0; k + 1 < widths.length; k++) {
      shapes.set(`${prefix}.${k}.weight`, [widths[k + 1]!, widths[k]!]);
      shapes.set(`${prefix}.${k}.bias`, [widths[k + 1]!]);
    }
  };
  mlp('edge_embedding', c.nBasis, c.eDim);
  for (let l = 0; l < c.nLayers; l++) {
    mlp(`layers.${l}.message`, 2 * c.nDim + c.eDim, c.nDim);
    mlp(`layers.${l}.node`, 2 * c.nDim, c.nDim);
    if (l < c.nLayers - 1) mlp(`layers.${l}.edge`, 2 * c.nDim + c.eDim, c.eDim);
  }
  mlp('readout', c.nDim, 1);
  return shapes;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates the JSON config text. */
export function parseGnnConfig(text: string, file: string): GnnConfig {
  const fail = (problem: string): never => {
    throw new ParseError(file, 0, problem);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail(`not JSON (${(e as Error).message})`);
  }
  if (!isRecord(raw)) return fail('the config must be a JSON object');
  if (raw.format !== GNN_FORMAT) fail(`format is ${JSON.stringify(raw.format)}; expected "${GNN_FORMAT}"`);
  if (raw.version !== GNN_FORMAT_VERSION) {
    fail(
      `unknown version ${JSON.stringify(raw.version)}; this workbench reads version ${GNN_FORMAT_VERSION}`,
    );
  }
  const posInt = (key: string, min: number): number => {
    const v = raw[key];
    if (!Number.isInteger(v) || (v as number) < min)
      fail(`${key} must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
    return v as number;
  };
  const posNum = (key: string, unit: string): number => {
    const v = raw[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      fail(`${key} must be a positive number (${unit}), got ${JSON.stringify(v)}`);
    }
    return v as number;
  };
  const elements = raw.elements;
  if (!Array.isArray(elements) || elements.length === 0 || !elements.every((e) => typeof e === 'string')) {
    return fail('elements must be a non-empty list of element symbols');
  }
  const seen = new Set<string>();
  for (const e of elements as string[]) {
    if (findElement(e)?.symbol !== e) fail(`elements: "${e}" is not an element symbol`);
    if (seen.has(e)) fail(`elements: "${e}" is listed twice`);
    seen.add(e);
  }
  const rcut = posNum('rcut', 'Å');
  const rcutSmooth = raw.rcutSmooth;
  if (typeof rcutSmooth !== 'number' || !(rcutSmooth >= 0 && rcutSmooth < rcut)) {
    fail(
      `rcutSmooth must be a number with 0 ≤ rcutSmooth < rcut = ${rcut} Å, got ${JSON.stringify(rcutSmooth)}`,
    );
  }
  const hidden = raw.hidden;
  if (!Array.isArray(hidden) || !hidden.every((h) => Number.isInteger(h) && h >= 1)) {
    fail('hidden must be a list of positive integer widths (may be empty)');
  }
  if (raw.activation !== 'silu')
    fail(`activation ${JSON.stringify(raw.activation)} is not supported ("silu")`);
  const bias = raw.energyBias;
  if (!isRecord(bias)) return fail('energyBias must map each element to an energy in eV');
  for (const key of Object.keys(bias)) {
    if (!seen.has(key)) fail(`energyBias: "${key}" is not one of the elements [${elements.join(', ')}]`);
  }
  for (const e of elements as string[]) {
    const b = bias[e];
    if (typeof b !== 'number' || !Number.isFinite(b)) fail(`energyBias: "${e}" needs a finite energy in eV`);
  }
  const units = raw.units;
  if (!isRecord(units) || units.length !== 'Å' || units.energy !== 'eV') {
    fail(`units must be {"length": "Å", "energy": "eV"}, got ${JSON.stringify(units)}`);
  }
  const p = raw.provenance;
  if (!isRecord(p)) return fail('provenance must be an object {trainingData, code, date, metrics}');
  for (const key of ['trainingData', 'code', 'date'] as const) {
    if (typeof p[key] !== 'string') fail(`provenance.${key} must be a string`);
  }
  if (!isRecord(p.metrics) || !Object.values(p.metrics).every((v) => typeof v === 'number')) {
    fail('provenance.metrics must map names to numbers');
  }
  return {
    format: GNN_FORMAT,
    version: 1,
    elements: elements as string[],
    rcut,
    rcutSmooth: rcutSmooth as number,
    sel: posInt('sel', 1),
    nDim: posInt('nDim', 1),
    eDim: posInt('eDim', 1),
    nLayers: posInt('nLayers', 1),
    nBasis: posInt('nBasis', 2),
    hidden: hidden as number[],
    activation: 'silu',
    energyBias: bias as Record<string, number>,
    units: { length: 'Å', energy: 'eV' },
    provenance: {
      trainingData: p.trainingData as string,
      code: p.code as string,
      date: p.date as string,
      metrics: p.metrics as Record<string, number>,
    },
  };
}

/**
 * Parses and validates a model from its two files.
 * @param configText Contents of `<name>.json`.
 * @param tensorBytes Contents of `<name>.safetensors`.
 * @param names File names for messages.
 */
export function parseGnnWeights(
  configText: string,
  tensorBytes: Uint8Array,
  names: { config: string; tensors: string },
): GnnModel {
  const config = parseGnnConfig(configText, names.config);
  const { tensors } = parseSafetensors(tensorBytes, names.tensors);
  const fail = (problem: string): never => {
    throw new ParseError(names.tensors, 0, problem);
  };
  const expected = expectedTensorShapes(config);
  for (const [name, shape] of expected) {
    const t = tensors.get(name);
    if (!t) {
      return fail(`missing tensor "${name}" (shape [${shape.join(', ')}]) required by ${names.config}`);
    }
    if (t.shape.length !== shape.length || t.shape.some((d, k) => d !== shape[k])) {
      fail(
        `tensor "${name}" has shape [${t.shape.join(', ')}]; expected [${shape.join(', ')}] from ${names.config}`,
      );
    }
    const bad = t.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) fail(`tensor "${name}" has ${t.data[bad]} at flat index ${bad}`);
  }
  for (const name of tensors.keys()) {
    if (!expected.has(name))
      fail(`unexpected tensor "${name}" (not part of the architecture in ${names.config})`);
  }
  const data = (name: string) => tensors.get(name)!.data;
  const mlp = (prefix: string, nIn: number, nOut: number): GnnMlp => {
    const widths = [nIn, ...config.hidden, nOut];
    return widths.slice(1).map((w, k) => ({
      nIn: widths[k]!,
      nOut: w,
      weight: data(`${prefix}.${k}.weight`),
      bias: data(`${prefix}.${k}.bias`),
    }));
  };
  const { nDim, eDim } = config;
  const layers: GnnLayer[] = [];
  for (let l = 0; l < config.nLayers; l++) {
    layers.push({
      message: mlp(`layers.${l}.message`, 2 * nDim + eDim, nDim),
      node: mlp(`layers.${l}.node`, 2 * nDim, nDim),
      edge: l < config.nLayers - 1 ? mlp(`layers.${l}.edge`, 2 * nDim + eDim, eDim) : null,
    });
  }
  return {
    config,
    typeEmbedding: data('type_embedding'),
    edgeEmbedding: mlp('edge_embedding', config.nBasis, eDim),
    layers,
    readout: mlp('readout', nDim, 1),
    energyBias: Float64Array.from(config.elements, (e) => config.energyBias[e]!),
  };
}

/**
 * Maps the elements of a structure onto model types.
 * @param structureElements Element symbol of each structure type (e.g. ['Cu', 'Ag']); 'NULL' maps to −1.
 * @returns model type per structure type (−1 for NULL).
 * @throws Error naming every element the model lacks and the elements it has.
 */
export function checkElements(model: GnnModel, structureElements: readonly string[]): Int32Array {
  const { elements } = model.config;
  const missing = structureElements.filter((e) => e !== 'NULL' && !elements.includes(e));
  if (missing.length > 0) {
    throw new Error(
      `the GNN model has no parameters for ${[...new Set(missing)].join(', ')}; it knows ${elements.join(', ')} ` +
        '(map those atoms to NULL or use a model trained on them)',
    );
  }
  return Int32Array.from(structureElements, (e) => (e === 'NULL' ? -1 : elements.indexOf(e)));
}

/**
 * Writes a model in format version 1.
 * @param dtype Tensor dtype ('F64' keeps the weights exact; 'F32' halves the size).
 * @returns The two files' contents.
 */
export function writeGnnWeights(
  model: GnnModel,
  dtype: 'F32' | 'F64' = 'F64',
): { config: string; tensors: Uint8Array } {
  const tensors = new Map<string, Tensor>();
  const shapes = expectedTensorShapes(model.config);
  const put = (name: string, data: Float64Array) =>
    tensors.set(name, { dtype, shape: shapes.get(name)!, data });
  put('type_embedding', model.typeEmbedding);
  const mlp = (prefix: string, m: GnnMlp) =>
    m.forEach((lin, k) => {
      put(`${prefix}.${k}.weight`, lin.weight);
      put(`${prefix}.${k}.bias`, lin.bias);
    });
  mlp('edge_embedding', model.edgeEmbedding);
  model.layers.forEach((layer, l) => {
    mlp(`layers.${l}.message`, layer.message);
    mlp(`layers.${l}.node`, layer.node);
    if (layer.edge) mlp(`layers.${l}.edge`, layer.edge);
  });
  mlp('readout', model.readout);
  return {
    config: `${JSON.stringify(model.config, null, 2)}\n`,
    tensors: writeSafetensors(tensors, { format: GNN_FORMAT, version: String(GNN_FORMAT_VERSION) }),
  };
}
