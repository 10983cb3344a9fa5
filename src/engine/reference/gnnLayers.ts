/**
 * The GNN's passes (DESIGN §6, the F1 … B0 of reference/gnn.ts), f64, one function per pass, over
 * *rows*: the centres 0 … nCentres−1 own the edges (an edge belongs to its centre atom) and the
 * neighbours may be any row. The single-system reference (gnn.ts) calls them with every atom a
 * centre and neighbours that are plain atom indices (a periodic image reads its atom's row: a plain
 * gather); a rank of a decomposition (decomposition/gnn.ts) calls them with its owned rows as
 * centres and ghost rows as neighbours, and fills the ghost rows of the node features by a forward
 * exchange before every layer and sends the ghosts' feature gradients back after every backward
 * layer. The arithmetic is the same function in both cases.
 *
 * Node features and their gradients are flat, row-major: n[row · nDim + q].
 */
import type { GnnModel } from '../../io/gnnWeights.ts';
import { type MlpTape, mlpBackward, mlpForward, radialBasis, smoothSwitch } from './gnnMlp.ts';

/** Directed edges centre → neighbour, grouped by centre row (CSR over the centres). */
export interface GnnEdgeList {
  /** Number of edges. */
  nEdges: number;
  /** Centre row of each edge (< number of centres). */
  center: Int32Array;
  /** Neighbour row of each edge (any row). */
  neighbor: Int32Array;
  /** d = r_neighbour − r_centre, Å, xyz interleaved (3·nEdges). */
  vector: Float64Array;
  /** |d|, Å. */
  length: Float64Array;
  /** Edge offsets per centre (length nCentres + 1). */
  edgePtr: Int32Array;
}

/** F1: what the geometry of the edges gives every layer and the backward pass. */
export interface GnnGeometry {
  /** Switch s(r) per edge. */
  sw: Float64Array;
  /** ds/dr per edge, 1/Å. */
  dsw: Float64Array;
  /** Radial basis φ_k(r), nBasis per edge. */
  phi: Float64Array;
  /** dφ_k/dr, nBasis per edge, 1/Å. */
  dphi: Float64Array;
  /** Tapes of the edge-embedding MLP. */
  embedTape: MlpTape[];
  /** Initial edge features e⁰ per edge. */
  e0: Float64Array[];
}

/** What the backward pass of one layer needs from its forward pass. */
export interface GnnLayerTape {
  msg: Float64Array[];
  msgTape: MlpTape[];
  edgeTape: MlpTape[];
  nodeTape: MlpTape[];
}

/**
 * A pass as a generator that yields every {@link STEP} edges or centres and returns its result: the
 * single-system reference runs it to completion at once ({@link finish}); a rank of a decomposition
 * lets its event loop breathe between steps ({@link cooperate}: a worker's heartbeats, messages),
 * since one pass of a wide model over thousands of edges takes seconds in f64.
 */
export type GnnSteps<T> = Generator<void, T, void>;

/** Edges or centres per step of a {@link GnnSteps} pass. */
const STEP = 32;

/** Runs a pass to completion. */
function finish<T>(steps: GnnSteps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Runs a pass, yielding to the event loop (a macrotask) whenever `sliceMs` ms of work have gone by.
 * @param sliceMs longest stretch of uninterrupted work, ms
 */
export async function cooperate<T>(steps: GnnSteps<T>, sliceMs = 20): Promise<T> {
  let start = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - start > sliceMs) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      start = performance.now();
    }
  }
}

/** Number of centre rows of an edge list. */
function centres(edges: GnnEdgeList): number {
  return edges.edgePtr.length - 1;
}

/** F1 geometry: switch, radial basis and e⁰_ij = MLP_embed(φ(r_ij) · s_ij) of every edge. */
export function gnnGeometry(model: GnnModel, edges: GnnEdgeList): GnnGeometry {
  return finish(gnnGeometrySteps(model, edges));
}

