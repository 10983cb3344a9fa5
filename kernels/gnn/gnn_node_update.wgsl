// GNN F4 of layer l, one thread per atom: a_i = (1/sel) Σ_j s_ij m_ij over its active edges and
// n_i ← n_i + MLP_node([n_i, a_i]) (written as the next layer's node features; a_i is kept for B4).
// NULL atoms keep n = 0.

@group(0) @binding(2) var<storage, read> positions: array<vec4f>;
@group(0) @binding(3) var<storage, read> neighbors: array<u32>;
@group(0) @binding(4) var<storage, read> edges: array<GnnEdge>;
@group(0) @binding(5) var<storage, read> messages: array<f32>;
@group(0) @binding(6) var<storage, read_write> nodeFeatures: array<f32>;
/// [L][N][N_DIM].
@group(0) @binding(7) var<storage, read_write> aggregates: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  let n = params.nAtoms;
  if (i >= n) {
    return;
  }
  let l = params.layer;
  let nodes = l * n * N_DIM + i * N_DIM;
  let next = nodes + n * N_DIM;
  var y: Vec;
  for (var q = 0u; q < N_DIM; q++) {
    y[q] = nodeFeatures[nodes + q];
  }
  if (modelType(positions[i].w) < 0) {
    for (var q = 0u; q < N_DIM; q++) {
      nodeFeatures[next + q] = 0.0;
      aggregates[nodes + q] = 0.0;
    }
    return;
  }
  let count = neighbors[i];
  let inverseSel = 1.0 / f32(params.sel);
  for (var k = 0u; k < count; k++) {
    let slot = k * n + i;
    let edge = edges[slot];
    if ((edge.flags & EDGE_ACTIVE) == 0u) {
      continue;
    }
    let w = edge.s * inverseSel;
    for (var q = 0u; q < N_DIM; q++) {
      y[N_DIM + q] += w * messages[slot * N_DIM + q];
    }
  }
  for (var q = 0u; q < N_DIM; q++) {
    aggregates[nodes + q] = y[N_DIM + q];
  }
  var dn = y;
  var tape: Tape;
  mlpForward(NODE_MLP[l], 2u * N_DIM, N_DIM, &dn, &tape);
  for (var q = 0u; q < N_DIM; q++) {
    nodeFeatures[next + q] = y[q] + dn[q];
  }
}
