/**
 * The message-passing GNN potential (DESIGN §6, weights docs/gnn-weights.md) on the GPU: the f64
 * reference src/engine/reference/gnn.ts in f32. Two implementations behind {@link GpuGnn}: the pair
 * path (gnnPairs.ts, kernels/gnn/pair/), which runs models whose MLPs have one hidden layer (the
 * shipped ones) and stores nothing per edge, and the slot path here (kernels/gnn/gnn_*.wgsl, their
 * list and the edge-slot layout in kernels/gnn/gnn_common.wgsl), which runs any model, pass by pass
 * with per-edge features stored for every Verlet slot. Forces and virials come from
 * the hand-written backward kernels (no finite differences); they land in the engine's forces and
 * virials buffers, so statistics, stress and every dynamics work unchanged.
 *
 * Edges are the entries of the engine's full Verlet list (cutoff rcut + skin) within rcut, with
 * the reference's nearest-`sel` selection implemented per row (rank by distance); the largest
 * neighbor count and the number of truncated centers are readable with {@link GpuGnn.readStatus}.
 *
 * The kernels are compiled per model (widths, offsets and the type map are WGSL constants of a
 * generated prelude), outside the engine's KernelSet. Every pass stores what its backward needs
 * per layer (node features [L+1][N][nDim], edge features [L][slots][eDim], aggregates [L][N][nDim])
 * and recomputes MLP pre-activations instead of storing them.
 */
import gnnCommonWgsl from '../../../kernels/gnn/gnn_common.wgsl?raw';
import gnnEdgeGradientWgsl from '../../../kernels/gnn/gnn_edge_gradient.wgsl?raw';
import gnnEdgesWgsl from '../../../kernels/gnn/gnn_edges.wgsl?raw';
import gnnForcesWgsl from '../../../kernels/gnn/gnn_forces.wgsl?raw';
import gnnMessageWgsl from '../../../kernels/gnn/gnn_message.wgsl?raw';
import gnnMessageBackwardWgsl from '../../../kernels/gnn/gnn_message_backward.wgsl?raw';
import gnnNodeBackwardWgsl from '../../../kernels/gnn/gnn_node_backward.wgsl?raw';
import gnnNodeGatherWgsl from '../../../kernels/gnn/gnn_node_gather.wgsl?raw';
import gnnNodeUpdateWgsl from '../../../kernels/gnn/gnn_node_update.wgsl?raw';
import gnnNodesWgsl from '../../../kernels/gnn/gnn_nodes.wgsl?raw';
import gnnRankSeamWgsl from '../../../kernels/gnn/gnn_rank_seam.wgsl?raw';
import gnnReadoutWgsl from '../../../kernels/gnn/gnn_readout.wgsl?raw';
import gnnTileWgsl from '../../../kernels/gnn/gnn_tile.wgsl?raw';
import { checkElements, type GnnLinear, type GnnMlp, type GnnModel } from '../../io/gnnWeights.ts';
import type { GnnSpec } from '../../io/spec.ts';
import type { BatchBuffers } from './buffers.ts';
import { packEdgeParams } from './gnnEdgeTiles.ts';
import { compilePairPipelines, GpuGnnPairs, pairPathFits, pairPathSupports } from './gnnPairs.ts';
import { type KernelSet, WORKGROUP_SIZE, workgroupsFor } from './kernels.ts';
import type { GpuPotential, GpuPotentialContext } from './potential.ts';
import { commonSource } from './shaders.ts';

/** The GNN passes in the order they run (F1 … F5, B4 … B0; per-layer passes repeat). */
const PASSES = {
  edges: gnnEdgesWgsl,
  nodes: gnnNodesWgsl,
  message: gnnMessageWgsl,
  nodeUpdate: gnnNodeUpdateWgsl,
  readout: gnnReadoutWgsl,
  nodeBackward: gnnNodeBackwardWgsl,
  messageBackward: gnnMessageBackwardWgsl,
  nodeGather: gnnNodeGatherWgsl,
  edgeGradient: gnnEdgeGradientWgsl,
  forces: gnnForcesWgsl,
} as const;
type GnnPass = keyof typeof PASSES;

