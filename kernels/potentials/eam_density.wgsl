// EAM pass 1 (with eam_common.wgsl): the host density of every atom over its full Verlet row,
// ρ_i = Σ_j ρ_{t_j → t_i}(r_ij), then, in the same thread (atom i owns ρ_i, so no second pass is
// needed), the embedding energy F(ρ_i) (continued linearly above rhomax, as LAMMPS) and F'(ρ_i),
// which pass 2 (eam_force.wgsl) reads for both ends of each pair. NULL atoms and atoms of NULL
// elements get (0, 0) and contribute no density. Two neighbors per iteration, as lennard_jones.wgsl.

@group(0) @binding(0) var<storage, read> positions: array<vec4f>;
@group(0) @binding(1) var<storage, read> systemOf: array<u32>;
@group(0) @binding(2) var<storage, read> systems: array<System>;
@group(0) @binding(3) var<storage, read> neighbors: array<u32>;
@group(0) @binding(4) var<storage, read> tables: array<vec4u>;
/// Per atom: x = F'(ρ_i), eV per density unit; y = F(ρ_i), eV.
@group(0) @binding(5) var<storage, read_write> embedding: array<vec2f>;
@group(0) @binding(6) var<uniform> eam: EamParams;

/// Density at atom i (pair index base ti·nTypes) contributed by the neighbor of list entry `entry`.
fn densityFrom(pi: vec3f, pairBase: u32, entry: u32, system: System) -> f32 {
  let pj = positions[neighborRow(entry)];
  let d = pairSeparation(pi, pj.xyz, entry, system);
  let r2 = dot(d, d);
  let inside = r2 < eam.cutoff2 && r2 > 0.0 && pj.w >= 0.0;
  let knot = rKnot(sqrt(r2));
  let k = pairBase + u32(max(pj.w, 0.0));
  let c = bitcast<vec4f>(tables[pairRecord(eam.densityRow, 1u, k, knot.index)]);
  return select(0.0, cubic(c, knot.p), inside);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  let n = eam.nAtoms;
  if (i >= n) {
    return;
  }
  let own = positions[i];
  let ti = eamType(own.w);
  if (ti < 0) {
    embedding[i] = vec2f(0.0);
    return;
  }
  let pi = own.xyz;
  let system = systems[systemOf[i]];
  let pairBase = u32(ti) * eam.nTypes;
  let count = neighbors[i];
  var rho = 0.0;
  for (var k = 0u; k < count; k += 2u) {
    let e0 = neighbors[(k + 1u) * n + i];
    let e1 = select(i, neighbors[(k + 2u) * n + i], k + 1u < count);
    rho += densityFrom(pi, pairBase, e0, system) + densityFrom(pi, pairBase, e1, system);
  }
  let knot = rhoKnot(rho);
  let row = eam.embeddingRow + 2u * (u32(ti) * eam.nrho + knot.index);
  let fp = quadratic(bitcast<vec4f>(tables[row + 1u]).xyz, knot.p);
  var f = cubic(bitcast<vec4f>(tables[row]), knot.p);
  if (rho > eam.rhomax) {
    f += fp * (rho - eam.rhomax);
  }
  embedding[i] = vec2f(fp, f);
}
