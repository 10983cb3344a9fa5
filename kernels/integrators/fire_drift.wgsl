// FIRE step, pass 5 (per atom): x += stepScale·dt·v for atoms of systems whose status equals the code.

@group(0) @binding(0) var<storage, read_write> positions: array<vec4f>;
@group(0) @binding(1) var<storage, read> velocities: array<vec4f>;
@group(0) @binding(2) var<storage, read> systemOf: array<u32>;
@group(0) @binding(3) var<storage, read> status: array<i32>;
@group(0) @binding(4) var<storage, read> fire: array<FireState>;
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
  let state = fire[s];
  let p = positions[i];
  positions[i] = vec4f(p.xyz + (state.stepScale * state.dt) * velocities[i].xyz, p.w);
}
