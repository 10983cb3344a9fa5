/**
 * The message-passing GNN (DESIGN §6) on one rank of a decomposition, f64 (DESIGN §5): the passes of
 * reference/gnnLayers.ts — the same functions as the single-system reference — over the rank's rows.
 *
 *   edges     owned centres i (visible) → any visible row j (owned or ghost) with r_ij < rcut, the
 *             nearest `sel` (ties by global id, then the edge vector, as reference/gnnEdges.ts);
 *             ghosts need only one cutoff of depth, whatever the number of layers
 *   forward   before every layer l, `rank.forward(n^l, nDim)` fills the ghost rows of the node
 *             features from their owners (who updated them in layer l−1)
 *   backward  layer by layer in reverse; after layer l's edge pass has scattered x̄_ij[n_j] into
 *             ghost rows, `rank.reverse(n̄, nDim)` adds them into the owners' rows (and zeroes the
 *             ghost rows), so the owners' ∂E/∂n^l are complete before layer l−1. (After layer 0 the
 *             exchange is skipped: ∂E/∂n⁰ feeds nothing, the type embedding has no position.)
 *   forces    F_i += g, F_j −= g per edge, then `rank.reverse(forces, 3)` (and width 6 for the
 *             per-atom virials) brings the ghosts' shares home
 *   energy    per-atom energies of owned atoms; the rank's virial share is Σ over its edges.
 *
 * Summed over ranks this equals the single-rank reference exactly (up to summation order).
 */
import type { GnnModel } from '../../io/gnnWeights.ts';
import {
  cooperate,
  type GnnEdgeList,
  type GnnLayerTape,
  gnnEdgeForces,
  gnnGeometrySteps,
  gnnInitialNodes,
  gnnLayerBackwardSteps,
  gnnLayerForwardSteps,
  gnnRadialGradientSteps,
  gnnReadoutSteps,
} from '../reference/gnnLayers.ts';
import type { ForceRequest, RankForceField } from './forceField.ts';
import { emptyLocalForces, forEachFullPair, type LocalForces } from './localForces.ts';
import type { DomainRank, TypeVisibility } from './rank.ts';

/** Options of the GNN on a rank. */
export interface GnnDomainOptions {
  /**
   * Model type of each structure type (−1: NULL, invisible to the model), e.g. from
   * io/gnnWeights.ts `checkElements`. Default: structure type = model type.
   */
  typeMap?: Int32Array;
  /**
   * Test only: false skips every reverse exchange (feature gradients, forces, per-atom virials) and
   * drops the ghosts' shares, to show that parity needs them. Default true.
   */
  backwardExchange?: boolean;
}

/** What the neighbour cap did on this rank (owned centres). */
export interface GnnDomainStatus {
  /** Owned centres with more than `sel` neighbours within rcut. */
  truncatedAtoms: number;
  /** Largest neighbour count within rcut of an owned centre. */
  maxNeighbors: number;
}

/** Model type per structure type: the identity when no map is given, with range checks. */
function modelTypeOf(model: GnnModel, typeMap?: Int32Array): (t: number) => number {
  const nTypes = model.config.elements.length;
  if (typeMap) {
    for (const t of typeMap) {
      if (!(t === -1 || (Number.isInteger(t) && t >= 0 && t < nTypes))) {
        throw new Error(`the type map names model type ${t}; the GNN model has types 0 … ${nTypes - 1}`);
      }
    }
  }
  return (t) => {
    if (t === -1) return -1;
    if (typeMap) {
      if (!(Number.isInteger(t) && t >= 0 && t < typeMap.length)) {
        throw new Error(
          `an atom has type ${t}, but the GNN potential maps ${typeMap.length} types (0 … ${typeMap.length - 1}; −1 is NULL)`,
        );
      }
      return typeMap[t]!;
    }
    if (!(Number.isInteger(t) && t >= 0 && t < nTypes)) {
      throw new Error(`an atom has type ${t}; the GNN model has types 0 … ${nTypes - 1} (and −1 for NULL)`);
    }
    return t;
  };
}

/**
 * Types the GNN sees (mapped to a model type, not NULL). Pass it to the DomainRank so that NULL
 * atoms are never ghosts. Throws (when called) on a type outside the map.
 */
export function gnnVisibility(model: GnnModel, typeMap?: Int32Array): TypeVisibility {
  const of = modelTypeOf(model, typeMap);
  return (t) => of(t) >= 0;
}

/**
 * The GNN's edges on a rank: owned visible centres to visible rows within rcut, nearest `sel` first
 * (the order of reference/gnnEdges.ts with global ids for indices).
 */
