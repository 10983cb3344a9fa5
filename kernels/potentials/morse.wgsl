// Morse forces, per-atom energy and per-atom virial over the full Verlet list (LAMMPS
// `pair_style morse`): V(r) = D0[e^{−2α(r−r0)} − 2e^{−α(r−r0)}] − shift for r < rc.
// As lennard_jones.wgsl: one thread owns atom i and sums over its row (no float atomics), each end
// of a pair keeps half of the pair energy and virial, the cutoff test is a select, and the loop
// takes two neighbors per iteration (an odd row's last slot is atom i itself, dropped by r² > 0).

/// Constants of the Morse potential.
struct MorseParams {
  /// D0, eV.
  d0: f32,
  /// α, 1/Å.
  alpha: f32,
  /// r0, Å.
  r0: f32,
  /// rc², Å².
  cutoff2: f32,
  /// 2·α·D0, eV/Å.
  twoD0Alpha: f32,
  /// V_raw(rc) when shifted, else 0, eV.
  energyShift: f32,
  nAtoms: u32,
  _pad0: u32,
}

@group(0) @binding(0) var<storage, read> positions: array<vec4f>;
@group(0) @binding(1) var<storage, read> systemOf: array<u32>;
@group(0) @binding(2) var<storage, read> systems: array<System>;
@group(0) @binding(3) var<storage, read> neighbors: array<u32>;
@group(0) @binding(4) var<storage, read_write> forces: array<vec4f>;
@group(0) @binding(5) var<storage, read_write> virials: array<vec4f>;
@group(0) @binding(6) var<uniform> morse: MorseParams;

/// Running sums of atom i: force eV/Å, energy eV, virial diagonal and off-diagonal (xy, xz, yz) eV.
struct PairSums {
  force: vec3f,
  energy: f32,
  diagonal: vec3f,
  offDiagonal: vec3f,
}

/// Adds the pair term of separation d = r_i − r_j (periodic image applied) to the sums.
fn addPair(acc: PairSums, d: vec3f) -> PairSums {
  let r2 = dot(d, d);
  let inside = r2 < morse.cutoff2 && r2 > 0.0;
  let r = sqrt(r2);
  let e = exp(-morse.alpha * (r - morse.r0));
  // −V'(r)/r = 2αD0(e² − e)/r, as LAMMPS's morse1·(dexp² − dexp)/r.
  let forceOverR = select(0.0, morse.twoD0Alpha * (e * e - e) / r, inside);
  let f = forceOverR * d;
  return PairSums(
    acc.force + f,
    acc.energy + select(0.0, morse.d0 * (e * e - 2.0 * e) - morse.energyShift, inside),
    acc.diagonal + d * f,
    acc.offDiagonal + vec3f(d.x * f.y, d.x * f.z, d.y * f.z),
  );
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  let n = morse.nAtoms;
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
