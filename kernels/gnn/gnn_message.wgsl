// GNN F3 of layer l, one workgroup per tile of TILE edge slots (gnn_tile.wgsl): x_ij = [n_i, n_j, e_ij],
// the message m_ij = MLP_msg(x_ij) and, except in the last layer, e_ij ← e_ij + MLP_edge(x_ij)
// (written as the next layer's edge features). Inactive slots get zeros.

@group(0) @binding(2) var<storage, read> edges: array<GnnEdge>;
@group(0) @binding(3) var<storage, read> nodeFeatures: array<f32>;
@group(0) @binding(4) var<storage, read_write> edgeFeatures: array<f32>;
/// [slots][N_DIM] of this layer.
@group(0) @binding(5) var<storage, read_write> messages: array<f32>;

/// Neighbor atom of each row of the tile.
var<workgroup> tileRow: array<u32, TILE>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) tid: u32,
) {
  let n = params.nAtoms;
  let slots = n * params.slotsPerAtom;
  let l = params.layer;
  let first = tileFirstSlot(wid, groups);
  var isActive = false;
  if (tid < TILE && first + tid < slots) {
    let edge = edges[first + tid];
    isActive = (edge.flags & EDGE_ACTIVE) != 0u;
    tileRow[tid] = edge.row;
  }
  let anyActive = tileMarkActive(isActive, tid);
  let nIn = 2u * N_DIM + E_DIM;
  let last = l + 1u == N_LAYERS;
  if (!anyActive) {
    for (var idx = tid; idx < TILE * N_DIM; idx += WORKGROUP_SIZE) {
      let slot = first + idx / N_DIM;
      if (slot < slots) {
        messages[slot * N_DIM + idx % N_DIM] = 0.0;
      }
    }
    if (!last) {
      for (var idx = tid; idx < TILE * E_DIM; idx += WORKGROUP_SIZE) {
        let slot = first + idx / E_DIM;
        if (slot < slots) {
          edgeFeatures[((l + 1u) * slots + slot) * E_DIM + idx % E_DIM] = 0.0;
        }
      }
    }
    return;
  }
  let nodes = l * n * N_DIM;
  for (var idx = tid; idx < TILE * nIn; idx += WORKGROUP_SIZE) {
    let e = idx / nIn;
    let q = idx % nIn;
    let slot = first + e;
    var v = 0.0;
    if (tileActive[e] != 0u) {
      if (q < N_DIM) {
        v = nodeFeatures[nodes + (slot % n) * N_DIM + q];
      } else if (q < 2u * N_DIM) {
        v = nodeFeatures[nodes + tileRow[e] * N_DIM + q - N_DIM];
      } else {
        v = edgeFeatures[(l * slots + slot) * E_DIM + q - 2u * N_DIM];
      }
    }
    tileIn[e * MAX_WIDTH + q] = v;
  }
  workgroupBarrier();
  tileCopyInX(nIn, tid);
  tileMlpForward(MSG_MLP[l], nIn, N_DIM, tid);
  for (var idx = tid; idx < TILE * N_DIM; idx += WORKGROUP_SIZE) {
    let e = idx / N_DIM;
    let slot = first + e;
    if (slot < slots) {
      messages[slot * N_DIM + idx % N_DIM] = select(0.0, tileX[e * MAX_WIDTH + idx % N_DIM], tileActive[e] != 0u);
    }
  }
  if (!last) {
    workgroupBarrier();
    tileCopyInX(nIn, tid);
    tileMlpForward(EDGE_MLP[l], nIn, E_DIM, tid);
    for (var idx = tid; idx < TILE * E_DIM; idx += WORKGROUP_SIZE) {
      let e = idx / E_DIM;
      let q = idx % E_DIM;
      let slot = first + e;
      if (slot < slots) {
        let value = tileIn[e * MAX_WIDTH + 2u * N_DIM + q] + tileX[e * MAX_WIDTH + q];
        edgeFeatures[((l + 1u) * slots + slot) * E_DIM + q] = select(0.0, value, tileActive[e] != 0u);
      }
    }
  }
}
