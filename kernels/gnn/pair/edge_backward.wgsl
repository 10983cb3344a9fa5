// GNN pair path B3 of layer LAYER ≥ 1 (one workgroup per atom i, common.wgsl): the edge
// contributions to n̄_i = ∂E/∂n_i^LAYER. Edges enter the first linear layers as P_c + Q_nb, so
//   n̄_i += W_cᵀ Σ_{i→j} h̄_ij + W_nbᵀ Σ_{j→i} h̄_ji
// for the message MLP (and the same for the edge MLP when the layer has one). The rows are both
// directions of each of i's pairs (DIRECTIONS 2): the edge i → j when i selects j (LINK_OUT) and the
// edge j → i when j selects i (LINK_IN), both recomputed here (tileChunk, generated: forward from r,
// then backward through the later layers), so no per-edge gradient is stored or scattered.
// (Layer 0 needs no pass: n⁰ is the type embedding, and its gradient feeds nothing.)

/// [N][N_DIM]: n̄, accumulated into.
@group(0) @binding(2) var<storage, read_write> nodeGrad: array<f32>;

var<workgroup> hbar: array<f32, 4u * HP>;

@compute @workgroup_size(TILE_WG)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) tid: u32,
) {
  let i = pairAtom(wid, groups);
  if (i >= params.nAtoms) {
    return;
  }
  let rowCount = DIRECTIONS * atomSel[i].x;
  var sums = EdgeSums();
  for (var r0 = 0u; r0 < rowCount; r0 += ROWS) {
    let rows = min(ROWS, rowCount - r0);
    loadRows(i, r0, rows, tid);
    let chunk = tileChunk(rows, tid);
    sums.mOut += chunk.mOut;
    sums.mIn += chunk.mIn;
    sums.eOut += chunk.eOut;
    sums.eIn += chunk.eIn;
  }
  var parts = array<f32, 4>(sums.mOut, sums.mIn, sums.eOut, sums.eIn);
  for (var part = 0u; part < 4u; part++) {
    let total = laneTotal(parts[part], part, HP, tid);
    if (tid < HP) {
      hbar[part * HP + tid] = total;
    }
  }
  workgroupBarrier();
  let used = select(2u, 4u, HAS_EDGE_MLP);
  for (var q = tid; q < N_DIM; q += TILE_WG) {
    var sum = 0.0;
    for (var part = 0u; part < used; part++) {
      let w = NODE_PARAMS[part] + q;
      for (var o = 0u; o < HIDDEN_WIDTH; o++) {
        sum += edgeParams[w + o * N_DIM] * hbar[part * HP + o];
      }
    }
    nodeGrad[i * N_DIM + q] += sum;
  }
}
