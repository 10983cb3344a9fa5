/**
 * The GNN on the GPU, pair path (kernels/gnn/pair/): for models whose MLPs have one hidden layer
 * (the architecture of the shipped models). Nothing is stored per edge but its geometry and one
 * scalar: each pass recomputes what it needs of an edge from its length and per-atom inputs,
 * using that the first linear layer of the message and edge MLPs splits into per-atom halves
 * (P_c + Q_nb + W_e e) and that the message MLP's last layer commutes with the sum over neighbors
 * (kernels/gnn/pair/common.wgsl). Per evaluation, with L layers:
 *
 *   start      list (compact the Verlet row to the pairs within rcut), cut (nearest-sel), links
 *              (selection both ways and the reverse slot of every pair)
 *   layer l    project (P, Q of every atom), message (Σ s silu(h) per atom), node update
 *   readout    E_i and n̄ = ∂E/∂n^L
 *   backward l node backward (n̄ through the node MLP, the gate G = W₂ᵀā/sel), and for l ≥ 1 the edge
 *              contributions to n̄ (edge i → j and j → i recomputed in i's workgroup: no scatter)
 *   forces     pair gradient (r̄_ij of every edge), forces and per-atom virials from r̄_ij + r̄_ji
 *
 * An edge costs E·H multiply-adds per first layer it passes through (plus H·E per edge-MLP output
 * layer), against (2N + E)·H + H·N for the concatenated MLPs of the slot path (gnn.ts); the edge
 * embedding is a table of r (embeddingTable). Memory per pair is 28 bytes (pairs, keys, links, r̄),
 * so large systems fit the storage binding limit. The stages keep the slot path's contract for the
 * decomposition (decomposition/gnnGpu.ts): node features [L+1][N][nDim], n̄ [N][nDim] after each
 * backward stage l ≥ 1 (after backward 0 it holds only the node-MLP part: n⁰'s gradient feeds nothing).
 */
import gnnCommonWgsl from '../../../kernels/gnn/gnn_common.wgsl?raw';
import gnnTileWgsl from '../../../kernels/gnn/gnn_tile.wgsl?raw';
import pairCommonWgsl from '../../../kernels/gnn/pair/common.wgsl?raw';
import pairCutWgsl from '../../../kernels/gnn/pair/cut.wgsl?raw';
import pairEdgeBackwardWgsl from '../../../kernels/gnn/pair/edge_backward.wgsl?raw';
import pairForcesWgsl from '../../../kernels/gnn/pair/forces.wgsl?raw';
import pairLinksWgsl from '../../../kernels/gnn/pair/links.wgsl?raw';
import pairListWgsl from '../../../kernels/gnn/pair/list.wgsl?raw';
import pairMessageWgsl from '../../../kernels/gnn/pair/message.wgsl?raw';
import pairNodeBackwardWgsl from '../../../kernels/gnn/pair/node_backward.wgsl?raw';
import pairNodeUpdateWgsl from '../../../kernels/gnn/pair/node_update.wgsl?raw';
import pairGradientWgsl from '../../../kernels/gnn/pair/pair_gradient.wgsl?raw';
import pairProjectWgsl from '../../../kernels/gnn/pair/project.wgsl?raw';
import pairReadoutWgsl from '../../../kernels/gnn/pair/readout.wgsl?raw';
import pairSelectWgsl from '../../../kernels/gnn/pair/select.wgsl?raw';
import type { GnnLinear, GnnModel } from '../../io/gnnWeights.ts';
import { radialBasis, smoothSwitch } from '../reference/gnnMlp.ts';
import type { BatchBuffers } from './buffers.ts';
import {
  compileGnnPass,
  createGnnParams,
  type GnnStage,
  type GnnStatus,
  type GpuGnn,
  gnnEvaluationStages,
  gnnTileSize,
  readGnnStatus,
  writeGnnParams,
} from './gnn.ts';
import { WORKGROUP_SIZE, workgroupsFor } from './kernels.ts';
import { commonSource } from './shaders.ts';

/** Threads per workgroup of the per-atom pair passes (one workgroup per atom). */
export const PAIR_WG = 64;

/** Whether the pair path runs a model: every MLP has exactly one hidden layer. */
export function pairPathSupports(model: GnnModel): boolean {
  return model.config.hidden.length === 1;
}

/**
 * Whether the pair passes fit the device: the edge weights in uniform buffers, or else two more
 * storage buffers than the 8 the edge backward binds.
 */
export function pairPathFits(device: GPUDevice, layout: PairWeightLayout): boolean {
  return (
    16 * Math.max(layout.length, layout.lengthT) <= device.limits.maxUniformBufferBindingSize ||
    device.limits.maxStorageBuffersPerShaderStage >= 10
  );
}

