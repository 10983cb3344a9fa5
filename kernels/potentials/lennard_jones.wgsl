// Lennard-Jones forces, per-atom energy and per-atom virial over the full Verlet list.
// One thread owns atom i and sums over its row, so no float atomics are needed; each pair is seen
// from both ends and each end keeps half of the pair energy and half of the pair virial.
// The cutoff test is a select, not a branch, so SIMD lanes stay in step, and the loop takes two
// neighbors per iteration (SwiftShader pays per iteration); an odd row's last slot reads atom i
// itself, whose zero distance the r² > 0 test drops.

/// Precomputed constants of V(r) = 4ε[(σ/r)¹² − (σ/r)⁶] − shift.
struct LennardJonesParams {
  /// σ², Å².
  sigma2: f32,
  /// rc², Å².
  cutoff2: f32,
  /// 4ε, eV.
  epsilon4: f32,
  /// 24ε, eV.
  epsilon24: f32,
  /// V_raw(rc) when shifted, else 0, eV.
  energyShift: f32,
  nAtoms: u32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<storage, read> positions: array<vec4f>;
@group(0) @binding(1) var<storage, read> systemOf: array<u32>;
@group(0) @binding(2) var<storage, read> systems: array<System>;
@group(0) @binding(3) var<storage, read> neighbors: array<u32>;
@group(0) @binding(4) var<storage, read_write> forces: array<vec4f>;
@group(0) @binding(5) var<storage, read_write> virials: array<vec4f>;
@group(0) @binding(6) var<uniform> lj: LennardJonesParams;

/// Running sums of atom i over its neighbors: force eV/Å, energy eV, virial diagonal (xx, yy, zz)
/// and off-diagonal (xy, xz, yz) eV; halved when stored.
struct PairSums {
  force: vec3f,
  energy: f32,
  diagonal: vec3f,
  offDiagonal: vec3f,
}

/// Adds the pair term of separation d = r_i − r_j (periodic image applied) to the sums.
fn addPair(acc: PairSums, d: vec3f) -> PairSums {
  let r2 = dot(d, d);
  let inside = r2 < lj.cutoff2 && r2 > 0.0;
  let inverseR2 = 1.0 / r2;
  let sr2 = lj.sigma2 * inverseR2;
  let sr6 = sr2 * sr2 * sr2;
  let forceOverR = select(0.0, lj.epsilon24 * sr6 * (2.0 * sr6 - 1.0) * inverseR2, inside);
  let f = forceOverR * d;
  return PairSums(
    acc.force + f,
    acc.energy + select(0.0, lj.epsilon4 * sr6 * (sr6 - 1.0) - lj.energyShift, inside),
    acc.diagonal + d * f,
    acc.offDiagonal + vec3f(d.x * f.y, d.x * f.z, d.y * f.z),
  );
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  let n = lj.nAtoms;
  if (i >= n) {
    return;
  }
  let pi = positions[i].xyz;
  let system = systems[systemOf[i]];
  let count = neighbors[i];
  var acc = PairSums(vec3f(0.0), 0.0, vec3f(0.0), vec3f(0.0));
  for (var k = 0u; k < count; k += 2u) {
    let e0 = neighbors[(k + 1u) * n + i];
    let e1 = select(i, neighbors[(k + 2u) * n + i], k + 1u < count);
    acc = addPair(acc, pairSeparation(pi, positions[neighborRow(e0)].xyz, e0, system));
    acc = addPair(acc, pairSeparation(pi, positions[neighborRow(e1)].xyz, e1, system));
  }
  forces[i] = vec4f(acc.force, 0.5 * acc.energy);
  virials[i] = vec4f(0.5 * acc.diagonal, 0.5 * acc.offDiagonal.x);
  virials[n + i] = vec4f(0.5 * acc.offDiagonal.y, 0.5 * acc.offDiagonal.z, 0.0, 0.0);
}
