// Shared by the per-edge passes of the pair path (message.wgsl, edge_backward.wgsl,
// pair_gradient.wgsl), after gnn_common.wgsl and a generated prelude (src/engine/gpu/gnnPairs.ts):
// E4, H4 (edge and hidden widths in vec4s, zero-padded), HIDDEN_WIDTH, TABLE_KNOTS and TABLE_SCALE
// (the embedding table), the edge-weight array `ew` (a uniform buffer where it fits, else storage)
// whose offsets the generated chain functions of each layer carry.
//
// The pair path never stores per-edge features. One workgroup of PAIR_WG threads takes one atom i;
// thread t takes the pairs t, t + PAIR_WG, … of i's compacted list (list.wgsl: every neighbor j
// within rcut, with d_ij = r_j + T − r_i). Every pass recomputes what it needs of an edge from its
// length and the per-atom inputs, because the first linear layer of the message and edge MLPs
// splits over the concatenation [n_c, n_nb, e]:
//   W [n_c, n_nb, e] + b = P_c + Q_nb + W_e e,   P = W_c n + b and Q = W_nb n per atom (project.wgsl)
// and the last linear layer of the message MLP commutes with the sum over neighbors:
//   a_i = (W₂ Σ_j s_ij silu(h_ij) + b₂ Σ_j s_ij) / sel                  (node_update.wgsl)
// so an edge costs E·H (each W_e) + H·E (each edge-MLP output layer) multiply-adds forward, instead
// of the (2·N + E)·H + H·N of the concatenated MLPs. The edge embedding, a function of r alone, is
// read from a table (embedAt), as DeePMD-kit's model compression tabulates its embedding net.
// Matrices in `ew` are stored input-major: row q (one per input, padded to a multiple of 4) holds
// the outputs as vec4s, so y = W x is a sum of rows scaled by x_q and x̄ = Wᵀ ȳ a dot per row.

/// Pairs per atom the list holds (the Verlet list's capacity): stride of pairs, links and rbar.
alias EV = array<vec4f, E4>;
alias HV = array<vec4f, H4>;

/// [N][CAP]: d_ij (Å) and the Verlet entry (bits of w) of every pair within rcut.
@group(0) @binding(10) var<storage, read> pairs: array<vec4f>;
/// [N]: pair count, then the selection cut (list.wgsl, cut.wgsl).
@group(0) @binding(11) var<storage, read> atomSel: array<vec4u>;
/// [L][N][4][H4]: P_msg, Q_msg, P_edge, Q_edge of every atom (project.wgsl).
@group(0) @binding(12) var<storage, read> proj: array<vec4f>;
/// [L][N][H4 + 1]: G = W₂ᵀ ā / sel, then (c = b₂ · ā / sel, 0, 0, 0) (node_backward.wgsl).
@group(0) @binding(13) var<storage, read> gate: array<vec4f>;
/// [N][CAP]: link word of every pair (links.wgsl): reverse slot, LINK_OUT, LINK_IN.
@group(0) @binding(14) var<storage, read> links: array<u32>;
/// [TABLE_KNOTS − 1][4][E4]: the intervals of the embedding table (embedAt).
@group(0) @binding(9) var<storage, read> embedTable: array<vec4f>;

/// Atom of this workgroup (a 2-D grid of one workgroup per atom).
fn pairAtom(wid: vec3u, groups: vec3u) -> u32 {
  return wid.y * groups.x + wid.x;
}

fn silu4(x: vec4f) -> vec4f {
  return x / (1.0 + exp(-x));
}

fn siluDerivative4(x: vec4f) -> vec4f {
  let s = 1.0 / (1.0 + exp(-x));
  return s * (1.0 + x * (1.0 - s));
}

fn siluH(x: HV) -> HV {
  var y: HV;
  for (var o = 0u; o < H4; o++) {
    y[o] = silu4(x[o]);
  }
  return y;
}

fn siluDerivativeH(x: HV) -> HV {
  var y: HV;
  for (var o = 0u; o < H4; o++) {
    y[o] = siluDerivative4(x[o]);
  }
  return y;
}

fn mulH(a: HV, b: HV) -> HV {
  var y: HV;
  for (var o = 0u; o < H4; o++) {
    y[o] = a[o] * b[o];
  }
  return y;
}

