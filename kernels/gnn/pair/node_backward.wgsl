// GNN pair path B4 of layer l (one workgroup per tile of TILE atoms, gnn_tile.wgsl): [n̄ᵃ_i, ā_i] =
// MLP_nodeᵀ(n̄_i) at the forward input [n_i, a_i] (recomputed), n̄_i ← n̄_i + n̄ᵃ_i, and the gate of the
// edge passes: G_i = W₂ᵀ ā_i / sel and c_i = b₂ · ā_i / sel (W₂, b₂ the message MLP's last linear
// layer): ∂E/∂h_ij = s_ij silu′(h_ij) ⊙ G_i and ∂E/∂s_ij = G_i · silu(h_ij) + c_i. NULL atoms: n̄
// unchanged, zero gate.

@group(0) @binding(2) var<storage, read> positions: array<vec4f>;
@group(0) @binding(3) var<storage, read> nodeFeatures: array<f32>;
@group(0) @binding(4) var<storage, read> aggregates: array<f32>;
@group(0) @binding(5) var<storage, read_write> nodeGrad: array<f32>;
/// [L][N][4·(H4 + 1)].
@group(0) @binding(6) var<storage, read_write> gateOut: array<f32>;

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
  var centre = false;
  if (tid < TILE && first + tid < n) {
    centre = modelType(positions[first + tid].w) >= 0;
  }
  _ = tileMarkActive(centre, tid);
  for (var idx = tid; idx < TILE * N_DIM; idx += WORKGROUP_SIZE) {
    let e = idx / N_DIM;
    let q = idx % N_DIM;
    let atom = first + e;
    var v = 0.0;
    var a = 0.0;
    if (atom < n) {
      v = nodeFeatures[nodes + atom * N_DIM + q];
      a = aggregates[nodes + atom * N_DIM + q];
    }
    tileX[e * MAX_WIDTH + q] = v;
    tileX[e * MAX_WIDTH + N_DIM + q] = a;
  }
  workgroupBarrier();
  tileMlpForward(NODE_MLP[l], 2u * N_DIM, N_DIM, tid);
  for (var idx = tid; idx < TILE * N_DIM; idx += WORKGROUP_SIZE) {
    let e = idx / N_DIM;
    let atom = first + e;
    tileX[e * MAX_WIDTH + idx % N_DIM] = select(0.0, nodeGrad[atom * N_DIM + idx % N_DIM], tileActive[e] != 0u);
  }
  workgroupBarrier();
  tileMlpBackward(NODE_MLP[l], 2u * N_DIM, N_DIM, tid);
  for (var idx = tid; idx < TILE * N_DIM; idx += WORKGROUP_SIZE) {
    let e = idx / N_DIM;
    if (tileActive[e] != 0u) {
      nodeGrad[(first + e) * N_DIM + idx % N_DIM] += tileX[e * MAX_WIDTH + idx % N_DIM];
    }
  }
  // The gate from ā = tileX[N_DIM …] (zero on NULL rows).
  let second = MSG_MLP[l] + HIDDEN_WIDTH * (2u * N_DIM + E_DIM) + HIDDEN_WIDTH;
  let inverseSel = 1.0 / f32(params.sel);
  let width = 4u * (H4 + 1u);
  for (var idx = tid; idx < TILE * width; idx += WORKGROUP_SIZE) {
    let e = idx / width;
    let o = idx % width;
    let atom = first + e;
    if (atom >= n) {
      continue;
    }
    var sum = 0.0;
    if (tileActive[e] != 0u) {
      if (o < HIDDEN_WIDTH) {
        for (var q = 0u; q < N_DIM; q++) {
          sum += weights[second + q * HIDDEN_WIDTH + o] * tileX[e * MAX_WIDTH + N_DIM + q];
        }
      } else if (o == 4u * H4) {
        for (var q = 0u; q < N_DIM; q++) {
          sum += weights[second + N_DIM * HIDDEN_WIDTH + q] * tileX[e * MAX_WIDTH + N_DIM + q];
        }
      }
    }
    gateOut[(l * n + atom) * width + o] = sum * inverseSel;
  }
}
