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
 * multi-rank run exchanges per layer (forward) and reverses (backward).
 */
import type { GnnModel } from '../../io/gnnWeights.ts';
import type { Batch } from '../batch.ts';
import { emptyForceResult, type ForceResult, fillStress } from './forceResult.ts';
import { type GnnEdges, gnnEdges } from './gnnEdges.ts';
import { type MlpTape, mlpBackward, mlpForward, radialBasis, smoothSwitch } from './gnnMlp.ts';

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
  const { nDim, eDim, nLayers, sel } = c;
  const edges: GnnEdges = gnnEdges(batch, c.rcut, sel);
  const { nEdges, center, neighbor, length } = edges;
  const N = batch.nAtoms;
  const active = (i: number) => batch.types[i] !== -1;

  // F1 geometry.
  const sw = new Float64Array(nEdges);
  const dsw = new Float64Array(nEdges);
  const phi: Float64Array[] = [];
  const dphi: Float64Array[] = [];
  const embedTape: MlpTape[] = [];
  let e: Float64Array[] = [];
  const tmp = new Float64Array(2);
  for (let k = 0; k < nEdges; k++) {
    smoothSwitch(length[k]!, c.rcutSmooth, c.rcut, tmp);
    sw[k] = tmp[0]!;
    dsw[k] = tmp[1]!;
    const p = new Float64Array(c.nBasis);
    const dp = new Float64Array(c.nBasis);
    radialBasis(length[k]!, c.rcut, p, dp);
    phi.push(p);
    dphi.push(dp);
    const tape: MlpTape = [];
    e.push(
      mlpForward(
        model.edgeEmbedding,
        p.map((v) => v * sw[k]!),
        tape,
      ),
    );
    embedTape.push(tape);
  }

  // F2 nodes.
  let n: Float64Array[] = [];
  for (let i = 0; i < N; i++) {
    const t = batch.types[i]!;
    n.push(active(i) ? model.typeEmbedding.slice(t * nDim, (t + 1) * nDim) : new Float64Array(nDim));
  }

  // F3/F4 layers, keeping what the backward pass needs.
  const saved: { msg: Float64Array[]; msgTape: MlpTape[]; edgeTape: MlpTape[]; nodeTape: MlpTape[] }[] = [];
  for (let l = 0; l < nLayers; l++) {
    const layer = model.layers[l]!;
    const msg: Float64Array[] = [];
    const msgTape: MlpTape[] = [];
    const edgeTape: MlpTape[] = [];
    const eNext: Float64Array[] = [];
    for (let k = 0; k < nEdges; k++) {
      const x = new Float64Array(2 * nDim + eDim);
      x.set(n[center[k]!]!, 0);
      x.set(n[neighbor[k]!]!, nDim);
      x.set(e[k]!, 2 * nDim);
      const t: MlpTape = [];
      msg.push(mlpForward(layer.message, x, t));
      msgTape.push(t);
      if (layer.edge) {
        const te: MlpTape = [];
        const de = mlpForward(layer.edge, x, te);
        eNext.push(e[k]!.map((v, q) => v + de[q]!));
        edgeTape.push(te);
      }
    }
    const nodeTape: MlpTape[] = [];
    const nNext: Float64Array[] = [];
    for (let i = 0; i < N; i++) {
      const y = new Float64Array(2 * nDim);
      y.set(n[i]!, 0);
      for (let k = edges.edgePtr[i]!; k < edges.edgePtr[i + 1]!; k++) {
        const m = msg[k]!;
        const w = sw[k]! / sel;
        for (let q = 0; q < nDim; q++) y[nDim + q]! += w * m[q]!;
      }
      const t: MlpTape = [];
      const dn = active(i) ? mlpForward(layer.node, y, t) : new Float64Array(nDim);
      nodeTape.push(t);
      nNext.push(n[i]!.map((v, q) => v + dn[q]!));
    }
    saved.push({ msg, msgTape, edgeTape, nodeTape });
    n = nNext;
    if (layer.edge) e = eNext;
  }

  // F5 readout and B5.
  const result = emptyForceResult(batch);
  const gn: Float64Array[] = [];
  const one = Float64Array.of(1);
  for (let i = 0; i < N; i++) {
    if (!active(i)) {
      gn.push(new Float64Array(nDim));
      continue;
    }
    const t: MlpTape = [];
    result.energies[i] = mlpForward(model.readout, n[i]!, t)[0]! + model.energyBias[batch.types[i]!]!;
    gn.push(mlpBackward(model.readout, t, one));
  }
  for (let s = 0; s < batch.nSystems; s++) {
    let sum = 0;
    for (let i = batch.atomsPtr[s]!; i < batch.atomsPtr[s + 1]!; i++) sum += result.energies[i]!;
    result.energy[s] = sum;
  }

  // B4/B3 layers in reverse.
  const gs = new Float64Array(nEdges);
  let ge: Float64Array[] = Array.from({ length: nEdges }, () => new Float64Array(eDim));
  for (let l = nLayers - 1; l >= 0; l--) {
    const layer = model.layers[l]!;
    const { msg, msgTape, edgeTape, nodeTape } = saved[l]!;
    const gAgg: Float64Array[] = [];
    for (let i = 0; i < N; i++) {
      if (!active(i)) {
        gAgg.push(new Float64Array(nDim));
        continue;
      }
      const gy = mlpBackward(layer.node, nodeTape[i]!, gn[i]!);
      for (let q = 0; q < nDim; q++) gn[i]![q]! += gy[q]!;
      gAgg.push(gy.subarray(nDim));
    }
    const geNext = ge;
    ge = [];
    for (let k = 0; k < nEdges; k++) {
      const i = center[k]!;
      const j = neighbor[k]!;
      const ga = gAgg[i]!;
      const m = msg[k]!;
      const gm = new Float64Array(nDim);
      let dot = 0;
      for (let q = 0; q < nDim; q++) {
        gm[q] = (ga[q]! * sw[k]!) / sel;
        dot += ga[q]! * m[q]!;
      }
      gs[k]! += dot / sel;
      const gx = mlpBackward(layer.message, msgTape[k]!, gm);
      const gek = geNext[k]!.slice();
      if (layer.edge) {
        const gxe = mlpBackward(layer.edge, edgeTape[k]!, geNext[k]!);
        for (let q = 0; q < gx.length; q++) gx[q]! += gxe[q]!;
      }
      for (let q = 0; q < nDim; q++) {
        gn[i]![q]! += gx[q]!;
        gn[j]![q]! += gx[nDim + q]!;
      }
      for (let q = 0; q < eDim; q++) gek[q]! += gx[2 * nDim + q]!;
      ge.push(gek);
    }
  }

  // B1 geometry and B0 forces, virials.
  const { forces, virial, atomVirial } = result;
  for (let k = 0; k < nEdges; k++) {
    const gEmbed = mlpBackward(model.edgeEmbedding, embedTape[k]!, ge[k]!);
    let gr = gs[k]! * dsw[k]!;
    const p = phi[k]!;
    const dp = dphi[k]!;
    for (let q = 0; q < c.nBasis; q++) gr += gEmbed[q]! * (dp[q]! * sw[k]! + p[q]! * dsw[k]!);
    const i = center[k]!;
    const j = neighbor[k]!;
    const r = length[k]!;
    const d = edges.vector.subarray(3 * k, 3 * k + 3);
    const g = [(gr * d[0]!) / r, (gr * d[1]!) / r, (gr * d[2]!) / r];
    const s9 = 9 * systemIndex(batch, i);
    for (let a = 0; a < 3; a++) {
      forces[3 * i + a]! += g[a]!;
      forces[3 * j + a]! -= g[a]!;
      for (let b = 0; b < 3; b++) virial[s9 + 3 * a + b]! -= g[a]! * d[b]!;
    }
    const w6 = [g[0]! * d[0]!, g[1]! * d[1]!, g[2]! * d[2]!, g[0]! * d[1]!, g[0]! * d[2]!, g[1]! * d[2]!];
    for (let q = 0; q < 6; q++) {
      atomVirial[6 * i + q]! -= 0.5 * w6[q]!;
      atomVirial[6 * j + q]! -= 0.5 * w6[q]!;
    }
  }
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
