// GNN B3 of layer l, one thread per edge slot: m̄_ij = ā_i s_ij / sel, s̄_ij += ā_i · m_ij / sel,
// x̄_ij = MLP_msgᵀ(m̄_ij) + MLP_edgeᵀ(ē_ij) (no edge MLP in the last layer, where ē starts at 0),
// ē_ij ← ē_ij + x̄_ij[e], and the node parts x̄_ij[n_i], x̄_ij[n_j] stored per slot for the gather of
// gnn_node_gather.wgsl (the scatter n̄_j += x̄_ij[n_j] without float atomics). The MLP tapes are
// recomputed from the stored layer inputs. Inactive slots get zeros.

@group(0) @binding(2) var<storage, read> edges: array<GnnEdge>;
@group(0) @binding(3) var<storage, read> nodeFeatures: array<f32>;
@group(0) @binding(4) var<storage, read> edgeFeatures: array<f32>;
@group(0) @binding(5) var<storage, read> aggregateGrad: array<f32>;
/// [slots][E_DIM + 1]: ē, then s̄.
@group(0) @binding(6) var<storage, read_write> edgeGrad: array<f32>;
/// [slots][2·N_DIM]: x̄[n_i], x̄[n_j] of this layer.
@group(0) @binding(7) var<storage, read_write> nodePartGrad: array<f32>;

const EDGE_GRAD_STRIDE: u32 = E_DIM + 1u;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let slot = slotOf(gid);
  let n = params.nAtoms;
  let slots = n * params.slotsPerAtom;
  if (slot >= slots) {
    return;
  }
  let l = params.layer;
  let top = l + 1u == N_LAYERS;
  let edge = edges[slot];
  let g0 = slot * EDGE_GRAD_STRIDE;
  if ((edge.flags & EDGE_ACTIVE) == 0u) {
    for (var q = 0u; q < EDGE_GRAD_STRIDE; q++) {
      edgeGrad[g0 + q] = 0.0;
    }
    for (var q = 0u; q < 2u * N_DIM; q++) {
      nodePartGrad[slot * 2u * N_DIM + q] = 0.0;
    }
    return;
  }
  let i = slot % n;
  let j = edge.row;
  var x: Vec;
  let nodes = l * n * N_DIM;
  for (var q = 0u; q < N_DIM; q++) {
    x[q] = nodeFeatures[nodes + i * N_DIM + q];
    x[N_DIM + q] = nodeFeatures[nodes + j * N_DIM + q];
  }
  for (var q = 0u; q < E_DIM; q++) {
    x[2u * N_DIM + q] = edgeFeatures[(l * slots + slot) * E_DIM + q];
  }
  let nIn = 2u * N_DIM + E_DIM;
  var m = x;
  var tape: Tape;
  mlpForward(MSG_MLP[l], nIn, N_DIM, &m, &tape);
  let inverseSel = 1.0 / f32(params.sel);
  var gx: Vec;
  var projection = 0.0;
  for (var q = 0u; q < N_DIM; q++) {
    let ga = aggregateGrad[i * N_DIM + q];
    gx[q] = ga * edge.s * inverseSel;
    projection += ga * m[q];
  }
  mlpBackward(MSG_MLP[l], nIn, N_DIM, &tape, &gx);
  var ge: Vec;
  if (!top) {
    for (var q = 0u; q < E_DIM; q++) {
      ge[q] = edgeGrad[g0 + q];
    }
    var de = x;
    var tapeEdge: Tape;
    mlpForward(EDGE_MLP[l], nIn, E_DIM, &de, &tapeEdge);
    var gxe = ge;
    mlpBackward(EDGE_MLP[l], nIn, E_DIM, &tapeEdge, &gxe);
    for (var q = 0u; q < nIn; q++) {
      gx[q] += gxe[q];
    }
  }
  for (var q = 0u; q < E_DIM; q++) {
    edgeGrad[g0 + q] = ge[q] + gx[2u * N_DIM + q];
  }
  let gs = select(edgeGrad[g0 + E_DIM], 0.0, top);
  edgeGrad[g0 + E_DIM] = gs + projection * inverseSel;
  for (var q = 0u; q < 2u * N_DIM; q++) {
    nodePartGrad[slot * 2u * N_DIM + q] = gx[q];
  }
}