const vec4s = (n: number) => Math.ceil(n / 4);

/** Knots of the edge-embedding table over [0, rcut] (pair/common.wgsl embedAt). */
export const TABLE_KNOTS = 4096;

/**
 * The edge embedding e⁰(r) = MLP_embed(φ(r)·s(r)) and de⁰/dr at TABLE_KNOTS knots r_m = m·h,
 * h = rcut / (TABLE_KNOTS − 1), in f64 (forward mode through the MLP), as the f32 intervals of
 * pair/common.wgsl's cubic Hermite interpolation: [interval m][y_m, y_(m+1) − y_m, h·y′_m,
 * h·y′_(m+1)][4·E4]. Interpolation error is far below f32 rounding (knots 1.3e-3 Å apart at
 * rcut 5.5 Å, against Gaussians rcut/(nBasis − 1) wide).
 */
export function embeddingTable(model: GnnModel): Float32Array<ArrayBuffer> {
  const c = model.config;
  const e4 = 4 * vec4s(c.eDim);
  const h = c.rcut / (TABLE_KNOTS - 1);
  const phi = new Float64Array(c.nBasis);
  const dphi = new Float64Array(c.nBasis);
  const sw = new Float64Array(2);
  const [l1, l2] = model.edgeEmbedding as [GnnLinear, GnnLinear];
  const x = new Float64Array(c.nBasis);
  const dx = new Float64Array(c.nBasis);
  const a = new Float64Array(l1.nOut);
  const da = new Float64Array(l1.nOut);
  const values = new Float64Array(TABLE_KNOTS * e4);
  const slopes = new Float64Array(TABLE_KNOTS * e4);
  for (let m = 0; m < TABLE_KNOTS; m++) {
    const r = m * h;
    smoothSwitch(r, c.rcutSmooth, c.rcut, sw);
    radialBasis(r, c.rcut, phi, dphi);
    for (let k = 0; k < c.nBasis; k++) {
      x[k] = phi[k]! * sw[0]!;
      dx[k] = dphi[k]! * sw[0]! + phi[k]! * sw[1]!;
    }
    for (let o = 0; o < l1.nOut; o++) {
      let z = l1.bias[o]!;
      let dz = 0;
      for (let k = 0; k < l1.nIn; k++) {
        z += l1.weight[o * l1.nIn + k]! * x[k]!;
        dz += l1.weight[o * l1.nIn + k]! * dx[k]!;
      }
      const sig = 1 / (1 + Math.exp(-z));
      a[o] = z * sig;
      da[o] = sig * (1 + z * (1 - sig)) * dz;
    }
    for (let o = 0; o < l2.nOut; o++) {
      let e = l2.bias[o]!;
      let de = 0;
      for (let k = 0; k < l2.nIn; k++) {
        e += l2.weight[o * l2.nIn + k]! * a[k]!;
        de += l2.weight[o * l2.nIn + k]! * da[k]!;
      }
      values[m * e4 + o] = e;
      slopes[m * e4 + o] = de * h;
    }
  }
  const table = new Float32Array((TABLE_KNOTS - 1) * 4 * e4);
  for (let m = 0; m + 1 < TABLE_KNOTS; m++) {
    for (let o = 0; o < e4; o++) {
      const at = m * 4 * e4 + o;
      table[at] = values[m * e4 + o]!;
      table[at + e4] = values[(m + 1) * e4 + o]! - values[m * e4 + o]!;
      table[at + 2 * e4] = slopes[m * e4 + o]!;
      table[at + 3 * e4] = slopes[(m + 1) * e4 + o]!;
    }
  }
  return table;
}

/**
 * Offsets (in vec4s) of the per-edge matrices: in `ew` the forward ones, in `ewt` their transposes
 * for the backward passes (pair/common.wgsl).
 */
export interface PairWeightLayout {
  /** Per layer: the e-columns of the message MLP's first layer (E → H), and in ewt its transpose. */
  message: number[];
  messageT: number[];
  /** Per layer but the last: the e-columns of the edge MLP's first layer, and its transpose. */
  edge: number[];
  edgeT: number[];
  /** Per layer but the last: the edge MLP's output layer (H → E), its bias, and its transpose. */
  edgeOut: number[];
  edgeOutBias: number[];
  edgeOutT: number[];
  /** vec4s of ew and of ewt. */
  length: number;
  lengthT: number;
}

/**
 * Packs the per-edge matrices input-major (row q: the outputs of input q as vec4s; inputs and
 * outputs zero-padded to multiples of 4), so y = W x sums rows scaled by x_q: per layer the e-columns
 * of the first linear layers and the edge MLP's output layer in `data`, their transposes in `dataT`.
 */
