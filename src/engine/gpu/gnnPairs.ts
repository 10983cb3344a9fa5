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
 * embedding is a table of r (gnnEdgeTiles.ts embeddingTable). The per-edge passes (message, edge
 * backward, pair gradient) run as workgroup tiles generated per model (gnnEdgeTiles.ts); the per-atom
 * MLPs in tiles of atoms (gnn_tile.wgsl). Memory per pair is 28 bytes (pairs, keys, links, r̄),
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
import type { GnnModel } from '../../io/gnnWeights.ts';
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
import {
  type EdgeParamLayout,
  type EdgeTileShape,
  edgeTilePass,
  edgeTileWorkgroup,
  TABLE_KNOTS,
} from './gnnEdgeTiles.ts';
import { WORKGROUP_SIZE, workgroupsFor } from './kernels.ts';
import { commonSource } from './shaders.ts';

/** Threads per workgroup of the per-atom pair passes (one workgroup per atom). */
export const PAIR_WG = 64;

/** Whether the pair path runs a model: every MLP has exactly one hidden layer. */
export function pairPathSupports(model: GnnModel): boolean {
  return model.config.hidden.length === 1;
}

const vec4s = (n: number) => Math.ceil(n / 4);

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
  /** Atoms per workgroup of the tile passes. */
  tile: number;
}

/** The prelude of the pair passes (after gnnPrelude). */
function pairPrelude(model: GnnModel): string {
  const c = model.config;
  const u = (v: number) => `${v}u`;
  const H = c.hidden[0]!;
  return [
    `const PAIR_WG: u32 = ${u(PAIR_WG)};`,
    `const HIDDEN_WIDTH: u32 = ${u(H)};`,
    `const TABLE_KNOTS: u32 = ${u(TABLE_KNOTS)};`,
    `const TABLE_SCALE: f32 = ${(TABLE_KNOTS - 1) / c.rcut};`,
    `const H4: u32 = ${u(vec4s(H))};`,
    '',
  ].join('\n');
}

/** The per-edge passes of every layer (pairGradient: one, at 0; edgeBackward: none at layer 0). */
function edgePassShapes(
  device: GPUDevice,
  model: GnnModel,
  layout: EdgeParamLayout,
): Record<EdgePass, (EdgeTileShape | null | undefined)[]> | null {
  const limit = device.limits.maxComputeWorkgroupStorageSize;
  const L = model.config.nLayers;
  const layers = Array.from({ length: L }, (_, l) => l);
  const shapes = {
    message: layers.map((l) => edgeTilePass(model, layout, 'message', l, limit)),
    edgeBackward: layers.map((l) =>
      l === 0 ? undefined : edgeTilePass(model, layout, 'edgeBackward', l, limit),
    ),
    pairGradient: [edgeTilePass(model, layout, 'pairGradient', 0, limit)],
  };
  const all = [...shapes.message, ...shapes.edgeBackward, ...shapes.pairGradient];
  return all.some((shape) => shape === null) ? null : shapes;
}

/**
 * Whether the pair passes fit the device: each per-edge pass's chunk of at least one row in
 * workgroup memory, its workgroup within the invocation limit, edgeParams within a storage binding.
 */
export function pairPathFits(device: GPUDevice, model: GnnModel, layout: EdgeParamLayout): boolean {
  const l = device.limits;
  return (
    edgeTileWorkgroup(model) <= l.maxComputeInvocationsPerWorkgroup &&
    edgeTileWorkgroup(model) <= l.maxComputeWorkgroupSizeX &&
    4 * layout.length <= l.maxStorageBufferBindingSize &&
    edgePassShapes(device, model, layout) !== null
  );
}

/** Compiles the pair passes (throws with the compiler's messages when one does not compile). */
export async function compilePairPipelines(
  device: GPUDevice,
  model: GnnModel,
  prelude: string,
  layout: EdgeParamLayout,
): Promise<PairPipelines> {
  const shapes = edgePassShapes(device, model, layout);
  if (!shapes) throw new Error('the GNN pair passes do not fit this device (pairPathFits)');
  // Atoms per workgroup of the per-atom MLP passes: 4 rather than the most that fits (16 for the
  // shipped model), which took 2.3–2.8× longer per pass on an H100 (fewer, larger workgroups).
  const tile = Math.min(4, gnnTileSize(model, device.limits.maxComputeWorkgroupStorageSize));
  const tiled = (name: PairPass) =>
    TILE_PASSES.has(name)
      ? [
          `const TILE: u32 = ${tile}u;`,
          "/// The model's weights with every matrix input-major (packGnnWeights, transposed).",
          '@group(0) @binding(8) var<storage, read> weightsT: array<f32>;',
          'fn tileForwardWeight(w: u32, o: u32, q: u32, width: u32, out: u32) -> f32 {',
          '  return weightsT[w + q * out + o];',
          '}',
          gnnTileWgsl,
        ]
      : [];
  const base = [commonSource(), prelude, pairPrelude(model), gnnCommonWgsl, pairSelectWgsl];
  const compile = (label: string, code: string) => compileGnnPass(device, label, code);
  const atomNames = Object.keys(PASSES) as PairPass[];
  const edgeNames = Object.keys(EDGE_PASSES) as EdgePass[];
  const edgePass = (name: EdgePass, l: number) => {
    const shape = shapes[name][l];
    return shape
      ? compile(
          `gnn pair ${name} ${l}`,
          [...base, shape.source, pairCommonWgsl, EDGE_PASSES[name]].join('\n'),
        )
      : undefined;
  };
  const [atom, ...edge] = await Promise.all([
    Promise.all(
      atomNames.map((name) =>
        compile(`gnn pair ${name}`, [...base, ...tiled(name), PASSES[name]].join('\n')),
      ),
    ),
    ...edgeNames.map((name) => Promise.all(shapes[name].map((_, l) => edgePass(name, l)))),
  ]);
  return {
    atom: Object.fromEntries(atomNames.map((name, k) => [name, atom[k]!])) as Record<
      PairPass,
      GPUComputePipeline
    >,
    edge: Object.fromEntries(edgeNames.map((name, k) => [name, edge[k]!])) as PairPipelines['edge'],
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
  private readonly weightsT: GPUBuffer;
  private readonly edgeParams: GPUBuffer;
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
    weights: { data: Float32Array<ArrayBuffer>; transposed: Float32Array<ArrayBuffer> },
    edgeParams: Float32Array<ArrayBuffer>,
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
    this.weights = upload('gnn weights', weights.data, GPUBufferUsage.STORAGE);
    this.weightsT = upload('gnn weights (input-major)', weights.transposed, GPUBufferUsage.STORAGE);
    this.edgeParams = upload('gnn edge parameters', edgeParams, GPUBufferUsage.STORAGE);
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
      [15, this.edgeParams],
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
            [8, this.weightsT],
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
            [8, this.weightsT],
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
            [8, this.weightsT],
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
                [2, this.nodeGrad],
                [13, this.gate],
              ]),
        ),
        pairGradient: [
          group(p.edge.pairGradient[0]!, 'gnn pair gradient', [...shared(0), [2, s.rbar], [13, this.gate]]),
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
      this.weightsT,
      this.edgeParams,
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
