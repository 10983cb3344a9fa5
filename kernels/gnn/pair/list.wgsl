// GNN pair path, pass 1 (one workgroup of PAIR_WG threads per atom i): compacts i's Verlet row to the
// pairs within rcut (both atoms non-NULL, 0 < r < rcut) in row order: pairs[i·CAP + q] = (d_ij, entry
// bits) with d_ij = r_j + T − r_i, keys[i·CAP + q] = the entry (searched by links.wgsl), and the
// pair count in atomSel[i].x (cut.wgsl adds the selection cut).

@group(0) @binding(2) var<storage, read> positions: array<vec4f>;
@group(0) @binding(3) var<storage, read> systemOf: array<u32>;
@group(0) @binding(4) var<storage, read> systems: array<System>;
@group(0) @binding(5) var<storage, read> neighbors: array<u32>;
@group(0) @binding(6) var<storage, read_write> pairs: array<vec4f>;
@group(0) @binding(7) var<storage, read_write> keys: array<u32>;
@group(0) @binding(8) var<storage, read_write> atomSel: array<vec4u>;

var<workgroup> scan: array<u32, PAIR_WG>;

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
  let count = neighbors[i];
  let own = positions[i];
  let centre = modelType(own.w) >= 0;
  let system = systems[systemOf[i]];
  let row = i * params.slotsPerAtom;
  var total = 0u;
  for (var k0 = 0u; k0 < count; k0 += PAIR_WG) {
    let k = k0 + tid;
    var within = false;
    var d = vec3f(0.0);
    var entry = 0u;
    if (k < count && centre) {
      entry = neighbors[(k + 1u) * n + i];
      let pj = positions[neighborRow(entry)];
      d = -pairSeparation(own.xyz, pj.xyz, entry, system);
      let r = length(d);
      within = modelType(pj.w) >= 0 && r < params.rcut && r > 0.0;
    }
    // Inclusive scan of the flags (Hillis–Steele).
    scan[tid] = select(0u, 1u, within);
    workgroupBarrier();
    for (var offset = 1u; offset < PAIR_WG; offset *= 2u) {
      let v = select(0u, scan[max(tid, offset) - offset], tid >= offset);
      workgroupBarrier();
      scan[tid] += v;
      workgroupBarrier();
    }
    if (within) {
      let q = row + total + scan[tid] - 1u;
      pairs[q] = vec4f(d, bitcast<f32>(entry));
      keys[q] = entry;
    }
    total += workgroupUniformLoad(&scan[PAIR_WG - 1u]);
  }
  if (tid == 0u) {
    atomSel[i] = vec4u(total, 0u, 0u, 0u);
  }
}