export function packPairWeights(model: GnnModel): {
  data: Float32Array<ArrayBuffer>;
  dataT: Float32Array<ArrayBuffer>;
  layout: PairWeightLayout;
} {
  const c = model.config;
  const values: number[] = [];
  const valuesT: number[] = [];
  /** Inputs [from, from + count) of `lin`, input-major (or output-major with `transpose`), padded. */
  const matrix = (lin: GnnLinear, from: number, count: number, transpose: boolean) => {
    const into = transpose ? valuesT : values;
    const at = into.length / 4;
    const [rows, columns] = transpose ? [lin.nOut, count] : [count, lin.nOut];
    for (let a = 0; a < 4 * vec4s(rows); a++) {
      for (let b = 0; b < 4 * vec4s(columns); b++) {
        const [q, o] = transpose ? [b, a] : [a, b];
        into.push(q < count && o < lin.nOut ? lin.weight[o * lin.nIn + from + q]! : 0);
      }
    }
    return at;
  };
  const bias = (lin: GnnLinear) => {
    const at = values.length / 4;
    for (let o = 0; o < 4 * vec4s(lin.nOut); o++) values.push(o < lin.nOut ? lin.bias[o]! : 0);
    return at;
  };
  const layout: PairWeightLayout = {
    message: [],
    messageT: [],
    edge: [],
    edgeT: [],
    edgeOut: [],
    edgeOutBias: [],
    edgeOutT: [],
    length: 0,
    lengthT: 0,
  };
  for (const layer of model.layers) {
    const first = layer.message[0]!;
    layout.message.push(matrix(first, 2 * c.nDim, c.eDim, false));
    layout.messageT.push(matrix(first, 2 * c.nDim, c.eDim, true));
    if (layer.edge) {
      const [edgeIn, edgeOut] = layer.edge as [GnnLinear, GnnLinear];
      layout.edge.push(matrix(edgeIn, 2 * c.nDim, c.eDim, false));
      layout.edgeT.push(matrix(edgeIn, 2 * c.nDim, c.eDim, true));
      layout.edgeOut.push(matrix(edgeOut, 0, edgeOut.nIn, false));
      layout.edgeOutBias.push(bias(edgeOut));
      layout.edgeOutT.push(matrix(edgeOut, 0, edgeOut.nIn, true));
    }
  }
  layout.length = values.length / 4;
  layout.lengthT = valuesT.length / 4;
  return { data: Float32Array.from(values), dataT: Float32Array.from(valuesT), layout };
}

/**
 * The per-atom halves of the first linear layers (project.wgsl), input-major so that the threads of
 * consecutive outputs read consecutive words: [layer][part][nDim + 1][4·H4], part 0 P_msg, 1 Q_msg,
 * 2 P_edge, 3 Q_edge (zero in the last layer); row nDim is the bias (P parts only).
 */
export function packProjectionWeights(model: GnnModel): Float32Array<ArrayBuffer> {
  const c = model.config;
  const h = 4 * vec4s(c.hidden[0]!);
  const out = new Float32Array(c.nLayers * 4 * (c.nDim + 1) * h);
  model.layers.forEach((layer, l) => {
    for (let part = 0; part < 4; part++) {
      const lin = part < 2 ? layer.message[0]! : layer.edge?.[0];
      if (!lin) continue;
      const column = part % 2 === 1 ? c.nDim : 0;
      const at = (l * 4 + part) * (c.nDim + 1) * h;
      for (let o = 0; o < lin.nOut; o++) {
        for (let q = 0; q < c.nDim; q++) out[at + q * h + o] = lin.weight[o * lin.nIn + column + q]!;
        if (part % 2 === 0) out[at + c.nDim * h + o] = lin.bias[o]!;
      }
    }
  });
  return out;
}

/**
 * WGSL of the per-edge chains of the pair passes for `layer` (edgeMessage, edgeGradient,
 * pairGradient): straight-line code over the model's layers with the weight offsets inlined. The
 * edge MLP's pre-activations he_k are kept from the forward part for the backward part (recomputing
 * them instead was 1.4× slower on an H100 at 32,000 atoms despite fewer live values).
 */
