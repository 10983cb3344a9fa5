// Nosé–Hoover chain pre-update (per atom), after the chain's half step: v ← factor·v; v += dt/2·a;
// x += dt·v, for atoms of systems whose status equals the bound code. a = F·velocities.w.

@group(0) @binding(0) var<storage, read_write> positions: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> velocities: array<vec4f>;
@group(0) @binding(2) var<storage, read> forces: array<vec4f>;
@group(0) @binding(3) var<storage, read> systemOf: array<u32>;
@group(0) @binding(4) var<storage, read> status: array<i32>;
@group(0) @binding(5) var<storage, read> chains: array<NoseHooverState>;
@group(0) @binding(6) var<storage, read> params: array<NoseHooverParams>;
@group(1) @binding(0) var<uniform> code: StatusCode;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= arrayLength(&positions)) {
    return;
  }
  let s = systemOf[i];
  if (status[s] != code.value) {
    return;
  }
  let dt = params[s].dt;
  let v = velocities[i];
  let vHalf = chains[s].factor * v.xyz + (0.5 * dt * v.w) * forces[i].xyz;
  velocities[i] = vec4f(vHalf, v.w);
  let p = positions[i];
  positions[i] = vec4f(p.xyz + dt * vHalf, p.w);
}