/** {@link gnnGeometry} in steps (see {@link GnnSteps}). */
export function* gnnGeometrySteps(model: GnnModel, edges: GnnEdgeList): GnnSteps<GnnGeometry> {
  const c = model.config;
  const K = c.nBasis;
  const m = edges.nEdges;
  const g: GnnGeometry = {
    sw: new Float64Array(m),
    dsw: new Float64Array(m),
    phi: new Float64Array(m * K),
    dphi: new Float64Array(m * K),
    embedTape: [],
    e0: [],
  };
  const tmp = new Float64Array(2);
  for (let k = 0; k < m; k++) {
    const r = edges.length[k]!;
    smoothSwitch(r, c.rcutSmooth, c.rcut, tmp);
    g.sw[k] = tmp[0]!;
    g.dsw[k] = tmp[1]!;
    const p = g.phi.subarray(k * K, (k + 1) * K);
    radialBasis(r, c.rcut, p, g.dphi.subarray(k * K, (k + 1) * K));
    const tape: MlpTape = [];
    g.e0.push(
      mlpForward(
        model.edgeEmbedding,
        p.map((v) => v * g.sw[k]!),
        tape,
      ),
    );
    g.embedTape.push(tape);
    if (k % STEP === STEP - 1) yield;
  }
  return g;
}

/**
 * F2: n⁰ of the first `nFilled` rows from the type embedding (model type per row, −1: NULL gives
 * zeros); the other rows of the nRows·nDim result stay zero (ghosts: filled by an exchange).
 */
export function gnnInitialNodes(
  model: GnnModel,
  modelType: (row: number) => number,
  nFilled: number,
  nRows: number,
): Float64Array {
  const d = model.config.nDim;
  const n = new Float64Array(nRows * d);
  for (let i = 0; i < nFilled; i++) {
    const t = modelType(i);
    if (t >= 0) n.set(model.typeEmbedding.subarray(t * d, (t + 1) * d), i * d);
  }
  return n;
}

/**
 * F3/F4, layer l: messages and edge updates of every edge from [n_i, n_j, e_ij] (n_j of any row),
 * then the node update of the centres. Returns the next node features (centre rows; other rows
 * zero), the next edge features (the same array in the last layer, which has no edge MLP) and the
 * tape of the layer.
 */
export function gnnLayerForward(...args: Parameters<typeof gnnLayerForwardSteps>): {
  n: Float64Array;
  e: Float64Array[];
  tape: GnnLayerTape;
} {
  return finish(gnnLayerForwardSteps(...args));
}

/** {@link gnnLayerForward} in steps (see {@link GnnSteps}). */
export function* gnnLayerForwardSteps(
  model: GnnModel,
  l: number,
  edges: GnnEdgeList,
  geometry: GnnGeometry,
  n: Float64Array,
  e: Float64Array[],
  active: (row: number) => boolean,
): GnnSteps<{ n: Float64Array; e: Float64Array[]; tape: GnnLayerTape }> {
  const { nDim, eDim, sel } = model.config;
  const layer = model.layers[l]!;
  const { center, neighbor } = edges;
  const tape: GnnLayerTape = { msg: [], msgTape: [], edgeTape: [], nodeTape: [] };
  const eNext: Float64Array[] = [];
  for (let k = 0; k < edges.nEdges; k++) {
    const x = new Float64Array(2 * nDim + eDim);
    const i = center[k]!;
    const j = neighbor[k]!;
    x.set(n.subarray(i * nDim, (i + 1) * nDim), 0);
    x.set(n.subarray(j * nDim, (j + 1) * nDim), nDim);
    x.set(e[k]!, 2 * nDim);
    const t: MlpTape = [];
    tape.msg.push(mlpForward(layer.message, x, t));
    tape.msgTape.push(t);
    if (layer.edge) {
      const te: MlpTape = [];
      const de = mlpForward(layer.edge, x, te);
      eNext.push(e[k]!.map((v, q) => v + de[q]!));
      tape.edgeTape.push(te);
    }
    if (k % STEP === STEP - 1) yield;
  }
  const nNext = new Float64Array(n.length);
  const { sw } = geometry;
  for (let i = 0; i < centres(edges); i++) {
    const y = new Float64Array(2 * nDim);
    y.set(n.subarray(i * nDim, (i + 1) * nDim), 0);
    for (let k = edges.edgePtr[i]!; k < edges.edgePtr[i + 1]!; k++) {
      const m = tape.msg[k]!;
      const w = sw[k]! / sel;
      for (let q = 0; q < nDim; q++) y[nDim + q]! += w * m[q]!;
    }
    const t: MlpTape = [];
    const dn = active(i) ? mlpForward(layer.node, y, t) : new Float64Array(nDim);
    tape.nodeTape.push(t);
    for (let q = 0; q < nDim; q++) nNext[i * nDim + q] = n[i * nDim + q]! + dn[q]!;
    if (i % STEP === STEP - 1) yield;
  }
  return { n: nNext, e: layer.edge ? eNext : e, tape };
}

