// GNN F2, one thread per atom: initial node features n⁰_i = typeEmbedding[type_i] (0 for NULL atoms),
// and the neighbor-cap status of the row (largest count within rcut, truncated centers, edges
// whose reverse entry is missing), read by the host (GpuGnn.readStatus).

@group(0) @binding(2) var<storage, read> positions: array<vec4f>;
@group(0) @binding(3) var<storage, read> neighbors: array<u32>;
@group(0) @binding(4) var<storage, read> edges: array<GnnEdge>;
/// [L + 1][N][N_DIM]: layer 0 written here.
@group(0) @binding(5) var<storage, read_write> nodeFeatures: array<f32>;
@group(0) @binding(6) var<storage, read_write> status: array<atomic<u32>, 4>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  let n = params.nAtoms;
  if (i >= n) {
    return;
  }
  let t = modelType(positions[i].w);
  for (var q = 0u; q < N_DIM; q++) {
    nodeFeatures[i * N_DIM + q] = select(0.0, weights[TYPE_EMBEDDING + u32(max(t, 0)) * N_DIM + q], t >= 0);
  }
  let count = neighbors[i];
  var within = 0u;
  var missing = 0u;
  for (var k = 0u; k < count; k++) {
    let flags = edges[k * n + i].flags;
    within += select(0u, 1u, (flags & EDGE_WITHIN) != 0u);
    missing += select(0u, 1u, (flags & EDGE_NO_REVERSE) != 0u);
  }
  if (within > 0u) {
    atomicMax(&status[STATUS_MAX_NEIGHBORS], within);
  }
  if (within > params.sel) {
    atomicAdd(&status[STATUS_TRUNCATED], 1u);
  }
  if (missing > 0u) {
    atomicAdd(&status[STATUS_MISSING_REVERSE], missing);
  }
}
