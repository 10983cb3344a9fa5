// GNN B3 (cross-atom part) of layer l, one thread per atom: n̄_i += Σ_own x̄_ik[n_i] over i's slots
// + Σ x̄_ji[n_i] over the edges j → i, found as the reverse slots of i's own entries (the Verlet list
// is full: every edge j → i has the entry (j, −T) in i's row). This replaces the scatter
// n̄_j += x̄_ij[n_j] of the reference, which would need float atomics.

@group(0) @binding(2) var<storage, read> positions: array<vec4f>;
@group(0) @binding(3) var<storage, read> neighbors: array<u32>;
@group(0) @binding(4) var<storage, read> edges: array<GnnEdge>;
@group(0) @binding(5) var<storage, read> nodePartGrad: array<f32>;
@group(0) @binding(6) var<storage, read_write> nodeGrad: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  let n = params.nAtoms;
  if (i >= n || modelType(positions[i].w) < 0) {
    return;
  }
  var g: Vec;
  for (var q = 0u; q < N_DIM; q++) {
    g[q] = nodeGrad[i * N_DIM + q];
  }
  let count = neighbors[i];
  for (var k = 0u; k < count; k++) {
    let slot = k * n + i;
    let reverse = edges[slot].reverse;
    for (var q = 0u; q < N_DIM; q++) {
      g[q] += nodePartGrad[slot * 2u * N_DIM + q];
    }
    if (reverse != NO_SLOT) {
      for (var q = 0u; q < N_DIM; q++) {
        g[q] += nodePartGrad[reverse * 2u * N_DIM + N_DIM + q];
      }
    }
  }
  for (var q = 0u; q < N_DIM; q++) {
    nodeGrad[i * N_DIM + q] = g[q];
  }
}