/**
 * F5 and B5: per-atom energy E_i = MLP_out(n_i) + bias[type_i] of the centres into `energies`, and
 * n̄ = ∂E/∂n of the final node features (centre rows; other rows zero).
 */
export function gnnReadout(...args: Parameters<typeof gnnReadoutSteps>): Float64Array {
  return finish(gnnReadoutSteps(...args));
}

/** {@link gnnReadout} in steps (see {@link GnnSteps}). */
export function* gnnReadoutSteps(
  model: GnnModel,
  n: Float64Array,
  modelType: (row: number) => number,
  nCentres: number,
  energies: Float64Array,
): GnnSteps<Float64Array> {
  const d = model.config.nDim;
  const gn = new Float64Array(n.length);
  const one = Float64Array.of(1);
  for (let i = 0; i < nCentres; i++) {
    const t = modelType(i);
    if (t < 0) continue;
    const tape: MlpTape = [];
    energies[i] = mlpForward(model.readout, n.subarray(i * d, (i + 1) * d), tape)[0]! + model.energyBias[t]!;
    gn.set(mlpBackward(model.readout, tape, one), i * d);
    if (i % STEP === STEP - 1) yield;
  }
  return gn;
}

/**
 * B4/B3, layer l: with `gn` = ∂E/∂n^{l+1} complete on the centre rows, adds into `gn` the node
 * update's and the edges' contributions to ∂E/∂n^l — on the centres and, by the scatter n̄_j +=
 * x̄_ij[n_j], on neighbour rows of any kind (what a rank sends back to the ghosts' owners) — and
 * into `gs` (∂E/∂s per edge). Returns ∂E/∂e^l per edge, given `ge` = ∂E/∂e^{l+1}.
 */
export function gnnLayerBackward(...args: Parameters<typeof gnnLayerBackwardSteps>): Float64Array[] {
  return finish(gnnLayerBackwardSteps(...args));
}

/** {@link gnnLayerBackward} in steps (see {@link GnnSteps}). */
export function* gnnLayerBackwardSteps(
  model: GnnModel,
  l: number,
  edges: GnnEdgeList,
  geometry: GnnGeometry,
  tape: GnnLayerTape,
  gn: Float64Array,
  ge: Float64Array[],
  gs: Float64Array,
  active: (row: number) => boolean,
): GnnSteps<Float64Array[]> {
  const { nDim, sel } = model.config;
  const layer = model.layers[l]!;
  const { msg, msgTape, edgeTape, nodeTape } = tape;
  const nC = centres(edges);
  const gAgg = new Float64Array(nC * nDim);
  for (let i = 0; i < nC; i++) {
    if (!active(i)) continue;
    const gy = mlpBackward(layer.node, nodeTape[i]!, gn.subarray(i * nDim, (i + 1) * nDim));
    for (let q = 0; q < nDim; q++) gn[i * nDim + q]! += gy[q]!;
    gAgg.set(gy.subarray(nDim), i * nDim);
    if (i % STEP === STEP - 1) yield;
  }
  const { sw } = geometry;
  const out: Float64Array[] = [];
  for (let k = 0; k < edges.nEdges; k++) {
    const i = edges.center[k]!;
    const j = edges.neighbor[k]!;
    const m = msg[k]!;
    const gm = new Float64Array(nDim);
    let dot = 0;
    for (let q = 0; q < nDim; q++) {
      const ga = gAgg[i * nDim + q]!;
      gm[q] = (ga * sw[k]!) / sel;
      dot += ga * m[q]!;
    }
    gs[k]! += dot / sel;
    const gx = mlpBackward(layer.message, msgTape[k]!, gm);
    const gek = ge[k]!.slice();
    if (layer.edge) {
      const gxe = mlpBackward(layer.edge, edgeTape[k]!, ge[k]!);
      for (let q = 0; q < gx.length; q++) gx[q]! += gxe[q]!;
    }
    for (let q = 0; q < nDim; q++) {
      gn[i * nDim + q]! += gx[q]!;
      gn[j * nDim + q]! += gx[nDim + q]!;
    }
    for (let q = 0; q < gek.length; q++) gek[q]! += gx[2 * nDim + q]!;
    out.push(gek);
    if (k % STEP === STEP - 1) yield;
  }
  return out;
}

