// Shared by every GNN pass (kernels/gnn/*.wgsl), after a model-specific prelude that
// src/engine/gpu/gnn.ts generates (gnnPrelude): N_DIM, E_DIM, N_BASIS, N_LAYERS, N_LINEAR (linear
// layers per MLP), HIDDEN (hidden widths, padded with one 0), MAX_WIDTH, TAPE_SIZE, N_MODEL_TYPES,
// TYPE_MAP (potential type → model type, −1 = NULL), the weight offsets EMBED_MLP, MSG_MLP[l],
// NODE_MLP[l], EDGE_MLP[l], READOUT_MLP, TYPE_EMBEDDING, ENERGY_BIAS, and SEL_F (sel as f32).
//
// The pair passes (kernels/gnn/pair/, src/engine/gpu/gnnPairs.ts) use the declarations and MLP
// helpers here too; the pass list and edge slots below are those of the slot path, which runs any
// model. The model is the f64 reference src/engine/reference/gnn.ts in f32, pass by pass:
//   gnn_edges.wgsl            F1  edge slots: cutoff, nearest-sel selection, reverse slot, s, e⁰
//   gnn_nodes.wgsl            F2  n⁰ = type embedding; neighbor-count status
//   gnn_message.wgsl          F3  m_ij = MLP_msg(x_ij), e_ij += MLP_edge(x_ij)      (per layer)
//   gnn_node_update.wgsl      F4  a_i = Σ s m / sel, n_i += MLP_node([n_i, a_i])    (per layer)
//   gnn_readout.wgsl          F5+B5  E_i, n̄_i = MLP_outᵀ(1)
//   gnn_node_backward.wgsl    B4  [n̄ᵃ, ā] = MLP_nodeᵀ(n̄)                            (per layer)
//   gnn_message_backward.wgsl B3  m̄, s̄, x̄ = MLP_msgᵀ(m̄) + MLP_edgeᵀ(ē), ē += x̄[e]     (per layer)
//   gnn_node_gather.wgsl      B3  n̄_i += Σ_own x̄[n_i] + Σ_reverse x̄[n_j]             (per layer)
//   gnn_edge_gradient.wgsl    B1  g_ij = r̄_ij d_ij / r_ij
//   gnn_forces.wgsl           B0  F_i = Σ_k (g_k − g_rev(k)), per-atom energy and virial
//
// Edge slots: one per Verlet entry, slot = k·nAtoms + i for entry k < capacity of row i (the
// layout of the neighbor list). A slot is an edge i → j when the entry is within rcut, both atoms
// are non-NULL and j is among the `sel` nearest of i; other slots are inactive and hold zeros.
// The cross-atom scatter n̄_j += x̄_ij[n_j] of B3 (and F_j −= g_ij of B0) is a gather instead (WGSL
// has no float atomics): the Verlet list is full, so row j holds the entry (i, −T) of every edge
// i → j (T), and F1 stores for each slot the slot of that reverse entry; atom j then sums the
// stored parts of the edges pointing at it through its own row.

/// Per-dispatch parameters (one uniform per layer; everything but `layer` is the same).
struct GnnParams {
  nAtoms: u32,
  /// Entries per neighbor row the slots cover (≥ the list's capacity).
  slotsPerAtom: u32,
  /// Current layer l (per-layer passes).
  layer: u32,
  /// Threads per row of a 2-D dispatch of the per-slot passes (groups.x · WORKGROUP_SIZE).
  threadsPerRow: u32,
  /// Cutoff, Å.
  rcut: f32,
  /// Switch start, Å.
  rcutSmooth: f32,
  /// sel as a count.
  sel: u32,
  _pad0: u32,
}

/// Status words (atomic<u32>): largest neighbor count within rcut, centers that lost neighbors to
/// the sel cap, edges whose reverse entry was missing from the Verlet list (always 0 for a full list).
const STATUS_MAX_NEIGHBORS: u32 = 0u;
const STATUS_TRUNCATED: u32 = 1u;
const STATUS_MISSING_REVERSE: u32 = 2u;
/// Reverse slot of an edge whose reverse entry does not exist.
const NO_SLOT: u32 = 0xffffffffu;