/** Passes that run one workgroup per tile of edge slots (kernels/gnn/gnn_tile.wgsl). */
const TILE_PASSES: ReadonlySet<GnnPass> = new Set<GnnPass>(['message', 'messageBackward']);

/**
 * Edge slots per workgroup of the tiled passes: the largest of 16, 8, 4, 2, 1 whose workgroup
 * arrays (gnn_tile.wgsl: four rows of MAX_WIDTH and a tape of TAPE_SIZE per slot) fit the device.
 */
export function gnnTileSize(model: GnnModel, maxWorkgroupStorage: number): number {
  const c = model.config;
  const maxWidth = Math.max(c.nBasis, 2 * c.nDim + c.eDim, 2 * c.nDim, c.nDim, c.eDim, ...c.hidden);
  const tape = Math.max(
    1,
    c.hidden.reduce((a, b) => a + b, 0),
  );
  for (const tile of [16, 8, 4, 2]) {
    if (4 * (tile * (4 * maxWidth + tape + 6) + 1) <= maxWorkgroupStorage) return tile;
  }
  return 1;
}

/** A stage of a GNN evaluation ({@link GpuGnn.encodeStage}). */
export type GnnStage =
  | { stage: 'start' }
  | { stage: 'layer'; layer: number }
  | { stage: 'readout' }
  | { stage: 'backward'; layer: number }
  | { stage: 'forces' };

/** The stages of one evaluation, in order, for a model of `nLayers` layers. */
export function gnnEvaluationStages(nLayers: number): GnnStage[] {
  return [
    { stage: 'start' },
    ...Array.from({ length: nLayers }, (_, l): GnnStage => ({ stage: 'layer', layer: l })),
    { stage: 'readout' },
    ...Array.from({ length: nLayers }, (_, l): GnnStage => ({ stage: 'backward', layer: nLayers - 1 - l })),
    { stage: 'forces' },
  ];
}

/** Bytes of a GnnEdge (gnn_common.wgsl). */
const EDGE_BYTES = 48;
/** Bytes of GnnParams. */
const PARAMS_BYTES = 32;

/** Offsets (in f32) of the model's tensors in the packed weights buffer. */
export interface GnnWeightLayout {
  typeEmbedding: number;
  energyBias: number;
  embed: number;
  message: number[];
  node: number[];
  /** 0 for the last layer (no edge MLP). */
  edge: number[];
  readout: number;
  /** f32 values in all. */
  length: number;
}

/** The weight matrix of `lin` input-major ([nIn][nOut]) instead of PyTorch's [nOut][nIn]. */
function transposed(lin: GnnLinear): Float32Array {
  const out = new Float32Array(lin.nIn * lin.nOut);
  for (let o = 0; o < lin.nOut; o++) {
    for (let q = 0; q < lin.nIn; q++) out[q * lin.nOut + o] = lin.weight[o * lin.nIn + q]!;
  }
  return out;
}

/**
 * Packs the model as f32: type embedding, energy bias, then each MLP (edge embedding; per layer
 * message, node, edge; readout), each linear layer as W [out, in] row-major then b [out] (with
 * `transpose`, W [in, out]: the same offsets, read coalesced by threads of consecutive outputs).
 */
export function packGnnWeights(
  model: GnnModel,
  transpose = false,
): {
  data: Float32Array<ArrayBuffer>;
  layout: GnnWeightLayout;
} {
  const values: number[] = [];
  const put = (a: ArrayLike<number>) => {
    const at = values.length;
    for (let k = 0; k < a.length; k++) values.push(a[k]!);
    return at;
  };
  const mlp = (m: GnnMlp) => {
    const at = values.length;
    for (const lin of m) {
      put(transpose ? transposed(lin) : lin.weight);
      put(lin.bias);
    }
    return at;
  };
  const typeEmbedding = put(model.typeEmbedding);
  const energyBias = put(model.energyBias);
  const embed = mlp(model.edgeEmbedding);
  const message: number[] = [];
  const node: number[] = [];
  const edge: number[] = [];
  for (const layer of model.layers) {
    message.push(mlp(layer.message));
    node.push(mlp(layer.node));
    edge.push(layer.edge ? mlp(layer.edge) : 0);
  }
  const readout = mlp(model.readout);
  return {
    data: Float32Array.from(values),
    layout: { typeEmbedding, energyBias, embed, message, node, edge, readout, length: values.length },
  };
}