export function pairChainSource(model: GnnModel, w: PairWeightLayout, layer: number): string {
  const L = model.config.nLayers;
  const u = (v: number) => `${v}u`;
  const hm = (k: number) => `preact(${u(k)}, 0u, c, nb, ${u(w.message[k]!)}, e${k})`;
  const he = (k: number) => `preact(${u(k)}, 2u, c, nb, ${u(w.edge[k]!)}, e${k})`;
  /** e0 … e(upTo) of the edge c → nb. */
  const forward = (upTo: number) => {
    const out = ['  let e0 = embedAt(r).e;'];
    for (let k = 0; k < upTo; k++) {
      out.push(
        `  let he${k} = ${he(k)};`,
        `  let e${k + 1} = edgeUpdate(${u(w.edgeOut[k]!)}, ${u(w.edgeOutBias[k]!)}, he${k}, e${k});`,
      );
    }
    return out;
  };
  /** eb ← ∂E/∂e^down, from the last layer down (sbar gathers ∂E/∂s when `withSwitch`). */
  const backward = (down: number, withSwitch: boolean) => {
    const out = ['  var eb: EV;'];
    for (let k = L - 1; k >= down; k--) {
      out.push('  {', `    let g = messageGate(${hm(k)}, ${u(k)}, c, s);`);
      if (withSwitch) out.push('    sbar += g.sbar;');
      if (k < L - 1) {
        out.push(
          `    let dz = mulH(siluDerivativeH(he${k}), backE2H(${u(w.edgeOutT[k]!)}, eb));`,
          `    eb = backH2E(${u(w.edgeT[k]!)}, dz, backH2E(${u(w.messageT[k]!)}, g.dh, eb));`,
        );
      } else {
        out.push(`    eb = backH2E(${u(w.messageT[k]!)}, g.dh, eb);`);
      }
      out.push('  }');
    }
    return out;
  };
  return [
    // edgeMessage: s·silu(h) of this layer's message MLP.
    'fn edgeMessage(c: u32, nb: u32, r: f32, s: f32) -> HV {',
    ...forward(layer),
    `  return scaleH(siluH(${hm(layer)}), s);`,
    '}',
    '',
    'struct EdgeGrad { m: HV, e: HV }',
    '',
    // edgeGradient: ∂E/∂h of this layer's message and edge MLPs (forward, then ē from the layers above).
    'fn edgeGradient(c: u32, nb: u32, r: f32, s: f32) -> EdgeGrad {',
    ...forward(L - 1),
    ...(layer + 1 <= L - 1 ? backward(layer + 1, false) : []),
    '  var g: EdgeGrad;',
    `  g.m = messageGate(${hm(layer)}, ${u(layer)}, c, s).dh;`,
    ...(layer < L - 1
      ? [`  g.e = mulH(siluDerivativeH(he${layer}), backE2H(${u(w.edgeOutT[layer]!)}, eb));`]
      : []),
    '  return g;',
    '}',
    '',
    // pairGradient: r̄ = ∂E/∂r of the edge.
    'fn pairGradient(c: u32, nb: u32, r: f32, s: f32, ds: f32) -> f32 {',
    '  var sbar = 0.0;',
    ...forward(L - 1),
    ...backward(0, true),
    '  let de = embedAt(r).de;',
    '  var rb = sbar * ds;',
    '  for (var q = 0u; q < E4; q++) {',
    '    rb += dot(eb[q], de[q]);',
    '  }',
    '  return rb;',
    '}',
  ].join('\n');
}

/** The pair passes. */
const PASSES = {
  list: pairListWgsl,
  cut: pairCutWgsl,
  links: pairLinksWgsl,
  project: pairProjectWgsl,
  nodeUpdate: pairNodeUpdateWgsl,
  readout: pairReadoutWgsl,
  nodeBackward: pairNodeBackwardWgsl,
  forces: pairForcesWgsl,
} as const;
type PairPass = keyof typeof PASSES;
/** Per-atom MLP passes that run one workgroup per tile of atoms (gnn_tile.wgsl). */
const TILE_PASSES: ReadonlySet<PairPass> = new Set<PairPass>(['nodeUpdate', 'readout', 'nodeBackward']);

/** The per-edge passes (pair/common.wgsl and the generated chains), compiled per layer. */
const EDGE_PASSES = {
  message: pairMessageWgsl,
  edgeBackward: pairEdgeBackwardWgsl,
  pairGradient: pairGradientWgsl,
};
type EdgePass = keyof typeof EDGE_PASSES;