/// One edge slot. flags: EDGE_WITHIN (r < rcut, both atoms non-NULL), EDGE_ACTIVE (selected),
/// EDGE_NO_REVERSE (an active edge whose reverse entry is missing from the list).
struct GnnEdge {
  d: vec3f,
  r: f32,
  s: f32,
  ds: f32,
  flags: u32,
  reverse: u32,
  row: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

const EDGE_WITHIN: u32 = 1u;
const EDGE_ACTIVE: u32 = 2u;
const EDGE_NO_REVERSE: u32 = 4u;

@group(0) @binding(0) var<storage, read> weights: array<f32>;
@group(0) @binding(1) var<uniform> params: GnnParams;

alias Vec = array<f32, MAX_WIDTH>;
alias Tape = array<f32, TAPE_SIZE>;

fn sigmoid(x: f32) -> f32 {
  return 1.0 / (1.0 + exp(-x));
}

fn silu(x: f32) -> f32 {
  return x * sigmoid(x);
}

fn siluDerivative(x: f32) -> f32 {
  let s = sigmoid(x);
  return s * (1.0 + x * (1.0 - s));
}

/// Model type of an atom from positions.w (−1 for NULL atoms and NULL elements).
fn modelType(w: f32) -> i32 {
  if (w < 0.0) {
    return -1;
  }
  let t = u32(w);
  if (t >= N_POTENTIAL_TYPES) {
    return -1;
  }
  return TYPE_MAP[t];
}

/// Width of the input of linear layer k of an MLP with input width nIn.
fn linearIn(k: u32, nIn: u32) -> u32 {
  return select(HIDDEN[max(k, 1u) - 1u], nIn, k == 0u);
}

/// Width of the output of linear layer k of an MLP with output width nOut.
fn linearOut(k: u32, nOut: u32) -> u32 {
  return select(HIDDEN[k], nOut, k + 1u == N_LINEAR);
}

/// y = MLP(x) in place (x: nIn values in, nOut out) for the MLP at weight offset `base` (per linear
/// layer: W [out, in] row-major, then b [out]); the hidden pre-activations go to `tape`.
fn mlpForward(base: u32, nIn: u32, nOut: u32, x: ptr<function, Vec>, tape: ptr<function, Tape>) {
  var w = base;
  var t = 0u;
  for (var k = 0u; k < N_LINEAR; k++) {
    let width = linearIn(k, nIn);
    let out = linearOut(k, nOut);
    var z: Vec;
    for (var o = 0u; o < out; o++) {
      var sum = weights[w + out * width + o];
      let row = w + o * width;
      for (var q = 0u; q < width; q++) {
        sum += weights[row + q] * (*x)[q];
      }
      z[o] = sum;
    }
    w += out * width + out;
    if (k + 1u < N_LINEAR) {
      for (var o = 0u; o < out; o++) {
        (*tape)[t + o] = z[o];
        z[o] = silu(z[o]);
      }
      t += out;
    }
    *x = z;
  }
}

/// x̄ = (∂y/∂x)ᵀ ȳ in place (g: nOut values in, nIn out) for the forward pass recorded in `tape`.
fn mlpBackward(base: u32, nIn: u32, nOut: u32, tape: ptr<function, Tape>, g: ptr<function, Vec>) {
  // Weight offset and tape offset of every linear layer.
  var w = base;
  var t = 0u;
  var wAt: array<u32, N_LINEAR>;
  var tAt: array<u32, N_LINEAR>;
  for (var k = 0u; k < N_LINEAR; k++) {
    wAt[k] = w;
    tAt[k] = t;
    let width = linearIn(k, nIn);
    let out = linearOut(k, nOut);
    w += out * width + out;
    if (k + 1u < N_LINEAR) {
      t += out;
    }
  }
  for (var kk = 0u; kk < N_LINEAR; kk++) {
    let k = N_LINEAR - 1u - kk;
    let width = linearIn(k, nIn);
    let out = linearOut(k, nOut);
    var gIn: Vec;
    for (var q = 0u; q < width; q++) {
      var sum = 0.0;
      for (var o = 0u; o < out; o++) {
        sum += weights[wAt[k] + o * width + q] * (*g)[o];
      }
      gIn[q] = sum;
    }
    if (k > 0u) {
      // The input of layer k is SiLU of the pre-activations of layer k − 1.
      for (var q = 0u; q < width; q++) {
        gIn[q] *= siluDerivative((*tape)[tAt[k - 1u] + q]);
      }
    }
    *g = gIn;
  }
}

/// Switch s(r) and ds/dr (1/Å): C² quintic from rcutSmooth down to rcut (gnnMlp.ts smoothSwitch).
fn smoothSwitch(r: f32) -> vec2f {
  if (r <= params.rcutSmooth) {
    return vec2f(1.0, 0.0);
  }
  if (r >= params.rcut) {
    return vec2f(0.0, 0.0);
  }
  let h = params.rcut - params.rcutSmooth;
  let u = (r - params.rcutSmooth) / h;
  let u2 = u * u;
  return vec2f(1.0 - u2 * u * (10.0 - 15.0 * u + 6.0 * u2), -30.0 * u2 * (1.0 - u) * (1.0 - u) / h);
}

/// φ(r)·s(r), the input of the edge embedding (Gaussian basis, gnnMlp.ts radialBasis).
fn embeddingInput(r: f32, s: f32) -> Vec {
  var x: Vec;
  let w = params.rcut / f32(N_BASIS - 1u);
  for (var k = 0u; k < N_BASIS; k++) {
    let t = (r - f32(k) * w) / w;
    x[k] = exp(-t * t) * s;
  }
  return x;
}

/// Slot index of a per-slot thread of a 2-D dispatch.
fn slotOf(gid: vec3u) -> u32 {
  return gid.y * params.threadsPerRow + gid.x;
}