/** The WGSL constants of a model and type map (the prelude of every GNN pass). */
export function gnnPrelude(model: GnnModel, typeMap: Int32Array, layout: GnnWeightLayout): string {
  const c = model.config;
  const u = (v: number) => `${v}u`;
  const arr = (type: string, values: string[]) => `array<${type}, ${values.length}>(${values.join(', ')})`;
  const widths = [c.nBasis, 2 * c.nDim + c.eDim, 2 * c.nDim, c.nDim, c.eDim, ...c.hidden];
  const tape = Math.max(
    1,
    c.hidden.reduce((a, b) => a + b, 0),
  );
  return [
    `const N_DIM: u32 = ${u(c.nDim)};`,
    `const E_DIM: u32 = ${u(c.eDim)};`,
    `const N_BASIS: u32 = ${u(c.nBasis)};`,
    `const N_LAYERS: u32 = ${u(c.nLayers)};`,
    `const N_LINEAR: u32 = ${u(c.hidden.length + 1)};`,
    `const HIDDEN = ${arr('u32', [...c.hidden, 0].map(u))};`,
    `const MAX_WIDTH: u32 = ${u(Math.max(...widths))};`,
    `const TAPE_SIZE: u32 = ${u(tape)};`,
    `const N_POTENTIAL_TYPES: u32 = ${u(typeMap.length)};`,
    `const TYPE_MAP = ${arr(
      'i32',
      Array.from(typeMap, (t) => `${t}i`),
    )};`,
    `const TYPE_EMBEDDING: u32 = ${u(layout.typeEmbedding)};`,
    `const ENERGY_BIAS: u32 = ${u(layout.energyBias)};`,
    `const EMBED_MLP: u32 = ${u(layout.embed)};`,
    `const MSG_MLP = ${arr('u32', layout.message.map(u))};`,
    `const NODE_MLP = ${arr('u32', layout.node.map(u))};`,
    `const EDGE_MLP = ${arr('u32', layout.edge.map(u))};`,
    `const READOUT_MLP: u32 = ${u(layout.readout)};`,
    '',
  ].join('\n');
}

/** What the neighbor cap and the list did in the last evaluation (GpuGnn.readStatus). */
export interface GnnStatus {
  /** Largest neighbor count within rcut of any atom. */
  maxNeighbors: number;
  /** Atoms with more than `sel` neighbors within rcut (their farthest were dropped, as the reference). */
  truncatedAtoms: number;
  /** Edges whose reverse entry was missing from the Verlet list (0 for a full list; forces are wrong otherwise). */
  missingReverse: number;
}

/**
 * Writes the GnnParams uniform of every layer (gnn_common.wgsl): atoms, entries per row, the layer,
 * threads per row of the 2-D per-thread dispatches, the cutoffs and sel of the model.
 */
export function writeGnnParams(
  device: GPUDevice,
  params: readonly GPUBuffer[],
  model: GnnModel,
  nAtoms: number,
  slotsPerAtom: number,
  threadsPerRow: number,
): void {
  const c = model.config;
  const words = new ArrayBuffer(PARAMS_BYTES);
  const u32 = new Uint32Array(words);
  const f32 = new Float32Array(words);
  params.forEach((buffer, l) => {
    u32[0] = nAtoms;
    u32[1] = slotsPerAtom;
    u32[2] = l;
    u32[3] = threadsPerRow;
    f32[4] = c.rcut;
    f32[5] = c.rcutSmooth;
    u32[6] = c.sel;
    device.queue.writeBuffer(buffer, 0, words);
  });
}

/** One uniform buffer of GnnParams per layer. */
export function createGnnParams(device: GPUDevice, model: GnnModel): GPUBuffer[] {
  return Array.from({ length: model.config.nLayers }, (_, l) =>
    device.createBuffer({
      label: `gnn params layer ${l}`,
      size: PARAMS_BYTES,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    }),
  );
}

