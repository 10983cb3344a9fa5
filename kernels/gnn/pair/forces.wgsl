// GNN pair path B0 (one workgroup per atom i): with t_ij = r̄_ij + r̄_ji over i's pairs (r̄_ji read at
// the reverse slot of the link word when j selects i), F_i = Σ_j t_ij d_ij / r_ij (eV/Å) and the
// per-atom virial −½ Σ_j t_ij d_ij ⊗ d_ij / r_ij (half of each edge's −g ⊗ d to each of its atoms;
// xy = −½ Σ g_x d_y as the reference), written with the per-atom energy into the engine's forces and
// virials buffers. NULL atoms have no pairs: zeros.

@group(0) @binding(2) var<storage, read> pairs: array<vec4f>;
@group(0) @binding(3) var<storage, read> atomSel: array<vec4u>;
@group(0) @binding(4) var<storage, read> links: array<u32>;
@group(0) @binding(5) var<storage, read> rbar: array<f32>;
@group(0) @binding(6) var<storage, read> energies: array<f32>;
@group(0) @binding(7) var<storage, read_write> forces: array<vec4f>;
@group(0) @binding(8) var<storage, read_write> virials: array<vec4f>;

var<workgroup> partial: array<vec4f, 3u * PAIR_WG>;

@compute @workgroup_size(PAIR_WG)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) tid: u32,
) {
  let i = wid.y * groups.x + wid.x;
  let n = params.nAtoms;
  if (i >= n) {
    return;
  }
  let m = atomSel[i].x;
  let row = i * params.slotsPerAtom;
  var f = vec3f(0.0);
  var diagonal = vec3f(0.0);
  var offDiagonal = vec3f(0.0);
  for (var q = tid; q < m; q += PAIR_WG) {
    let link = links[row + q];
    var t = rbar[row + q];
    if ((link & LINK_IN) != 0u) {
      let d = pairs[row + q];
      t += rbar[neighborRow(bitcast<u32>(d.w)) * params.slotsPerAtom + (link & LINK_SLOT)];
    }
    let d = pairs[row + q].xyz;
    let h = t * d / length(d);
    f += h;
    diagonal += h * d;
    offDiagonal += vec3f(h.x * d.y, h.x * d.z, h.y * d.z);
  }
  partial[tid] = vec4f(f, 0.0);
  partial[PAIR_WG + tid] = vec4f(diagonal, 0.0);
  partial[2u * PAIR_WG + tid] = vec4f(offDiagonal, 0.0);
  workgroupBarrier();
  for (var stride = PAIR_WG / 2u; stride > 0u; stride /= 2u) {
    if (tid < stride) {
      for (var k = 0u; k < 3u; k++) {
        partial[k * PAIR_WG + tid] += partial[k * PAIR_WG + tid + stride];
      }
    }
    workgroupBarrier();
  }
  if (tid == 0u) {
    let sumD = partial[PAIR_WG].xyz;
    let sumO = partial[2u * PAIR_WG].xyz;
    forces[i] = vec4f(partial[0].xyz, energies[i]);
    virials[i] = vec4f(-0.5 * sumD, -0.5 * sumO.x);
    virials[n + i] = vec4f(-0.5 * sumO.y, -0.5 * sumO.z, 0.0, 0.0);
  }
}
