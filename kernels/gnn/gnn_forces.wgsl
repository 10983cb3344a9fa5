// GNN B0, one thread per atom: with h_k = g_k − g_rev(k) over the entries k of i's row (g_k of the
// edge i → j, g_rev(k) of the edge j → i, zero when absent), F_i = Σ_k h_k (eV/Å) and the per-atom
// virial −½ Σ_k h_k ⊗ d_k (half of each edge's −g ⊗ d to each of its atoms; xy = −½ Σ h_x d_y as
// the reference), written with the per-atom energy into the engine's forces and virials buffers.
// NULL atoms: zeros.

@group(0) @binding(2) var<storage, read> positions: array<vec4f>;
@group(0) @binding(3) var<storage, read> neighbors: array<u32>;
@group(0) @binding(4) var<storage, read> edges: array<GnnEdge>;
@group(0) @binding(5) var<storage, read> pairGrad: array<vec4f>;
@group(0) @binding(6) var<storage, read> energies: array<f32>;
@group(0) @binding(7) var<storage, read_write> forces: array<vec4f>;
@group(0) @binding(8) var<storage, read_write> virials: array<vec4f>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  let n = params.nAtoms;
  if (i >= n) {
    return;
  }
  if (modelType(positions[i].w) < 0) {
    forces[i] = vec4f(0.0);
    virials[i] = vec4f(0.0);
    virials[n + i] = vec4f(0.0);
    return;
  }
  let count = neighbors[i];
  var f = vec3f(0.0);
  var diagonal = vec3f(0.0);
  var offDiagonal = vec3f(0.0);
  for (var k = 0u; k < count; k++) {
    let slot = k * n + i;
    let edge = edges[slot];
    var h = pairGrad[slot].xyz;
    if (edge.reverse != NO_SLOT) {
      h -= pairGrad[edge.reverse].xyz;
    }
    let d = edge.d;
    f += h;
    diagonal += h * d;
    offDiagonal += vec3f(h.x * d.y, h.x * d.z, h.y * d.z);
  }
  forces[i] = vec4f(f, energies[i]);
  virials[i] = vec4f(-0.5 * diagonal, -0.5 * offDiagonal.x);
  virials[n + i] = vec4f(-0.5 * offDiagonal.y, -0.5 * offDiagonal.z, 0.0, 0.0);
}
