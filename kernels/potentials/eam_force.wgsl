// EAM pass 2 (with eam_common.wgsl): forces, per-atom energy F(ρ_i) + ½Σ_j φ(r_ij) and per-atom
// virial over the full Verlet row, as LAMMPS's PairEAM::compute but with each pair seen from both
// ends: atom i sums its own force −Σ_j [F'_i ρ'_{j→i} + F'_j ρ'_{i→j} + φ'] (r_ij / r) and keeps
// half of each pair energy and pair virial. F' of both atoms comes from eam_density.wgsl.
// NULL atoms and atoms of NULL elements get zeros and exert nothing.

@group(0) @binding(0) var<storage, read> positions: array<vec4f>;
@group(0) @binding(1) var<storage, read> systemOf: array<u32>;
@group(0) @binding(2) var<storage, read> systems: array<System>;
@group(0) @binding(3) var<storage, read> neighbors: array<u32>;
@group(0) @binding(4) var<storage, read> tables: array<vec4u>;
@group(0) @binding(5) var<storage, read> embedding: array<vec2f>;
@group(0) @binding(6) var<storage, read_write> forces: array<vec4f>;
@group(0) @binding(7) var<storage, read_write> virials: array<vec4f>;
@group(0) @binding(8) var<uniform> eam: EamParams;

/// Running sums of atom i: force eV/Å, pair energy Σφ eV, virial diagonal and off-diagonal
/// (xy, xz, yz) eV; energy and virial are halved when stored.
struct PairSums {
  force: vec3f,
  energy: f32,
  diagonal: vec3f,
  offDiagonal: vec3f,
}

/// Adds the pair of atom i (pair index base ti·nTypes, F'(ρ_i) = fpi) and the neighbor of list
/// entry `entry`.
fn addPair(acc: PairSums, pi: vec3f, pairBase: u32, fpi: f32, entry: u32, system: System) -> PairSums {
  let row = neighborRow(entry);
  let pj = positions[row];
  let d = pairSeparation(pi, pj.xyz, entry, system);
  let r2 = dot(d, d);
  let inside = r2 < eam.cutoff2 && r2 > 0.0 && pj.w >= 0.0;
  let knot = rKnot(sqrt(r2));
  let record = pairRecord(eam.forceRow, 4u, pairBase + u32(max(pj.w, 0.0)), knot.index);
  let a = bitcast<vec4f>(tables[record]);
  let b = bitcast<vec4f>(tables[record + 1u]);
  let z2r = bitcast<vec4f>(tables[record + 2u]);
  let z2rC2 = bitcast<f32>(tables[record + 3u].x);
  let p = knot.p;
  // rhojp: ρ' of the density j puts at i; rhoip: of the density i puts at j (LAMMPS's names).
  let rhojp = quadratic(a.xyz, p);
  let rhoip = quadratic(b.xyz, p);
  let z2 = cubic(z2r, p);
  let z2p = quadratic(vec3f(a.w, b.w, z2rC2), p);
  let recip = inverseSqrt(r2);
  let phi = z2 * recip;
  let phip = z2p * recip - phi * recip;
  let psip = fpi * rhojp + embedding[row].x * rhoip + phip;
  let fpair = select(0.0, -psip * recip, inside);
  let f = fpair * d;
  return PairSums(
    acc.force + f,
    acc.energy + select(0.0, phi, inside),
    acc.diagonal + d * f,
    acc.offDiagonal + vec3f(d.x * f.y, d.x * f.z, d.y * f.z),
  );
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
    forces[i] = vec4f(0.0);
    virials[i] = vec4f(0.0);
    virials[n + i] = vec4f(0.0);
    return;
  }
  let pi = own.xyz;
  let system = systems[systemOf[i]];
  let ownEmbedding = embedding[i];
  let pairBase = u32(ti) * eam.nTypes;
  let count = neighbors[i];
  var acc = PairSums(vec3f(0.0), 0.0, vec3f(0.0), vec3f(0.0));
  for (var k = 0u; k < count; k += 2u) {
    let e0 = neighbors[(k + 1u) * n + i];
    let e1 = select(i, neighbors[(k + 2u) * n + i], k + 1u < count);
    acc = addPair(acc, pi, pairBase, ownEmbedding.x, e0, system);
    acc = addPair(acc, pi, pairBase, ownEmbedding.x, e1, system);
  }
  forces[i] = vec4f(acc.force, ownEmbedding.y + 0.5 * acc.energy);
  virials[i] = vec4f(0.5 * acc.diagonal, 0.5 * acc.offDiagonal.x);
  virials[n + i] = vec4f(0.5 * acc.offDiagonal.y, 0.5 * acc.offDiagonal.z, 0.0, 0.0);
}
