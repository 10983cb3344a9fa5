// FIRE2 step, pass 3 (per atom), with the coefficients of fire2_adapt.wgsl, for atoms of systems
// whose status equals the bound code:
//   x ← x − back·v;  v ← keep·v + dt·F/m;  v ← mixVelocity·v + mixForce·F;  x ← x + drift·v

@group(0) @binding(0) var<storage, read_write> positions: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> velocities: array<vec4f>;
@group(0) @binding(2) var<storage, read> forces: array<vec4f>;
@group(0) @binding(3) var<storage, read> systemOf: array<u32>;
@group(0) @binding(4) var<storage, read> status: array<i32>;
@group(0) @binding(5) var<storage, read> fire2: array<Fire2State>;
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
  let state = fire2[s];
  let p = positions[i];
  let v0 = velocities[i];
  let f = forces[i].xyz;
  var x = p.xyz - state.back * v0.xyz;
  var v = state.keep * v0.xyz + (state.dt * v0.w) * f;
  v = state.mixVelocity * v + state.mixForce * f;
  x += state.drift * v;
  velocities[i] = vec4f(v, v0.w);
  positions[i] = vec4f(x, p.w);
}