fn scaleH(a: HV, s: f32) -> HV {
  var y: HV;
  for (var o = 0u; o < H4; o++) {
    y[o] = a[o] * s;
  }
  return y;
}

/// x̄ + Wᵀ ḡ for the E → H matrix whose transpose (H → E, input-major) is at `wt` in `ewt`.
fn backH2E(wt: u32, g: HV, x: EV) -> EV {
  var y = x;
  for (var q = 0u; q < H4; q++) {
    let gv = g[q];
    let r = wt + 4u * q * E4;
    for (var o = 0u; o < E4; o++) {
      y[o] += ewt[r + o] * gv.x + ewt[r + E4 + o] * gv.y + ewt[r + 2u * E4 + o] * gv.z + ewt[r + 3u * E4 + o] * gv.w;
    }
  }
  return y;
}

/// Wᵀ ḡ for the H → E matrix whose transpose (E → H, input-major) is at `wt` in `ewt`.
fn backE2H(wt: u32, g: EV) -> HV {
  var y: HV;
  for (var q = 0u; q < E4; q++) {
    let gv = g[q];
    let r = wt + 4u * q * H4;
    for (var o = 0u; o < H4; o++) {
      y[o] += ewt[r + o] * gv.x + ewt[r + H4 + o] * gv.y + ewt[r + 2u * H4 + o] * gv.z + ewt[r + 3u * H4 + o] * gv.w;
    }
  }
  return y;
}

/// The pre-activation P_c + Q_nb + W x of a first linear layer: parts `part` (P) and `part` + 1 (Q)
/// of layer l, W the E → H matrix at `w`.
fn preact(l: u32, part: u32, c: u32, nb: u32, w: u32, x: EV) -> HV {
  let pc = ((l * params.nAtoms + c) * 4u + part) * H4;
  let qn = ((l * params.nAtoms + nb) * 4u + part + 1u) * H4;
  var y: HV;
  for (var o = 0u; o < H4; o++) {
    y[o] = proj[pc + o] + proj[qn + o];
  }
  for (var q = 0u; q < E4; q++) {
    let xv = x[q];
    let r = w + 4u * q * H4;
    for (var o = 0u; o < H4; o++) {
      y[o] += ew[r + o] * xv.x + ew[r + H4 + o] * xv.y + ew[r + 2u * H4 + o] * xv.z + ew[r + 3u * H4 + o] * xv.w;
    }
  }
  return y;
}

/// e + W silu(h) + b: the residual edge update (W the H → E matrix at `w`, b at `wb`).
fn edgeUpdate(w: u32, wb: u32, h: HV, e: EV) -> EV {
  var y: EV;
  for (var o = 0u; o < E4; o++) {
    y[o] = e[o] + ew[wb + o];
  }
  for (var q = 0u; q < H4; q++) {
    let xv = silu4(h[q]);
    let r = w + 4u * q * E4;
    for (var o = 0u; o < E4; o++) {
      y[o] += ew[r + o] * xv.x + ew[r + E4 + o] * xv.y + ew[r + 2u * E4 + o] * xv.z + ew[r + 3u * E4 + o] * xv.w;
    }
  }
  return y;
}

/// What the gate of layer l of centre c makes of a message pre-activation h: ∂E/∂h = s silu′(h) ⊙ G
/// and the switch's share ∂E/∂s = G · silu(h) + c (node_backward.wgsl).
struct MessageGate {
  dh: HV,
  sbar: f32,
}

fn messageGate(h: HV, l: u32, c: u32, s: f32) -> MessageGate {
  let at = (l * params.nAtoms + c) * (H4 + 1u);
  var out: MessageGate;
  var sbar = 0.0;
  for (var o = 0u; o < H4; o++) {
    let g = gate[at + o];
    let x = h[o];
    let sig = 1.0 / (1.0 + exp(-x));
    out.dh[o] = sig * (1.0 + x * (1.0 - sig)) * g * s;
    sbar += dot(g, x * sig);
  }
  out.sbar = sbar + gate[at + H4].x;
  return out;
}

