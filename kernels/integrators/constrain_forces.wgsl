// Per-atom constraints (per row), right after the potential while a constraint is set
// (src/engine/gpu/constraints.ts; reference: src/engine/reference/constraints.ts):
//   frozen atom (inverse mass 0 in the table): F ← 0 (the per-atom energy in forces.w is kept),
//     v ← 0 and velocities.w ← 0, so that every kick, Langevin's noise and the drift vanish and
//     FIRE/FIRE2's system-wide mixing cannot move it (LAMMPS `fix setforce 0 0 0` on an atom at rest);
//   other atoms: velocities.w ← the table's conversion / mass (restores an atom just unfrozen), and
//     |F| > maxForce of the atom's system: F ← F·maxForce/|F| (direction kept).
// The table is indexed by the ORIGINAL atom index (rows are permuted at neighbor-list rebuilds), so
// a constraint follows its atom; velocities.w carries the frozen state through the permutation too.

@group(0) @binding(0) var<storage, read_write> velocities: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> forces: array<vec4f>;
@group(0) @binding(2) var<storage, read> systemOf: array<u32>;
@group(0) @binding(3) var<storage, read> originalIndex: array<u32>;
/// Per original atom: ACCELERATION_PER_FORCE_OVER_MASS / mass, Å/fs² per eV/Å; 0 for a frozen atom.
@group(0) @binding(4) var<storage, read> inverseMass: array<f32>;
/// Per system: largest |F| of one atom, eV/Å (3.4e38 when the system has no clamp).
@group(0) @binding(5) var<storage, read> maxForce: array<f32>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= arrayLength(&forces)) {
    return;
  }
  let w = inverseMass[originalIndex[i]];
  let v = velocities[i];
  let f = forces[i];
  if (w == 0.0) {
    if (any(v != vec4f(0.0))) {
      velocities[i] = vec4f(0.0);
    }
    forces[i] = vec4f(0.0, 0.0, 0.0, f.w);
    return;
  }
  if (v.w != w) {
    velocities[i] = vec4f(v.xyz, w);
  }
  let limit = maxForce[systemOf[i]];
  let norm = length(f.xyz);
  if (norm > limit) {
    forces[i] = vec4f(f.xyz * (limit / norm), f.w);
  }
}