/** Compiles one GNN pass, throwing with the compiler's messages when it does not compile. */
export async function compileGnnPass(
  device: GPUDevice,
  label: string,
  code: string,
): Promise<GPUComputePipeline> {
  const module = device.createShaderModule({ label, code });
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length > 0) {
    throw new Error(
      `GNN pass ${label} does not compile: ${errors.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ')}`,
    );
  }
  return device.createComputePipelineAsync({
    label,
    layout: 'auto',
    compute: { module, entryPoint: 'main', constants: { WORKGROUP_SIZE } },
  });
}

/** The status words of a GNN evaluation (awaits the GPU). */
export async function readGnnStatus(device: GPUDevice, status: GPUBuffer): Promise<GnnStatus> {
  const staging = device.createBuffer({
    label: 'gnn status readback',
    size: 16,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  const encoder = device.createCommandEncoder({ label: 'read gnn status' });
  encoder.copyBufferToBuffer(status, 0, staging, 0, 16);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const words = new Uint32Array(staging.getMappedRange().slice(0));
  staging.destroy();
  return { maxNeighbors: words[0]!, truncatedAtoms: words[1]!, missingReverse: words[2]! };
}

/** Per-evaluation scratch buffers, sized from the slots (neighbor capacity × atoms). */
interface Scratch {
  slots: number;
  edges: GPUBuffer;
  edgeFeatures: GPUBuffer;
  messages: GPUBuffer;
  edgeGrad: GPUBuffer;
  nodePartGrad: GPUBuffer;
  pairGrad: GPUBuffer;
}

/**
 * The GNN potential on the GPU, by stages for callers that work between them (a rank of a
 * decomposition: decomposition/gnnGpu.ts). Two implementations: the pair path (gnnPairs.ts) for
 * models whose MLPs have one hidden layer, and the slot path ({@link GpuGnnSlots}) for any model.
 */
export interface GpuGnn extends GpuPotential {
  /**
   * Encodes one stage of an evaluation in its own compute pass. In order: `start` (edges),
   * `layer` l = 0 … L−1 (n^(l+1) from n^l), `readout` (E_i and n̄ = ∂E/∂n^L), `backward`
   * l = L−1 … 0 (n̄ ← ∂E/∂n^l; for l = 0 possibly partial, as nothing reads it), `forces`.
   */
  encodeStage(encoder: GPUCommandEncoder, stage: GnnStage): void;
  /** Node features n^l, [L+1][N][nDim] f32 in storage-row order (layer l at byte 4·l·N·nDim). */
  readonly nodeFeatureBuffer: GPUBuffer;
  /** Node-feature gradient n̄ of the current backward layer, [N][nDim] f32 in storage-row order. */
  readonly nodeGradBuffer: GPUBuffer;
  /** The neighbor-cap status of the last evaluation (awaits the GPU). */
  readStatus(): Promise<GnnStatus>;
}

/** Whether a GPU potential is the GNN. */
export function isGpuGnn(potential: GpuPotential): potential is GpuGnn {
  return potential.label === 'gnn' && 'encodeStage' in potential;
}

/** The GNN passes over every slot of the engine's Verlet list (any model; the pair path is faster). */
export class GpuGnnSlots implements GpuGnn {
  readonly label = 'gnn';
  private readonly weights: GPUBuffer;
  /** One GnnParams per layer (layer field differs). */
  private readonly params: GPUBuffer[];
  private readonly stages: GnnStage[];
  private readonly nodeFeatures: GPUBuffer;
  private readonly aggregates: GPUBuffer;
  private readonly energies: GPUBuffer;
  private readonly nodeGrad: GPUBuffer;
  private readonly aggregateGrad: GPUBuffer;
  private readonly status: GPUBuffer;
  private scratch: Scratch;
  private neighbors: GPUBuffer;
  private groups: Partial<Record<GnnPass, GPUBindGroup[]>> = {};
  private readonly atomGroups: number;
  private slotGroups: [number, number] = [1, 1];
  /** Workgroups of the tiled passes (one per `tile` slots), 2-D. */
  private tileGroups: [number, number] = [1, 1];
  private readonly device: GPUDevice;

  constructor(
    kernels: KernelSet,
    private readonly b: BatchBuffers,
    private readonly model: GnnModel,
    private readonly pipelines: Record<GnnPass, GPUComputePipeline>,
    weights: Float32Array<ArrayBuffer>,
    neighbors: GPUBuffer,
    /** Edge slots per workgroup of the tiled passes ({@link gnnTileSize}; compiled into them). */
    private readonly tile = 1,
  ) {
    this.device = kernels.device;
    const c = model.config;
    const n = b.nAtoms;
    const f = 4;
    const make = (label: string, bytes: number) => this.buffer(`gnn ${label}`, bytes);
    this.weights = kernels.createBufferWith('gnn weights', weights, GPUBufferUsage.STORAGE);
    this.params = createGnnParams(this.device, model);
    this.stages = gnnEvaluationStages(c.nLayers);
    this.nodeFeatures = make('node features', f * (c.nLayers + 1) * n * c.nDim);
    this.aggregates = make('aggregates', f * c.nLayers * n * c.nDim);
    this.energies = make('energies', f * n);
    this.nodeGrad = make('node gradient', f * n * c.nDim);
    this.aggregateGrad = make('aggregate gradient', f * n * c.nDim);
    this.status = this.device.createBuffer({
      label: 'gnn status',
      size: 16,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    this.atomGroups = workgroupsFor(n, this.device);
    this.neighbors = neighbors;
    this.scratch = this.createScratch(neighbors);
    this.bind();
  }

  /** A storage buffer, refused with a clear message beyond the device's binding limit. */
  private buffer(label: string, bytes: number): GPUBuffer {
    const limit = this.device.limits.maxStorageBufferBindingSize;
    if (bytes > limit) {
      const c = this.model.config;
      throw new Error(
        `${label} of the GNN (nDim ${c.nDim}, eDim ${c.eDim}, ${c.nLayers} layers) for ${this.b.nAtoms} atoms ` +
          `needs ${bytes} bytes, above this device's storage binding limit of ${limit}: use fewer atoms per batch`,
      );
    }
    return this.device.createBuffer({
      label,
      size: Math.max(16, Math.ceil(bytes / 4) * 4),
      // COPY_DST: a rank of a decomposition uploads the ghosts' node features between layers.
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
  }

  private createScratch(neighbors: GPUBuffer): Scratch {
    const c = this.model.config;
    const n = this.b.nAtoms;
    // Rows of the list: counts, then `capacity` entry rows (the buffer may hold more rows than used).
    const slotsPerAtom = Math.max(1, Math.floor(neighbors.size / (4 * n)) - 1);
    const slots = slotsPerAtom * n;
    const created: GPUBuffer[] = [];
    const make = (label: string, bytes: number) => {
      try {
        const buffer = this.buffer(`gnn ${label}`, bytes);
        created.push(buffer);
        return buffer;
      } catch (error) {
        for (const buffer of created) buffer.destroy();
        throw error;
      }
    };
    const scratch: Scratch = {
      slots,
      edges: make('edges', EDGE_BYTES * slots),
      edgeFeatures: make('edge features', 4 * c.nLayers * slots * c.eDim),
      messages: make('messages', 4 * slots * c.nDim),
      edgeGrad: make('edge gradient', 4 * slots * (c.eDim + 1)),
      nodePartGrad: make('node part gradient', 8 * slots * c.nDim),
      pairGrad: make('pair gradient', 16 * slots),
    };
    const total = Math.ceil(slots / WORKGROUP_SIZE);
    const limit = this.device.limits.maxComputeWorkgroupsPerDimension;
    const y = Math.ceil(total / limit);
    this.slotGroups = [Math.ceil(total / y), y];
    const tiles = Math.ceil(slots / this.tile);
    const tileY = Math.ceil(tiles / limit);
    this.tileGroups = [Math.ceil(tiles / tileY), tileY];
    writeGnnParams(
      this.device,
      this.params,
      this.model,
      n,
      slotsPerAtom,
      this.slotGroups[0] * WORKGROUP_SIZE,
    );
    return scratch;
  }

  /** Bind groups of every pass (per layer where the pass reads `params.layer`). */
  private bind(): void {
    const b = this.b;
    const s = this.scratch;
    const group = (pass: GnnPass, layer: number, resources: GPUBuffer[]) =>
      this.device.createBindGroup({
        label: `gnn ${pass} layer ${layer}`,
        layout: this.pipelines[pass].getBindGroupLayout(0),
        entries: resources.map((buffer, k) => ({ binding: k, resource: { buffer } })),
      });
    const withoutWeights = (pass: GnnPass, layer: number, resources: GPUBuffer[]) =>
      this.device.createBindGroup({
        label: `gnn ${pass} layer ${layer}`,
        layout: this.pipelines[pass].getBindGroupLayout(0),
        entries: resources.map((buffer, k) => ({ binding: k + 1, resource: { buffer } })),
      });
    const w = this.weights;
    const layers = this.params.map((_, l) => l);
    const p0 = this.params[0]!;
    const nb = this.neighbors;
    this.groups = {
      edges: [
        group('edges', 0, [
          w,
          p0,
          b.positions,
          b.systemOf,
          b.systems,
          nb,
          b.originalIndex,
          s.edges,
          s.edgeFeatures,
        ]),
      ],
      nodes: [group('nodes', 0, [w, p0, b.positions, nb, s.edges, this.nodeFeatures, this.status])],
      message: layers.map((l) =>
        group('message', l, [w, this.params[l]!, s.edges, this.nodeFeatures, s.edgeFeatures, s.messages]),
      ),
      nodeUpdate: layers.map((l) =>
        group('nodeUpdate', l, [
          w,
          this.params[l]!,
          b.positions,
          nb,
          s.edges,
          s.messages,
          this.nodeFeatures,
          this.aggregates,
        ]),
      ),
      readout: [group('readout', 0, [w, p0, b.positions, this.nodeFeatures, this.energies, this.nodeGrad])],
      nodeBackward: layers.map((l) =>
        group('nodeBackward', l, [
          w,
          this.params[l]!,
          b.positions,
          this.nodeFeatures,
          this.aggregates,
          this.nodeGrad,
          this.aggregateGrad,
        ]),
      ),
      messageBackward: layers.map((l) =>
        group('messageBackward', l, [
          w,
          this.params[l]!,
          s.edges,
          this.nodeFeatures,
          s.edgeFeatures,
          this.aggregateGrad,
          s.edgeGrad,
          s.nodePartGrad,
        ]),
      ),
      nodeGather: [
        withoutWeights('nodeGather', 0, [p0, b.positions, nb, s.edges, s.nodePartGrad, this.nodeGrad]),
      ],
      edgeGradient: [group('edgeGradient', 0, [w, p0, s.edges, s.edgeGrad, s.pairGrad])],
      forces: [
        withoutWeights('forces', 0, [
          p0,
          b.positions,
          nb,
          s.edges,
          s.pairGrad,
          this.energies,
          b.forces,
          b.virials,
        ]),
      ],
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

  /**
   * Encodes one stage of an evaluation in its own compute pass, for callers that work between
   * stages (a rank of a decomposition exchanges node features before every layer and their
   * gradients after every backward layer: decomposition/gnnGpu.ts). In order: `start` (edges F1,
   * n⁰ F2), `layer` l = 0 … L−1 (F3, F4), `readout` (F5, B5), `backward` l = L−1 … 0 (B4, B3 and
   * the gather of n̄), `forces` (B1, B0). {@link GpuGnn.encode} is all of them in one pass.
   */
  encodeStage(encoder: GPUCommandEncoder, stage: GnnStage): void {
    if (stage.stage === 'start') encoder.clearBuffer(this.status);
    const pass = encoder.beginComputePass({ label: `gnn ${stage.stage}` });
    this.record(pass, stage);
    pass.end();
  }

  /** Records the dispatches of one stage into an open pass (the status clear is the caller's). */
  private record(pass: GPUComputePassEncoder, stage: GnnStage): void {
    const run = (name: GnnPass, layer: number, perSlot: boolean) => {
      pass.setPipeline(this.pipelines[name]);
      pass.setBindGroup(0, this.groups[name]![layer]!);
      if (TILE_PASSES.has(name)) pass.dispatchWorkgroups(this.tileGroups[0], this.tileGroups[1]);
      else if (perSlot) pass.dispatchWorkgroups(this.slotGroups[0], this.slotGroups[1]);
      else pass.dispatchWorkgroups(this.atomGroups);
    };
    switch (stage.stage) {
      case 'start':
        run('edges', 0, true);
        run('nodes', 0, false);
        return;
      case 'layer':
        run('message', stage.layer, true);
        run('nodeUpdate', stage.layer, false);
        return;
      case 'readout':
        run('readout', 0, false);
        return;
      case 'backward':
        run('nodeBackward', stage.layer, false);
        run('messageBackward', stage.layer, true);
        run('nodeGather', 0, false);
        return;
      case 'forces':
        run('edgeGradient', 0, true);
        run('forces', 0, false);
        return;
    }
  }

  /** Node features n^l, [L+1][N][nDim] f32 in storage-row order (layer l at byte 4·l·N·nDim). */
  get nodeFeatureBuffer(): GPUBuffer {
    return this.nodeFeatures;
  }

  /** Node-feature gradient n̄ of the current backward layer, [N][nDim] f32 in storage-row order. */
  get nodeGradBuffer(): GPUBuffer {
    return this.nodeGrad;
  }

  /** The neighbor-cap status of the last evaluation (awaits the GPU). */
  readStatus(): Promise<GnnStatus> {
    return readGnnStatus(this.device, this.status);
  }

  private destroyScratch(): void {
    const s = this.scratch;
    for (const buffer of [s.edges, s.edgeFeatures, s.messages, s.edgeGrad, s.nodePartGrad, s.pairGrad]) {
      buffer.destroy();
    }
  }

  destroy(): void {
    this.destroyScratch();
    for (const buffer of [
      this.weights,
      ...this.params,
      this.nodeFeatures,
      this.aggregates,
      this.energies,
      this.nodeGrad,
      this.aggregateGrad,
      this.status,
    ]) {
      buffer.destroy();
    }
  }
}

/**
 * The seam of a rank's GNN between backward layers (kernels/gnn/gnn_rank_seam.wgsl): zeroes the
 * ghost rows of n̄ and, after a reverse exchange, adds what the owners received into their rows
 * (decomposition/gnnGpu.ts). Rows are told apart by the engine's original-index buffer: rows below
 * `nLocal` are owned.
 */
export class GpuGnnRankSeam {
  private readonly received: GPUBuffer;
  /** Uniforms without and with `add`. */
  private readonly params: [GPUBuffer, GPUBuffer];
  private readonly groups: [GPUBindGroup, GPUBindGroup];
  private readonly atomGroups: number;

  constructor(
    private readonly device: GPUDevice,
    private readonly pipeline: GPUComputePipeline,
    gnn: GpuGnn,
    originalIndex: GPUBuffer,
    private readonly nAtoms: number,
    nDim: number,
  ) {
    this.received = device.createBuffer({
      label: 'gnn rank received n̄',
      size: Math.max(16, 4 * nAtoms * nDim),
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    });
    const uniform = (label: string) =>
      device.createBuffer({ label, size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.params = [uniform('gnn rank seam (zero ghosts)'), uniform('gnn rank seam (add received)')];
    const group = (params: GPUBuffer) =>
      device.createBindGroup({
        label: 'gnn rank seam',
        layout: pipeline.getBindGroupLayout(0),
        entries: [params, originalIndex, this.received, gnn.nodeGradBuffer].map((buffer, k) => ({
          binding: k,
          resource: { buffer },
        })),
      });
    this.groups = [group(this.params[0]), group(this.params[1])];
    this.atomGroups = workgroupsFor(nAtoms, device);
    this.setOwned(0);
  }

  /** Rows whose original index is below `nLocal` are owned (the rank's current row count). */
  setOwned(nLocal: number): void {
    this.device.queue.writeBuffer(this.params[0], 0, Uint32Array.of(this.nAtoms, nLocal, 0, 0));
    this.device.queue.writeBuffer(this.params[1], 0, Uint32Array.of(this.nAtoms, nLocal, 1, 0));
  }

  /** Uploads what the owners received (storage-row order, nDim per row; zero on ghost rows). */
  writeReceived(values: Float32Array<ArrayBuffer>): void {
    this.device.queue.writeBuffer(this.received, 0, values);
  }

  /** Encodes the seam: ghost rows of n̄ to zero and, with `add`, the received values into owned rows. */
  encode(encoder: GPUCommandEncoder, add: boolean): void {
    const pass = encoder.beginComputePass({ label: 'gnn rank seam' });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.groups[add ? 1 : 0]);
    pass.dispatchWorkgroups(this.atomGroups);
    pass.end();
  }

  destroy(): void {
    for (const buffer of [this.received, ...this.params]) buffer.destroy();
  }
}

/** Compiles the rank seam for the GNN of an engine (its model, batch buffers and n̄). */
export async function createGnnRankSeam(
  device: GPUDevice,
  gnn: GpuGnn,
  model: GnnModel,
  buffers: BatchBuffers,
): Promise<GpuGnnRankSeam> {
  const code = [commonSource(), `const N_DIM: u32 = ${model.config.nDim}u;`, gnnRankSeamWgsl].join('\n');
  const module = device.createShaderModule({ label: 'gnn rank seam', code });
  const pipeline = await device.createComputePipelineAsync({
    label: 'gnn rank seam',
    layout: 'auto',
    compute: { module, entryPoint: 'main', constants: { WORKGROUP_SIZE } },
  });
  return new GpuGnnRankSeam(device, pipeline, gnn, buffers.originalIndex, buffers.nAtoms, model.config.nDim);
}

/** WGSL of one GNN pass for a model (prelude, shared declarations, gnn_common.wgsl, the pass). */
export function gnnPassSource(prelude: string, pass: GnnPass, tile = 1): string {
  const tiled = TILE_PASSES.has(pass)
    ? [
        `const TILE: u32 = ${tile}u;`,
        'fn tileForwardWeight(w: u32, o: u32, q: u32, width: u32, out: u32) -> f32 {',
        '  return weights[w + o * width + q];',
        '}',
        gnnTileWgsl,
      ]
    : [];
  return [commonSource(), prelude, gnnCommonWgsl, ...tiled, PASSES[pass]].join('\n');
}

/**
 * The GNN of `spec` with its `model` on the engine's batch and neighbor list (built with rcut +
 * skin): the pair path where the model and device allow it (one hidden layer per MLP), else the slot
 * path. Throws for elements the model lacks (naming them), atom types beyond `spec.elements`, and
 * buffers beyond the device's storage binding limit.
 */
export async function createGpuGnn(
  ctx: GpuPotentialContext,
  spec: GnnSpec,
  model: GnnModel,
): Promise<GpuGnn> {
  const typeMap = checkElements(model, spec.elements);
  if (typeMap.every((t) => t < 0)) throw new Error('the GNN potential maps every type to NULL');
  const { batch } = ctx;
  for (let i = 0; i < batch.nAtoms; i++) {
    const t = batch.types[i]!;
    if (!Number.isInteger(t) || t < -1 || t >= typeMap.length) {
      throw new Error(
        `atom ${i} has type ${t}, but the GNN potential maps ${typeMap.length} types (0 … ${typeMap.length - 1}; −1 is NULL)`,
      );
    }
  }
  const { data, layout } = packGnnWeights(model);
  const prelude = gnnPrelude(model, typeMap, layout);
  const device = ctx.kernels.device;
  const pair = pairPathSupports(model) ? packEdgeParams(model) : null;
  if (pair && pairPathFits(device, model, pair.layout)) {
    const pipelines = await compilePairPipelines(device, model, prelude, pair.layout);
    const weights = { data, transposed: packGnnWeights(model, true).data };
    return new GpuGnnPairs(device, ctx.buffers, model, pipelines, weights, pair.data, ctx.neighbors);
  }
  const tile = gnnTileSize(model, device.limits.maxComputeWorkgroupStorageSize);
  const names = Object.keys(PASSES) as GnnPass[];
  const compiled = await Promise.all(
    names.map((name) => compileGnnPass(device, `gnn ${name}`, gnnPassSource(prelude, name, tile))),
  );
  const pipelines = Object.fromEntries(names.map((name, k) => [name, compiled[k]!])) as Record<
    GnnPass,
    GPUComputePipeline
  >;
  return new GpuGnnSlots(ctx.kernels, ctx.buffers, model, pipelines, data, ctx.neighbors, tile);
}
