// The loop every pair potential shares: forces, per-atom energy and per-atom virial over the full
// Verlet list. The potential's own file (lennard_jones.wgsl, morse.wgsl) is prepended and defines
//   `pair` (binding 6, a uniform with at least `nAtoms: u32`) and
//   `fn pairTerm(r2: f32) -> vec2f`: (−V′(r)/r in eV/Å², V(r) in eV) for 0 < r² < rc², zeros elsewhere.
// One thread owns atom i and sums over its row, so no float atomics are needed; each pair is seen from
// both ends and each end keeps half of the pair energy and half of the pair virial. The loop takes two
// neighbors per iteration (SwiftShader pays per iteration); an odd row's last slot is atom i itself,
// whose zero separation pairTerm drops.

@group(0) @binding(0) var<storage, read> positions: array<vec4f>;
@group(0) @binding(1) var<storage, read> systemOf: array<u32>;
@group(0) @binding(2) var<storage, read> systems: array<System>;
@group(0) @binding(3) var<storage, read> neighbors: array<u32>;
@group(0) @binding(4) var<storage, read_write> forces: array<vec4f>;
@group(0) @binding(5) var<storage, read_write> virials: array<vec4f>;

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
  let term = pairTerm(dot(d, d));
  let f = term.x * d;
  return PairSums(
    acc.force + f,
    acc.energy + term.y,
    acc.diagonal + d * f,
    acc.offDiagonal + vec3f(d.x * f.y, d.x * f.z, d.y * f.z),
  );
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  let n = pair.nAtoms;
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
