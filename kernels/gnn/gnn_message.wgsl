// GNN F3 of layer l, one thread per edge slot: x_ij = [n_i, n_j, e_ij], the message
// m_ij = MLP_msg(x_ij) and, except in the last layer, e_ij ← e_ij + MLP_edge(x_ij) (written as the
// next layer's edge features). Inactive slots get zeros.

@group(0) @binding(2) var<storage, read> edges: array<GnnEdge>;
@group(0) @binding(3) var<storage, read> nodeFeatures: array<f32>;
@group(0) @binding(4) var<storage, read_write> edgeFeatures: array<f32>;
/// [slots][N_DIM] of this layer.
@group(0) @binding(5) var<storage, read_write> messages: array<f32>;

/// [n_i, n_j, e_ij] of an edge at layer l.
fn edgeInput(slot: u32, i: u32, j: u32, l: u32) -> Vec {
  var x: Vec;
  let n = params.nAtoms;
  let slots = n * params.slotsPerAtom;
  let nodes = l * n * N_DIM;
  for (var q = 0u; q < N_DIM; q++) {
    x[q] = nodeFeatures[nodes + i * N_DIM + q];
    x[N_DIM + q] = nodeFeatures[nodes + j * N_DIM + q];
  }
  for (var q = 0u; q < E_DIM; q++) {
    x[2u * N_DIM + q] = edgeFeatures[(l * slots + slot) * E_DIM + q];
  }
  return x;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let slot = slotOf(gid);
  let n = params.nAtoms;
  let slots = n * params.slotsPerAtom;
  if (slot >= slots) {
    return;
  }
  let l = params.layer;
  let edge = edges[slot];
  let selected = (edge.flags & EDGE_ACTIVE) != 0u;
  var m: Vec;
  var de: Vec;
  var e: Vec;
  if (selected) {
    let x = edgeInput(slot, slot % n, edge.row, l);
    var tape: Tape;
    m = x;
    mlpForward(MSG_MLP[l], 2u * N_DIM + E_DIM, N_DIM, &m, &tape);
    if (l + 1u < N_LAYERS) {
      de = x;
      mlpForward(EDGE_MLP[l], 2u * N_DIM + E_DIM, E_DIM, &de, &tape);
      for (var q = 0u; q < E_DIM; q++) {
        e[q] = x[2u * N_DIM + q] + de[q];
      }
    }
  }
  for (var q = 0u; q < N_DIM; q++) {
    messages[slot * N_DIM + q] = m[q];
  }
  if (l + 1u < N_LAYERS) {
    for (var q = 0u; q < E_DIM; q++) {
      edgeFeatures[((l + 1u) * slots + slot) * E_DIM + q] = e[q];
    }
  }
}
