// GNN B3 of layer l, one workgroup per tile of TILE edge slots (gnn_tile.wgsl):
// m̄_ij = ā_i s_ij / sel, s̄_ij += ā_i · m_ij / sel, x̄_ij = MLP_msgᵀ(m̄_ij) + MLP_edgeᵀ(ē_ij) (no edge MLP
// in the last layer, where ē starts at 0), ē_ij ← ē_ij + x̄_ij[e], and the node parts x̄_ij[n_i],
// x̄_ij[n_j] stored per slot for the gather of gnn_node_gather.wgsl (the scatter n̄_j += x̄_ij[n_j]
// without float atomics). The MLP tapes are recomputed from the stored layer inputs. Inactive slots
// get zeros.

@group(0) @binding(2) var<storage, read> edges: array<GnnEdge>;
@group(0) @binding(3) var<storage, read> nodeFeatures: array<f32>;
@group(0) @binding(4) var<storage, read> edgeFeatures: array<f32>;
@group(0) @binding(5) var<storage, read> aggregateGrad: array<f32>;
/// [slots][E_DIM + 1]: ē, then s̄.
@group(0) @binding(6) var<storage, read_write> edgeGrad: array<f32>;
/// [slots][2·N_DIM]: x̄[n_i], x̄[n_j] of this layer.
@group(0) @binding(7) var<storage, read_write> nodePartGrad: array<f32>;

const EDGE_GRAD_STRIDE: u32 = E_DIM + 1u;

/// Per row: neighbor atom, s_ij, and ā_i · m_ij.
var<workgroup> tileRow: array<u32, TILE>;
var<workgroup> tileS: array<f32, TILE>;
var<workgroup> tileProjection: array<f32, TILE>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) tid: u32,
) {
  let n = params.nAtoms;
  let slots = n * params.slotsPerAtom;
  let l = params.layer;
  let top = l + 1u == N_LAYERS;
  let first = tileFirstSlot(wid, groups);
  var isActive = false;
  if (tid < TILE && first + tid < slots) {
    let edge = edges[first + tid];
    isActive = (edge.flags & EDGE_ACTIVE) != 0u;
    tileRow[tid] = edge.row;
    tileS[tid] = edge.s;
  }
  let anyActive = tileMarkActive(isActive, tid);
  if (!anyActive) {
    for (var idx = tid; idx < TILE * EDGE_GRAD_STRIDE; idx += WORKGROUP_SIZE) {
      let slot = first + idx / EDGE_GRAD_STRIDE;
      if (slot < slots) {
        edgeGrad[slot * EDGE_GRAD_STRIDE + idx % EDGE_GRAD_STRIDE] = 0.0;
      }
    }
    for (var idx = tid; idx < TILE * 2u * N_DIM; idx += WORKGROUP_SIZE) {
      let slot = first + idx / (2u * N_DIM);
      if (slot < slots) {
        nodePartGrad[slot * 2u * N_DIM + idx % (2u * N_DIM)] = 0.0;
      }
    }
    return;
  }
  let nIn = 2u * N_DIM + E_DIM;
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
  // tileX holds m. s̄ part: ā_i · m_ij; then m̄ = ā_i s / sel replaces m.
  let inverseSel = 1.0 / f32(params.sel);
  if (tid < TILE) {
    var projection = 0.0;
    if (tileActive[tid] != 0u) {
      let i = (first + tid) % n;
      for (var q = 0u; q < N_DIM; q++) {
        projection += aggregateGrad[i * N_DIM + q] * tileX[tid * MAX_WIDTH + q];
      }
    }
    tileProjection[tid] = projection;
  }
  workgroupBarrier();
  for (var idx = tid; idx < TILE * N_DIM; idx += WORKGROUP_SIZE) {
    let e = idx / N_DIM;
    let q = idx % N_DIM;
    let i = (first + e) % n;
    var v = 0.0;
    if (tileActive[e] != 0u) {
      v = aggregateGrad[i * N_DIM + q] * tileS[e] * inverseSel;
    }
    tileX[e * MAX_WIDTH + q] = v;
  }
  workgroupBarrier();
  tileMlpBackward(MSG_MLP[l], nIn, N_DIM, tid);
  for (var idx = tid; idx < TILE * nIn; idx += WORKGROUP_SIZE) {
    let e = idx / nIn;
    let q = idx % nIn;
    tileG[e * MAX_WIDTH + q] = tileX[e * MAX_WIDTH + q];
  }
  if (!top) {
    workgroupBarrier();
    tileCopyInX(nIn, tid);
    tileMlpForward(EDGE_MLP[l], nIn, E_DIM, tid);
    for (var idx = tid; idx < TILE * E_DIM; idx += WORKGROUP_SIZE) {
      let e = idx / E_DIM;
      let slot = first + e;
      var v = 0.0;
      if (tileActive[e] != 0u) {
        v = edgeGrad[slot * EDGE_GRAD_STRIDE + idx % E_DIM];
      }
      tileX[e * MAX_WIDTH + idx % E_DIM] = v;
    }
    workgroupBarrier();
    tileMlpBackward(EDGE_MLP[l], nIn, E_DIM, tid);
    for (var idx = tid; idx < TILE * nIn; idx += WORKGROUP_SIZE) {
      let e = idx / nIn;
      let q = idx % nIn;
      tileG[e * MAX_WIDTH + q] += tileX[e * MAX_WIDTH + q];
    }
  }
  workgroupBarrier();
  for (var idx = tid; idx < TILE * EDGE_GRAD_STRIDE; idx += WORKGROUP_SIZE) {
    let e = idx / EDGE_GRAD_STRIDE;
    let q = idx % EDGE_GRAD_STRIDE;
    let slot = first + e;
    if (slot < slots) {
      var v = 0.0;
      if (tileActive[e] != 0u) {
        let previous = select(edgeGrad[slot * EDGE_GRAD_STRIDE + q], 0.0, top);
        if (q < E_DIM) {
          v = previous + tileG[e * MAX_WIDTH + 2u * N_DIM + q];
        } else {
          v = previous + tileProjection[e] * inverseSel;
        }
      }
      edgeGrad[slot * EDGE_GRAD_STRIDE + q] = v;
    }
  }
  for (var idx = tid; idx < TILE * 2u * N_DIM; idx += WORKGROUP_SIZE) {
    let e = idx / (2u * N_DIM);
    let q = idx % (2u * N_DIM);
    let slot = first + e;
    if (slot < slots) {
      nodePartGrad[slot * 2u * N_DIM + q] = select(0.0, tileG[e * MAX_WIDTH + q], tileActive[e] != 0u);
    }
  }
}
