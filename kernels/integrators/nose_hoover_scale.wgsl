// Nosé–Hoover chain post-update, last pass (per atom): v ← factor·v with the factor of the chain's
// half step, for atoms of systems whose status equals the bound code.

@group(0) @binding(0) var<storage, read_write> velocities: array<vec4f>;
@group(0) @binding(1) var<storage, read> systemOf: array<u32>;
@group(0) @binding(2) var<storage, read> status: array<i32>;
@group(0) @binding(3) var<storage, read> chains: array<NoseHooverState>;
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
  velocities[i] = vec4f(chains[s].factor * v.xyz, v.w);
}