/** Storage buffers bigger than the binding limit are refused with what to do. */
function storage(device: GPUDevice, label: string, bytes: number, what: string): GPUBuffer {
  const limit = device.limits.maxStorageBufferBindingSize;
  if (bytes > limit) {
    throw new Error(
      `${label} of the GNN for ${what} needs ${bytes} bytes, above this device's storage binding limit of ${limit}: use fewer atoms per worker`,
    );
  }
  return device.createBuffer({
    label: `gnn ${label}`,
    size: Math.max(16, Math.ceil(bytes / 16) * 16),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
}

/** Pipelines of the pair path for one model and type map. */
export interface PairPipelines {
  atom: Record<PairPass, GPUComputePipeline>;
  /** Per layer (pairGradient: one, at 0; edgeBackward: none at layer 0, whose n̄ nothing reads). */
  edge: Record<EdgePass, (GPUComputePipeline | undefined)[]>;
  /** Whether `ew` is a uniform buffer (else storage). */
  uniformWeights: boolean;
  /** Atoms per workgroup of the tile passes. */
  tile: number;
}

/** The prelude of the pair passes (after gnnPrelude). */
function pairPrelude(model: GnnModel, w: PairWeightLayout, uniformWeights: boolean, layer: number): string {
  const c = model.config;
  const u = (v: number) => `${v}u`;
  const H = c.hidden[0]!;
  const declare = (name: string, binding: number, length: number) =>
    uniformWeights
      ? `@group(0) @binding(${binding}) var<uniform> ${name}: array<vec4f, ${Math.max(1, length)}>;`
      : `@group(0) @binding(${binding}) var<storage, read> ${name}: array<vec4f>;`;
  return [
    `const PAIR_WG: u32 = ${u(PAIR_WG)};`,
    `const HIDDEN_WIDTH: u32 = ${u(H)};`,
    `const TABLE_KNOTS: u32 = ${u(TABLE_KNOTS)};`,
    `const TABLE_SCALE: f32 = ${(TABLE_KNOTS - 1) / c.rcut};`,
    `const E4: u32 = ${u(vec4s(c.eDim))};`,
    `const H4: u32 = ${u(vec4s(H))};`,
    `const LAYER: u32 = ${u(layer)};`,
    `const HAS_EDGE_MLP: bool = ${layer < c.nLayers - 1};`,
    `const SUM_SIZE: u32 = ${u(4 * vec4s(H))};`,
    declare('ew', 15, w.length),
    declare('ewt', 16, w.lengthT),
    '',
  ].join('\n');
}

/** Compiles the pair passes (throws with the compiler's messages when one does not compile). */
export async function compilePairPipelines(
  device: GPUDevice,
  model: GnnModel,
  prelude: string,
  layout: PairWeightLayout,
): Promise<PairPipelines> {
  const uniformWeights =
    16 * Math.max(layout.length, layout.lengthT) <= device.limits.maxUniformBufferBindingSize;
  const tile = gnnTileSize(model, device.limits.maxComputeWorkgroupStorageSize);
  const tiled = (name: PairPass) =>
    TILE_PASSES.has(name) ? [`const TILE: u32 = ${tile}u;`, gnnTileWgsl] : [];
  const base = (layer: number) => [
    commonSource(),
    prelude,
    pairPrelude(model, layout, uniformWeights, layer),
    gnnCommonWgsl,
    pairSelectWgsl,
  ];
  const compile = (label: string, code: string) => compileGnnPass(device, label, code);
  const atomNames = Object.keys(PASSES) as PairPass[];
  const L = model.config.nLayers;
  const layers = Array.from({ length: L }, (_, l) => l);
  const [atom, message, edgeBackward, pairGradient] = await Promise.all([
    Promise.all(
      atomNames.map((name) =>
        compile(`gnn pair ${name}`, [...base(0), ...tiled(name), PASSES[name]].join('\n')),
      ),
    ),
    Promise.all(
      layers.map((l) =>
        compile(
          `gnn pair message ${l}`,
          [...base(l), pairCommonWgsl, pairChainSource(model, layout, l), EDGE_PASSES.message].join('\n'),
        ),
      ),
    ),
    Promise.all(
      layers
        .filter((l) => l >= 1)
        .map((l) =>
          compile(
            `gnn pair edge backward ${l}`,
            [...base(l), pairCommonWgsl, pairChainSource(model, layout, l), EDGE_PASSES.edgeBackward].join(
              '\n',
            ),
          ),
        ),
    ),
    compile(
      'gnn pair gradient',
      [...base(0), pairCommonWgsl, pairChainSource(model, layout, 0), EDGE_PASSES.pairGradient].join('\n'),
    ),
  ]);
  return {
    atom: Object.fromEntries(atomNames.map((name, k) => [name, atom[k]!])) as Record<
      PairPass,
      GPUComputePipeline
    >,
    // Layer 0 has no edge backward pass: index l − 1 → l by a leading hole.
    edge: { message, edgeBackward: [undefined, ...edgeBackward], pairGradient: [pairGradient] },
    uniformWeights,
    tile,
  };
}

/** Buffers sized by the Verlet list's capacity (pairs per atom). */
interface PairScratch {
  capacity: number;
  pairs: GPUBuffer;
  keys: GPUBuffer;
  links: GPUBuffer;
  rbar: GPUBuffer;
}

/** The GNN's pair path over the engine's Verlet list ({@link GpuGnn}). */
export class GpuGnnPairs implements GpuGnn {
  readonly label = 'gnn';
  private readonly device: GPUDevice;
  private readonly weights: GPUBuffer;
  private readonly edgeWeights: GPUBuffer;
  private readonly edgeWeightsT: GPUBuffer;
  private readonly table: GPUBuffer;
  private readonly projWeights: GPUBuffer;
  private readonly params: GPUBuffer[];
  private readonly nodeFeatures: GPUBuffer;
  private readonly aggregates: GPUBuffer;
  private readonly energies: GPUBuffer;
  private readonly nodeGrad: GPUBuffer;
  private readonly proj: GPUBuffer;
  private readonly gate: GPUBuffer;
  private readonly edgeSums: GPUBuffer;
  private readonly atomSel: GPUBuffer;
  private readonly status: GPUBuffer;
  private scratch: PairScratch;
  private neighbors: GPUBuffer;
  private groups: {
    atom: Partial<Record<PairPass, GPUBindGroup[]>>;
    edge: Partial<Record<EdgePass, (GPUBindGroup | undefined)[]>>;
  } = { atom: {}, edge: {} };
  /**
   * Workgroups of each dispatch shape (2-D): one thread per atom, one workgroup per atom, one thread
   * per atom, part and output (project), one workgroup per tile of atoms.
   */
  private readonly grids: Record<'atoms' | 'workgroups' | 'project' | 'tiles', [number, number]>;
  private readonly stages: GnnStage[];

  constructor(
    device: GPUDevice,
    private readonly b: BatchBuffers,
    private readonly model: GnnModel,
    private readonly pipelines: PairPipelines,
    weights: Float32Array<ArrayBuffer>,
    edgeWeights: { data: Float32Array<ArrayBuffer>; dataT: Float32Array<ArrayBuffer> },
    neighbors: GPUBuffer,
  ) {
    this.device = device;
    const c = model.config;
    const n = b.nAtoms;
    const H4 = vec4s(c.hidden[0]!);
    const what = `${n} atoms (nDim ${c.nDim}, hidden ${c.hidden[0]}, ${c.nLayers} layers)`;
    const make = (label: string, bytes: number) => storage(device, label, bytes, what);
    const upload = (label: string, data: Float32Array<ArrayBuffer>, usage: number) => {
      const buffer = device.createBuffer({
        label,
        size: Math.max(16, data.byteLength),
        usage: usage | GPUBufferUsage.COPY_DST,
      });
      device.queue.writeBuffer(buffer, 0, data);
      return buffer;
    };
    this.weights = upload('gnn weights', weights, GPUBufferUsage.STORAGE);
    const usage = pipelines.uniformWeights ? GPUBufferUsage.UNIFORM : GPUBufferUsage.STORAGE;
    this.edgeWeights = upload('gnn edge weights', edgeWeights.data, usage);
    this.edgeWeightsT = upload('gnn edge weights (transposed)', edgeWeights.dataT, usage);
    this.table = upload('gnn embedding table', embeddingTable(model), GPUBufferUsage.STORAGE);
    this.projWeights = upload('gnn projection weights', packProjectionWeights(model), GPUBufferUsage.STORAGE);
    this.params = createGnnParams(device, model);
    this.nodeFeatures = make('node features', 4 * (c.nLayers + 1) * n * c.nDim);
    this.aggregates = make('aggregates', 4 * c.nLayers * n * c.nDim);
    this.energies = make('energies', 4 * n);
    this.nodeGrad = make('node gradient', 4 * n * c.nDim);
    this.proj = make('projections', 16 * c.nLayers * n * 4 * H4);
    this.gate = make('gates', 16 * c.nLayers * n * (H4 + 1));
    this.edgeSums = make('edge sums', 16 * n * (H4 + 1));
    this.atomSel = make('selection', 16 * n);
    this.status = device.createBuffer({
      label: 'gnn status',
      size: 16,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    const limit = device.limits.maxComputeWorkgroupsPerDimension;
    const grid = (count: number): [number, number] => {
      const y = Math.max(1, Math.ceil(count / limit));
      return [Math.max(1, Math.ceil(count / y)), y];
    };
    this.grids = {
      atoms: [workgroupsFor(n, device), 1],
      workgroups: grid(n),
      project: grid(Math.ceil((16 * H4 * n) / WORKGROUP_SIZE)),
      tiles: grid(Math.ceil(n / pipelines.tile)),
    };
    this.stages = gnnEvaluationStages(c.nLayers);
    this.neighbors = neighbors;
    this.scratch = this.createScratch(neighbors);
    this.bind();
  }

  private createScratch(neighbors: GPUBuffer): PairScratch {
    const n = this.b.nAtoms;
    // Rows of the Verlet list: counts, then `capacity` entry rows (the buffer may hold more).
    const capacity = Math.max(1, Math.floor(neighbors.size / (4 * n)) - 1);
    const what = `${n} atoms × ${capacity} neighbors`;
    const created: GPUBuffer[] = [];
    const make = (label: string, bytes: number) => {
      try {
        const buffer = storage(this.device, label, bytes, what);
        created.push(buffer);
        return buffer;
      } catch (error) {
        for (const buffer of created) buffer.destroy();
        throw error;
      }
    };
    const scratch: PairScratch = {
      capacity,
      pairs: make('pairs', 16 * n * capacity),
      keys: make('pair keys', 4 * n * capacity),
      links: make('pair links', 4 * n * capacity),
      rbar: make('pair gradient', 4 * n * capacity),
    };
    writeGnnParams(this.device, this.params, this.model, n, capacity, this.grids.project[0] * WORKGROUP_SIZE);
    return scratch;
  }

  private bind(): void {
    const b = this.b;
    const s = this.scratch;
    const p = this.pipelines;
    const group = (pipeline: GPUComputePipeline, label: string, entries: [number, GPUBuffer][]) =>
      this.device.createBindGroup({
        label,
        layout: pipeline.getBindGroupLayout(0),
        entries: entries.map(([binding, buffer]) => ({ binding, resource: { buffer } })),
      });
    const L = this.model.config.nLayers;
    const layers = Array.from({ length: L }, (_, l) => l);
    const w = this.weights;
    const prm = this.params;
    const atom = (name: PairPass, layer: number, entries: [number, GPUBuffer][]) =>
      group(p.atom[name], `gnn pair ${name} ${layer}`, entries);
    const shared = (l: number): [number, GPUBuffer][] => [
      [1, prm[l]!],
      [10, s.pairs],
      [11, this.atomSel],
      [12, this.proj],
      [14, s.links],
      [15, this.edgeWeights],
      [9, this.table],
    ];
    this.groups = {
      atom: {
        list: [
          atom('list', 0, [
            [1, prm[0]!],
            [2, b.positions],
            [3, b.systemOf],
            [4, b.systems],
            [5, this.neighbors],
            [6, s.pairs],
            [7, s.keys],
            [8, this.atomSel],
          ]),
        ],
        cut: [
          atom('cut', 0, [
            [1, prm[0]!],
            [2, s.pairs],
            [3, b.originalIndex],
            [4, this.atomSel],
            [5, this.status],
          ]),
        ],
        links: [
          atom('links', 0, [
            [1, prm[0]!],
            [2, s.pairs],
            [3, s.keys],
            [4, b.originalIndex],
            [5, this.atomSel],
            [6, s.links],
            [7, this.status],
          ]),
        ],
        project: layers.map((l) =>
          atom('project', l, [
            [0, w],
            [5, this.projWeights],
            [1, prm[l]!],
            [2, b.positions],
            [3, this.nodeFeatures],
            [4, this.proj],
          ]),
        ),
        nodeUpdate: layers.map((l) =>
          atom('nodeUpdate', l, [
            [0, w],
            [1, prm[l]!],
            [2, b.positions],
            [3, this.edgeSums],
            [4, this.nodeFeatures],
            [5, this.aggregates],
          ]),
        ),
        readout: [
          atom('readout', 0, [
            [0, w],
            [1, prm[0]!],
            [2, b.positions],
            [3, this.nodeFeatures],
            [4, this.energies],
            [5, this.nodeGrad],
          ]),
        ],
        nodeBackward: layers.map((l) =>
          atom('nodeBackward', l, [
            [0, w],
            [1, prm[l]!],
            [2, b.positions],
            [3, this.nodeFeatures],
            [4, this.aggregates],
            [5, this.nodeGrad],
            [6, this.gate],
          ]),
        ),
        forces: [
          atom('forces', 0, [
            [1, prm[0]!],
            [2, s.pairs],
            [3, this.atomSel],
            [4, s.links],
            [5, s.rbar],
            [6, this.energies],
            [7, b.forces],
            [8, b.virials],
          ]),
        ],
      },
      edge: {
        message: layers.map((l) =>
          group(p.edge.message[l]!, `gnn pair message ${l}`, [...shared(l), [2, this.edgeSums]]),
        ),
        edgeBackward: layers.map((l) =>
          l === 0
            ? undefined
            : group(p.edge.edgeBackward[l]!, `gnn pair edge backward ${l}`, [
                ...shared(l),
                [0, w],
                [2, this.nodeGrad],
                [13, this.gate],
                // Only layers below the last go back through later layers (backH2E, backE2H).
                ...(l < L - 1 ? [[16, this.edgeWeightsT] as [number, GPUBuffer]] : []),
              ]),
        ),
        pairGradient: [
          group(p.edge.pairGradient[0]!, 'gnn pair gradient', [
            ...shared(0),
            [2, s.rbar],
            [13, this.gate],
            [16, this.edgeWeightsT],
          ]),
        ],
      },
    };
  }

  setNeighbors(neighbors: GPUBuffer): void {
    const next = this.createScratch(neighbors);
    this.destroyScratch();
    this.scratch = next;
    this.neighbors = neighbors;
    this.bind();
  }

  encode(encoder: GPUCommandEncoder): void {
    encoder.clearBuffer(this.status);
    const pass = encoder.beginComputePass({ label: 'gnn' });
    for (const stage of this.stages) this.record(pass, stage);
    pass.end();
  }

  encodeStage(encoder: GPUCommandEncoder, stage: GnnStage): void {
    if (stage.stage === 'start') encoder.clearBuffer(this.status);
    const pass = encoder.beginComputePass({ label: `gnn ${stage.stage}` });
    this.record(pass, stage);
    pass.end();
  }

  /**
   * Encodes dispatch `index` of a stage alone (for per-pass timing in bench/gnnProfile.ts); returns
   * its label, or null past the stage's last dispatch.
   */
  encodeStagePass(encoder: GPUCommandEncoder, stage: GnnStage, index: number): string | null {
    const pass = encoder.beginComputePass({ label: `gnn ${stage.stage} pass ${index}` });
    const label = this.record(pass, stage, index);
    pass.end();
    return label;
  }

  private record(pass: GPUComputePassEncoder, stage: GnnStage, only = -1): string | null {
    let count = 0;
    let found: string | null = null;
    const take = (label: string) => {
      const keep = only < 0 || count === only;
      if (keep && only >= 0) found = label;
      count++;
      return keep;
    };
    const atom = (name: PairPass, layer: number, shape: 'atoms' | 'workgroups' | 'project' | 'tiles') => {
      if (!take(name)) return;
      pass.setPipeline(this.pipelines.atom[name]);
      pass.setBindGroup(0, this.groups.atom[name]![layer]!);
      pass.dispatchWorkgroups(...this.grids[shape]);
    };
    const edge = (name: EdgePass, layer: number) => {
      if (!take(name)) return;
      pass.setPipeline(this.pipelines.edge[name][layer]!);
      pass.setBindGroup(0, this.groups.edge[name]![layer]!);
      pass.dispatchWorkgroups(...this.grids.workgroups);
    };
    switch (stage.stage) {
      case 'start':
        atom('list', 0, 'workgroups');
        atom('cut', 0, 'atoms');
        atom('links', 0, 'workgroups');
        break;
      case 'layer':
        atom('project', stage.layer, 'project');
        edge('message', stage.layer);
        atom('nodeUpdate', stage.layer, 'tiles');
        break;
      case 'readout':
        atom('readout', 0, 'tiles');
        break;
      case 'backward':
        atom('nodeBackward', stage.layer, 'tiles');
        if (stage.layer >= 1) edge('edgeBackward', stage.layer);
        break;
      case 'forces':
        edge('pairGradient', 0);
        atom('forces', 0, 'workgroups');
        break;
    }
    return found;
  }

  get nodeFeatureBuffer(): GPUBuffer {
    return this.nodeFeatures;
  }

  get nodeGradBuffer(): GPUBuffer {
    return this.nodeGrad;
  }

  readStatus(): Promise<GnnStatus> {
    return readGnnStatus(this.device, this.status);
  }

  private destroyScratch(): void {
    const s = this.scratch;
    for (const buffer of [s.pairs, s.keys, s.links, s.rbar]) buffer.destroy();
  }

  destroy(): void {
    this.destroyScratch();
    for (const buffer of [
      this.weights,
      this.edgeWeights,
      this.edgeWeightsT,
      this.table,
      this.projWeights,
      ...this.params,
      this.nodeFeatures,
      this.aggregates,
      this.energies,
      this.nodeGrad,
      this.proj,
      this.gate,
      this.edgeSums,
      this.atomSel,
      this.status,
    ]) {
      buffer.destroy();
    }
  }
}
