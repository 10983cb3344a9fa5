// GNN B4 of layer l, one thread per atom: [n̄ᵃ_i, ā_i] = MLP_nodeᵀ(n̄_i) at the forward input
// [n_i, a_i] (recomputed, not stored), n̄_i ← n̄_i + n̄ᵃ_i, and ā_i for B3. NULL atoms: ā = 0.

@group(0) @binding(2) var<storage, read> positions: array<vec4f>;
@group(0) @binding(3) var<storage, read> nodeFeatures: array<f32>;
@group(0) @binding(4) var<storage, read> aggregates: array<f32>;
@group(0) @binding(5) var<storage, read_write> nodeGrad: array<f32>;
/// [N][N_DIM]: ā of this layer.
@group(0) @binding(6) var<storage, read_write> aggregateGrad: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  let n = params.nAtoms;
  if (i >= n) {
    return;
  }
  if (modelType(positions[i].w) < 0) {
    for (var q = 0u; q < N_DIM; q++) {
      aggregateGrad[i * N_DIM + q] = 0.0;
    }
    return;
  }
  let l = params.layer;
  let nodes = l * n * N_DIM + i * N_DIM;
  var y: Vec;
  var g: Vec;
  for (var q = 0u; q < N_DIM; q++) {
    y[q] = nodeFeatures[nodes + q];
    y[N_DIM + q] = aggregates[nodes + q];
    g[q] = nodeGrad[i * N_DIM + q];
  }
  var tape: Tape;
  mlpForward(NODE_MLP[l], 2u * N_DIM, N_DIM, &y, &tape);
  mlpBackward(NODE_MLP[l], 2u * N_DIM, N_DIM, &tape, &g);
  for (var q = 0u; q < N_DIM; q++) {
    nodeGrad[i * N_DIM + q] += g[q];
    aggregateGrad[i * N_DIM + q] = g[N_DIM + q];
  }
}
