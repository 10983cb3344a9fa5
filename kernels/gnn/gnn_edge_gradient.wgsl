// GNN B1 and the per-edge part of B0, one thread per edge slot: r̄_ij = s̄ s′ + Σ_k MLP_embedᵀ(ē⁰)_k
// (φ′_k s + φ_k s′) (the embedding tape recomputed from r), and g_ij = ∂E/∂d_ij = r̄_ij d_ij / r_ij
// (eV/Å). Inactive slots: g = 0.

@group(0) @binding(2) var<storage, read> edges: array<GnnEdge>;
@group(0) @binding(3) var<storage, read> edgeGrad: array<f32>;
/// vec4f per slot: g xyz, eV/Å.
@group(0) @binding(4) var<storage, read_write> pairGrad: array<vec4f>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let slot = slotOf(gid);
  let n = params.nAtoms;
  if (slot >= n * params.slotsPerAtom) {
    return;
  }
  let edge = edges[slot];
  if ((edge.flags & EDGE_ACTIVE) == 0u) {
    pairGrad[slot] = vec4f(0.0);
    return;
  }
  let stride = E_DIM + 1u;
  var x = embeddingInput(edge.r, edge.s);
  var tape: Tape;
  mlpForward(EMBED_MLP, N_BASIS, E_DIM, &x, &tape);
  var g: Vec;
  for (var q = 0u; q < E_DIM; q++) {
    g[q] = edgeGrad[slot * stride + q];
  }
  mlpBackward(EMBED_MLP, N_BASIS, E_DIM, &tape, &g);
  var gr = edgeGrad[slot * stride + E_DIM] * edge.ds;
  let w = params.rcut / f32(N_BASIS - 1u);
  for (var k = 0u; k < N_BASIS; k++) {
    let t = (edge.r - f32(k) * w) / w;
    let p = exp(-t * t);
    let dp = -2.0 * t * p / w;
    gr += g[k] * (dp * edge.s + p * edge.ds);
  }
  pairGrad[slot] = vec4f(gr * edge.d / edge.r, 0.0);
}
