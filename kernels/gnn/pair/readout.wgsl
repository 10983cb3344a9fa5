// GNN pair path F5 and B5 (one workgroup per tile of TILE atoms, gnn_tile.wgsl): E_i = MLP_out(n_i) +
// bias[type_i] (eV) and the start of the backward pass n̄_i = ∂E/∂n_i = MLP_outᵀ(1). NULL atoms: 0.

@group(0) @binding(2) var<storage, read> positions: array<vec4f>;
@group(0) @binding(3) var<storage, read> nodeFeatures: array<f32>;
@group(0) @binding(4) var<storage, read_write> energies: array<f32>;
/// [N][N_DIM]: n̄.
@group(0) @binding(5) var<storage, read_write> nodeGrad: array<f32>;

var<workgroup> tileEnergy: array<f32, TILE>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) tid: u32,
) {
  let n = params.nAtoms;
  let first = tileFirstSlot(wid, groups);
  var centre = false;
  if (tid < TILE && first + tid < n) {
    centre = modelType(positions[first + tid].w) >= 0;
  }
  _ = tileMarkActive(centre, tid);
  let nodes = N_LAYERS * n * N_DIM;
  for (var idx = tid; idx < TILE * N_DIM; idx += WORKGROUP_SIZE) {
    let e = idx / N_DIM;
    let atom = first + e;
    tileX[e * MAX_WIDTH + idx % N_DIM] = select(0.0, nodeFeatures[nodes + atom * N_DIM + idx % N_DIM], atom < n);
  }
  workgroupBarrier();
  tileMlpForward(READOUT_MLP, N_DIM, 1u, tid);
  if (tid < TILE) {
    tileEnergy[tid] = tileX[tid * MAX_WIDTH];
  }
  workgroupBarrier();
  for (var idx = tid; idx < TILE * MAX_WIDTH; idx += WORKGROUP_SIZE) {
    tileX[idx] = select(0.0, 1.0, idx % MAX_WIDTH == 0u);
  }
  workgroupBarrier();
  tileMlpBackward(READOUT_MLP, N_DIM, 1u, tid);
  if (tid < TILE && first + tid < n) {
    let t = modelType(positions[first + tid].w);
    energies[first + tid] = select(0.0, tileEnergy[tid] + weights[ENERGY_BIAS + u32(max(t, 0))], t >= 0);
  }
  for (var idx = tid; idx < TILE * N_DIM; idx += WORKGROUP_SIZE) {
    let e = idx / N_DIM;
    let atom = first + e;
    if (atom < n) {
      nodeGrad[atom * N_DIM + idx % N_DIM] = select(0.0, tileX[e * MAX_WIDTH + idx % N_DIM], tileActive[e] != 0u);
    }
  }
}
