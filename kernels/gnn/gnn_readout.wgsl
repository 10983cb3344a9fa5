// GNN F5 and B5, one thread per atom: E_i = MLP_out(n_i) + bias[type_i] (eV) and the start of the
// backward pass n̄_i = ∂E/∂n_i = MLP_outᵀ(1). NULL atoms: 0.

@group(0) @binding(2) var<storage, read> positions: array<vec4f>;
@group(0) @binding(3) var<storage, read> nodeFeatures: array<f32>;
@group(0) @binding(4) var<storage, read_write> energies: array<f32>;
/// [N][N_DIM]: n̄.
@group(0) @binding(5) var<storage, read_write> nodeGrad: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  let n = params.nAtoms;
  if (i >= n) {
    return;
  }
  let t = modelType(positions[i].w);
  if (t < 0) {
    energies[i] = 0.0;
    for (var q = 0u; q < N_DIM; q++) {
      nodeGrad[i * N_DIM + q] = 0.0;
    }
    return;
  }
  let nodes = N_LAYERS * n * N_DIM + i * N_DIM;
  var x: Vec;
  for (var q = 0u; q < N_DIM; q++) {
    x[q] = nodeFeatures[nodes + q];
  }
  var tape: Tape;
  mlpForward(READOUT_MLP, N_DIM, 1u, &x, &tape);
  energies[i] = x[0] + weights[ENERGY_BIAS + u32(t)];
  var g: Vec;
  g[0] = 1.0;
  mlpBackward(READOUT_MLP, N_DIM, 1u, &tape, &g);
  for (var q = 0u; q < N_DIM; q++) {
    nodeGrad[i * N_DIM + q] = g[q];
  }
}