/// e⁰(r) = MLP_embed(φ(r)·s(r)) and de⁰/dr (1/Å), from the table of gnnPairs.ts: cubic Hermite
/// interpolation on knots r_m = m/TABLE_SCALE Å, differentiated exactly (forces stay the gradient of
/// the energy the kernels compute). Each interval stores y_m, Δ_m = y_(m+1) − y_m, h·y′_m and
/// h·y′_(m+1) (from f64), so the derivative needs no difference of rounded values.
struct Embedding {
  e: EV,
  de: EV,
}

fn embedAt(r: f32) -> Embedding {
  let x = r * TABLE_SCALE;
  let m = min(u32(x), TABLE_KNOTS - 2u);
  let t = x - f32(m);
  let t2 = t * t;
  let t3 = t2 * t;
  let h01 = 3.0 * t2 - 2.0 * t3;
  let h10 = t3 - 2.0 * t2 + t;
  let h11 = t3 - t2;
  let d01 = (6.0 * t - 6.0 * t2) * TABLE_SCALE;
  let d10 = (3.0 * t2 - 4.0 * t + 1.0) * TABLE_SCALE;
  let d11 = (3.0 * t2 - 2.0 * t) * TABLE_SCALE;
  var out: Embedding;
  let at = m * 4u * E4;
  for (var o = 0u; o < E4; o++) {
    let y = embedTable[at + o];
    let delta = embedTable[at + E4 + o];
    let g0 = embedTable[at + 2u * E4 + o];
    let g1 = embedTable[at + 3u * E4 + o];
    out.e[o] = y + h01 * delta + h10 * g0 + h11 * g1;
    out.de[o] = d01 * delta + d10 * g0 + d11 * g1;
  }
  return out;
}

/// Workgroup sums (reduceH): PAIR_WG rows of REDUCE_BLOCK vec4s, then partial sums.
const REDUCE_BLOCK: u32 = 4u;
const REDUCE_PARTS: u32 = PAIR_WG / REDUCE_BLOCK;
var<workgroup> reduceRows: array<vec4f, PAIR_WG * REDUCE_BLOCK>;
var<workgroup> reduceParts: array<vec4f, PAIR_WG>;
var<workgroup> reduceScalars: array<f32, PAIR_WG>;
/// The pass's workgroup sums (SUM_SIZE vec4s, set by the pass before this file).
var<workgroup> pairSums: array<vec4f, SUM_SIZE>;

/// Adds Σ over the workgroup's threads of `x` into pairSums[at … at + H4), REDUCE_BLOCK vec4s at a
/// time. Call from uniform control flow with every thread.
fn reduceH(x: HV, tid: u32, at: u32) {
  for (var b0 = 0u; b0 < H4; b0 += REDUCE_BLOCK) {
    for (var b = 0u; b < REDUCE_BLOCK; b++) {
      reduceRows[tid * REDUCE_BLOCK + b] = select(vec4f(0.0), x[min(b0 + b, H4 - 1u)], b0 + b < H4);
    }
    workgroupBarrier();
    // Thread t sums column t % REDUCE_BLOCK over rows (t / REDUCE_BLOCK) · REDUCE_BLOCK …
    let column = tid % REDUCE_BLOCK;
    let part = tid / REDUCE_BLOCK;
    var s = vec4f(0.0);
    for (var r = 0u; r < REDUCE_BLOCK; r++) {
      s += reduceRows[(part * REDUCE_BLOCK + r) * REDUCE_BLOCK + column];
    }
    reduceParts[part * REDUCE_BLOCK + column] = s;
    workgroupBarrier();
    if (tid < REDUCE_BLOCK && b0 + tid < H4) {
      var total = vec4f(0.0);
      for (var p = 0u; p < REDUCE_PARTS; p++) {
        total += reduceParts[p * REDUCE_BLOCK + tid];
      }
      pairSums[at + b0 + tid] += total;
    }
    workgroupBarrier();
  }
}

/// Σ over the workgroup's threads of `x`, returned to every thread. Uniform control flow.
fn reduceScalar(x: f32, tid: u32) -> f32 {
  reduceScalars[tid] = x;
  workgroupBarrier();
  for (var stride = PAIR_WG / 2u; stride > 0u; stride /= 2u) {
    if (tid < stride) {
      reduceScalars[tid] += reduceScalars[tid + stride];
    }
    workgroupBarrier();
  }
  let total = reduceScalars[0];
  workgroupBarrier();
  return total;
}
