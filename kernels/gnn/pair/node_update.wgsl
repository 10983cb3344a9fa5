// GNN pair path F4 of layer l (one workgroup per tile of TILE atoms, gnn_tile.wgsl): a_i = (W₂ S_i +
// b₂ σ_i) / sel from message.wgsl's sums (W₂, b₂ the message MLP's last linear layer) and
// n_i ← n_i + MLP_node([n_i, a_i]) (the next layer's node features; a_i kept for B4). NULL atoms keep
// n = 0.

@group(0) @binding(2) var<storage, read> positions: array<vec4f>;
@group(0) @binding(3) var<storage, read> edgeSums: array<f32>;
@group(0) @binding(4) var<storage, read_write> nodeFeatures: array<f32>;
/// [L][N][N_DIM].
@group(0) @binding(5) var<storage, read_write> aggregates: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) tid: u32,
) {
  let n = params.nAtoms;
  let l = params.layer;
  let first = tileFirstSlot(wid, groups);
  let nodes = l * n * N_DIM;
  let second = MSG_MLP[l] + HIDDEN_WIDTH * (2u * N_DIM + E_DIM) + HIDDEN_WIDTH;
  let inverseSel = 1.0 / f32(params.sel);
  for (var idx = tid; idx < TILE * N_DIM; idx += WORKGROUP_SIZE) {
    let e = idx / N_DIM;
    let q = idx % N_DIM;
    let atom = first + e;
    var v = 0.0;
    var a = 0.0;
    if (atom < n && modelType(positions[atom].w) >= 0) {
      v = nodeFeatures[nodes + atom * N_DIM + q];
      let sums = atom * (H4 + 1u) * 4u;
      a = weights[second + N_DIM * HIDDEN_WIDTH + q] * edgeSums[sums + 4u * H4];
      for (var o = 0u; o < HIDDEN_WIDTH; o++) {
        a += weightsT[second + o * N_DIM + q] * edgeSums[sums + o];
      }
      a *= inverseSel;
    }
    if (atom < n) {
      aggregates[nodes + atom * N_DIM + q] = a;
    }
    tileIn[e * MAX_WIDTH + q] = v;
    tileIn[e * MAX_WIDTH + N_DIM + q] = a;
  }
  workgroupBarrier();
  tileCopyInX(2u * N_DIM, tid);
  tileMlpForward(NODE_MLP[l], 2u * N_DIM, N_DIM, tid);
  for (var idx = tid; idx < TILE * N_DIM; idx += WORKGROUP_SIZE) {
    let e = idx / N_DIM;
    let atom = first + e;
    if (atom < n) {
      let centre = modelType(positions[atom].w) >= 0;
      nodeFeatures[nodes + n * N_DIM + atom * N_DIM + idx % N_DIM] =
        select(0.0, tileIn[e * MAX_WIDTH + idx % N_DIM] + tileX[e * MAX_WIDTH + idx % N_DIM], centre);
    }
  }
}
