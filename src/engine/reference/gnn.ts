/**
 * The message-passing GNN potential (DESIGN §6, weights: docs/gnn-weights.md), f64 reference:
 * forward pass (per-atom and total energies) and a hand-written backward pass (forces = −dE/dr,
 * virial, per-atom virial) — the executable spec of the future kernels/gnn/*.wgsl, pass by pass.
 *
 * Model (nDim node width, eDim edge width, L layers, K radial functions, sel, MLPs with SiLU):
 *   edges       i → j for every neighbor j (periodic images included) with r_ij < rcut, the nearest
 *               `sel` per center (gnnEdges.ts); d_ij = r_j + T − r_i, r_ij = |d_ij|.
 *   F1 geometry s_ij = s(r_ij) (C² switch rcutSmooth → rcut), e⁰_ij = MLP_embed(φ(r_ij) · s_ij)
 *   F2 nodes    n⁰_i = typeEmbedding[type_i]
 *   layer l = 0..L−1:
 *   F3 edges    x_ij = [n_i, n_j, e_ij]; m_ij = MLP_msg(x_ij); e_ij += MLP_edge(x_ij) (not in the last layer)
 *   F4 nodes    a_i = (1/sel) Σ_j s_ij m_ij;  n_i += MLP_node([n_i, a_i])
 *   F5 readout  E_i = MLP_out(n_i) + bias[type_i];  E = Σ_i E_i
 * Backward (reverse order; x̄ = ∂E/∂x):
 *   B5 readout  n̄_i = MLP_outᵀ(1)
 *   layer l = L−1..0:
 *   B4 nodes    [n̄ᵃ_i, ā_i] = MLP_nodeᵀ(n̄_i);  n̄_i += n̄ᵃ_i
 *   B3 edges    m̄_ij = ā_i s_ij / sel;  s̄_ij += ā_i · m_ij / sel;
 *               x̄_ij = MLP_msgᵀ(m̄_ij) + MLP_edgeᵀ(ē_ij);  ē_ij += x̄_ij[e];  n̄_i += x̄_ij[n_i];
 *               n̄_j += x̄_ij[n_j]  (a scatter into the neighbor: the one cross-atom write)
 *   B1 geometry r̄_ij = s̄_ij s′_ij + Σ_k MLP_embedᵀ(ē⁰_ij)_k (φ′_k s_ij + φ_k s′_ij)
 *   B0 forces   g_ij = r̄_ij d_ij / r_ij;  F_i += g_ij;  F_j −= g_ij;  W −= g_ij ⊗ d_ij
 * The node features are the only thing read across atoms (n_j in F3, n̄_j in B3), which is what a
 * multi-rank run exchanges per layer (forward) and reverses (backward). The passes themselves are
 * gnnLayers.ts, shared with the ranks of a decomposition (decomposition/gnn.ts).
 */
import type { GnnModel } from '../../io/gnnWeights.ts';
import type { Batch } from '../batch.ts';
import { emptyForceResult, type ForceResult, fillStress } from './forceResult.ts';
import { type GnnEdges, gnnEdges } from './gnnEdges.ts';
import {
  type GnnLayerTape,
  gnnEdgeForces,
  gnnGeometry,
  gnnInitialNodes,
  gnnLayerBackward,
  gnnLayerForward,
  gnnRadialGradient,
  gnnReadout,
} from './gnnLayers.ts';

/** A ForceResult plus what the neighbor cap did. */
export interface GnnResult extends ForceResult {
  /** Centers that had more than `sel` neighbors within rcut (their farthest were dropped). */
  truncatedAtoms: number;
  /** Largest neighbor count within rcut before the cap. */
  maxNeighbors: number;
}

function checkTypes(batch: Batch, nTypes: number): void {
  for (let i = 0; i < batch.nAtoms; i++) {
    const t = batch.types[i]!;
    if (t !== -1 && !(t >= 0 && t < nTypes)) {
      throw new Error(`atom ${i} has type ${t}; the GNN model has types 0..${nTypes - 1} (and −1 for NULL)`);
    }
  }
}

/**
 * Energies, forces (−dE/dr, analytic), virial W = −Σ_edges g ⊗ d (W_ab = Σ d_a f_b as in
 * ForceResult), per-atom virial (half of each edge's −g ⊗ d to each of its two atoms; xy = −Σ g_x d_y)
 * and stress of the GNN over every system of `batch`. NULL atoms (type −1) are invisible: no edges,
 * no energy, no force. Periodic images count on restricted triclinic cells of any size.
 */
export function gnnReference(batch: Batch, model: GnnModel): GnnResult {
  const c = model.config;
  checkTypes(batch, c.elements.length);
  const edges: GnnEdges = gnnEdges(batch, c.rcut, c.sel);
  const N = batch.nAtoms;
  const type = (i: number) => batch.types[i]!;
  const active = (i: number) => batch.types[i] !== -1;

  // F1, F2, then F3/F4 per layer, keeping what the backward pass needs. Every atom is a centre and
  // reads its neighbours' rows directly (periodic images included): a plain gather, no exchange.
  const geometry = gnnGeometry(model, edges);
  let n = gnnInitialNodes(model, type, N, N);
  let e = geometry.e0;
  const tapes: GnnLayerTape[] = [];
  for (let l = 0; l < c.nLayers; l++) {
    const next = gnnLayerForward(model, l, edges, geometry, n, e, active);
    tapes.push(next.tape);
    n = next.n;
    e = next.e;
  }

  // F5 readout and B5.
  const result = emptyForceResult(batch);
  const gn = gnnReadout(model, n, type, N, result.energies);
  for (let s = 0; s < batch.nSystems; s++) {
    let sum = 0;
    for (let i = batch.atomsPtr[s]!; i < batch.atomsPtr[s + 1]!; i++) sum += result.energies[i]!;
    result.energy[s] = sum;
  }

  // B4/B3 layers in reverse, B1 geometry and B0 forces, virials.
  const gs = new Float64Array(edges.nEdges);
  let ge: Float64Array[] = Array.from({ length: edges.nEdges }, () => new Float64Array(c.eDim));
  for (let l = c.nLayers - 1; l >= 0; l--) {
    ge = gnnLayerBackward(model, l, edges, geometry, tapes[l]!, gn, ge, gs, active);
  }
  const gr = gnnRadialGradient(model, edges, geometry, ge, gs);
  gnnEdgeForces(edges, gr, result.forces, result.virial, (i) => 9 * systemIndex(batch, i), result.atomVirial);
  fillStress(batch, result);
  return { ...result, truncatedAtoms: edges.truncatedAtoms, maxNeighbors: edges.maxNeighbors };
}

/** System of atom i (binary search in atomsPtr). */
function systemIndex(batch: Batch, i: number): number {
  let lo = 0;
  let hi = batch.nSystems - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (batch.atomsPtr[mid]! <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
