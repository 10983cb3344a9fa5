// Post-update of velocity Verlet and Langevin BAOAB: v += dt/2·a with the new forces, for atoms of
// systems whose status equals the bound code. The first atom of each such system also advances the
// system's step counter (the RNG counter of Langevin).

@group(0) @binding(0) var<storage, read_write> velocities: array<vec4f>;
@group(0) @binding(1) var<storage, read> forces: array<vec4f>;
@group(0) @binding(2) var<storage, read> systemOf: array<u32>;
@group(0) @binding(3) var<storage, read> status: array<i32>;
@group(0) @binding(4) var<storage, read> dynamics: array<DynamicsParams>;
@group(0) @binding(5) var<storage, read_write> steps: array<u32>;
@group(1) @binding(0) var<uniform> code: StatusCode;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= arrayLength(&velocities)) {
    return;
  }
  let s = systemOf[i];
  if (status[s] != code.value) {
    return;
  }
  let v = velocities[i];
  velocities[i] = vec4f(v.xyz + (0.5 * dynamics[s].dt * v.w) * forces[i].xyz, v.w);
  if (i == 0u || systemOf[i - 1u] != s) {
    steps[s] += 1u;
  }
}