/** B1: dE/dr_ij per edge from ∂E/∂e⁰ (through the embedding MLP and φ·s) and ∂E/∂s. */
export function gnnRadialGradient(...args: Parameters<typeof gnnRadialGradientSteps>): Float64Array {
  return finish(gnnRadialGradientSteps(...args));
}

/** {@link gnnRadialGradient} in steps (see {@link GnnSteps}). */
export function* gnnRadialGradientSteps(
  model: GnnModel,
  edges: GnnEdgeList,
  geometry: GnnGeometry,
  ge: Float64Array[],
  gs: Float64Array,
): GnnSteps<Float64Array> {
  const K = model.config.nBasis;
  const { sw, dsw, phi, dphi, embedTape } = geometry;
  const gr = new Float64Array(edges.nEdges);
  for (let k = 0; k < edges.nEdges; k++) {
    const gEmbed = mlpBackward(model.edgeEmbedding, embedTape[k]!, ge[k]!);
    let g = gs[k]! * dsw[k]!;
    for (let q = 0; q < K; q++) {
      g += gEmbed[q]! * (dphi[k * K + q]! * sw[k]! + phi[k * K + q]! * dsw[k]!);
    }
    gr[k] = g;
    if (k % STEP === STEP - 1) yield;
  }
  return gr;
}

/**
 * B0: forces, virial and per-atom virial from dE/dr per edge: g = (dE/dr) d/r; F_i += g; F_j −= g
 * (j of any row); W −= g ⊗ d into the 9 values at `virialOffset(i)` of `virial`; half of −g ⊗ d to
 * each end's per-atom virial (xx, yy, zz, xy, xz, yz) when `atomVirial` is given.
 */
export function gnnEdgeForces(
  edges: GnnEdgeList,
  gr: Float64Array,
  forces: Float64Array,
  virial: Float64Array,
  virialOffset: (center: number) => number,
  atomVirial?: Float64Array,
): void {
  for (let k = 0; k < edges.nEdges; k++) {
    const i = edges.center[k]!;
    const j = edges.neighbor[k]!;
    const r = edges.length[k]!;
    const d = edges.vector.subarray(3 * k, 3 * k + 3);
    const g = [(gr[k]! * d[0]!) / r, (gr[k]! * d[1]!) / r, (gr[k]! * d[2]!) / r];
    const s9 = virialOffset(i);
    for (let a = 0; a < 3; a++) {
      forces[3 * i + a]! += g[a]!;
      forces[3 * j + a]! -= g[a]!;
      for (let b = 0; b < 3; b++) virial[s9 + 3 * a + b]! -= g[a]! * d[b]!;
    }
    if (!atomVirial) continue;
    const w6 = [g[0]! * d[0]!, g[1]! * d[1]!, g[2]! * d[2]!, g[0]! * d[1]!, g[0]! * d[2]!, g[1]! * d[2]!];
    for (let q = 0; q < 6; q++) {
      atomVirial[6 * i + q]! -= 0.5 * w6[q]!;
      atomVirial[6 * j + q]! -= 0.5 * w6[q]!;
    }
  }
}