export function gnnRankEdges(
  rank: DomainRank,
  rcut: number,
  sel: number,
  visible: TypeVisibility,
): GnnEdgeList & GnnDomainStatus {
  const { nLocal, nAll, id } = rank;
  const perCentre: { j: number; x: number; y: number; z: number; r: number }[][] = Array.from(
    { length: nLocal },
    () => [],
  );
  forEachFullPair(rank.x, rank.type, nLocal, nAll, rcut, visible, (i, j, dx, dy, dz, r2) => {
    perCentre[i]!.push({ j, x: -dx, y: -dy, z: -dz, r: Math.sqrt(r2) });
  });
  let truncatedAtoms = 0;
  let maxNeighbors = 0;
  let nEdges = 0;
  for (const list of perCentre) {
    list.sort((a, b) => a.r - b.r || id[a.j]! - id[b.j]! || a.x - b.x || a.y - b.y || a.z - b.z);
    maxNeighbors = Math.max(maxNeighbors, list.length);
    if (list.length > sel) {
      truncatedAtoms++;
      list.length = sel;
    }
    nEdges += list.length;
  }
  const edges = {
    nEdges,
    center: new Int32Array(nEdges),
    neighbor: new Int32Array(nEdges),
    vector: new Float64Array(3 * nEdges),
    length: new Float64Array(nEdges),
    edgePtr: new Int32Array(nLocal + 1),
    truncatedAtoms,
    maxNeighbors,
  };
  let e = 0;
  perCentre.forEach((list, i) => {
    edges.edgePtr[i] = e;
    for (const edge of list) {
      edges.center[e] = i;
      edges.neighbor[e] = edge.j;
      edges.vector.set([edge.x, edge.y, edge.z], 3 * e);
      edges.length[e] = edge.r;
      e++;
    }
  });
  edges.edgePtr[nLocal] = e;
  return edges;
}

/**
 * Energies, forces and virials of the GNN on this rank's owned rows (collective: L forward
 * exchanges of node features, L−1 reverse exchanges of their gradients, one of forces and, with
 * `request.virial`, one of per-atom virials). Ghost rows of the result are zero. The rank must have
 * been built with {@link gnnVisibility} and a ghost cutoff ≥ rcut.
 */
export async function gnnDomain(
  rank: DomainRank,
  model: GnnModel,
  request: ForceRequest = { energy: true, virial: true },
  options: GnnDomainOptions = {},
): Promise<LocalForces & { status: GnnDomainStatus }> {
  const c = model.config;
  if (c.rcut > rank.plan.ghostCutoff) {
    throw new Error(
      `GNN cutoff ${c.rcut} Å exceeds the ghost cutoff ${rank.plan.ghostCutoff} Å of the decomposition`,
    );
  }
  const exchange = options.backwardExchange ?? true;
  const typeOf = modelTypeOf(model, options.typeMap);
  const visible: TypeVisibility = (t) => typeOf(t) >= 0;
  const { nLocal, nAll, type } = rank;
  const rowType = (i: number) => typeOf(type[i]!);
  const active = (i: number) => rowType(i) >= 0;
  const edges = gnnRankEdges(rank, c.rcut, c.sel, visible);
  const out = emptyLocalForces(nAll);

  // The passes yield to the event loop every ~20 ms (a worker's heartbeats and messages go on).
  const geometry = await cooperate(gnnGeometrySteps(model, edges));
  let n = gnnInitialNodes(model, rowType, nLocal, nAll);
  let e = geometry.e0;
  const tapes: GnnLayerTape[] = [];
  for (let l = 0; l < c.nLayers; l++) {
    await rank.forward(n, c.nDim);
    const next = await cooperate(gnnLayerForwardSteps(model, l, edges, geometry, n, e, active));
    tapes.push(next.tape);
    n = next.n;
    e = next.e;
  }
  const gn = await cooperate(gnnReadoutSteps(model, n, rowType, nLocal, out.energies));
  for (let i = 0; i < nLocal; i++) out.energy += out.energies[i]!;

  const gs = new Float64Array(edges.nEdges);
  let ge: Float64Array[] = Array.from({ length: edges.nEdges }, () => new Float64Array(c.eDim));
  for (let l = c.nLayers - 1; l >= 0; l--) {
    ge = await cooperate(gnnLayerBackwardSteps(model, l, edges, geometry, tapes[l]!, gn, ge, gs, active));
    if (l > 0) {
      if (exchange) await rank.reverse(gn, c.nDim);
      else gn.fill(0, c.nDim * nLocal);
    }
  }
  const gr = await cooperate(gnnRadialGradientSteps(model, edges, geometry, ge, gs));
  gnnEdgeForces(edges, gr, out.forces, out.virial, () => 0, request.virial ? out.atomVirial : undefined);
  if (exchange) {
    await rank.reverse(out.forces, 3);
    if (request.virial) await rank.reverse(out.atomVirial, 6);
  } else {
    out.forces.fill(0, 3 * nLocal);
    out.atomVirial.fill(0, 6 * nLocal);
  }
  return { ...out, status: { truncatedAtoms: edges.truncatedAtoms, maxNeighbors: edges.maxNeighbors } };
}

/**
 * The f64 GNN as a rank's force field (the reference the GPU one is tested against).
 * @param model the parsed weights (io/gnnWeights.ts)
 * @param options type map (structure type → model type) and the test-only `backwardExchange`
 */
export function gnnRankForceField(model: GnnModel, options: GnnDomainOptions = {}): RankForceField {
  return {
    label: 'gnn (f64)',
    cutoff: model.config.rcut,
    visible: gnnVisibility(model, options.typeMap),
    compute: (rank, request) => gnnDomain(rank, model, request, options),
    destroy: () => {},
  };
}
