// FIRE step, pass 3 (one workgroup per reduction block, ATOMS_PER_THREAD atoms a thread): v ← mixVelocity·v + mixForce·F, then
// v += dt·F/m; partial sums of |dr|² = |dt·v|² per block (x of firePartials) for the step limit.

@group(0) @binding(0) var<storage, read_write> velocities: array<vec4f>;
@group(0) @binding(1) var<storage, read> forces: array<vec4f>;
@group(0) @binding(2) var<storage, read> blocks: array<vec4u>;
@group(0) @binding(3) var<storage, read> status: array<i32>;
@group(0) @binding(4) var<storage, read> fire: array<FireState>;
@group(0) @binding(5) var<storage, read_write> firePartials: array<vec4f>;
@group(1) @binding(0) var<uniform> code: StatusCode;

var<workgroup> scratch: array<f32, WORKGROUP_SIZE>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) t: u32) {
  let block = blocks[wid.x];
  var dr2 = 0.0;
  if (status[block.x] == code.value) {
    let state = fire[block.x];
    for (var m = 0u; m < ATOMS_PER_THREAD; m++) {
      let i = block.y + t + m * WORKGROUP_SIZE;
      if (i < block.z) {
        let v = velocities[i];
        let f = forces[i].xyz;
        let vNew = state.mixVelocity * v.xyz + state.mixForce * f + (state.dt * v.w) * f;
        velocities[i] = vec4f(vNew, v.w);
        let dr = state.dt * vNew;
        dr2 += dot(dr, dr);
      }
    }
  }
  scratch[t] = dr2;
  for (var stride = WORKGROUP_SIZE / 2u; stride > 0u; stride /= 2u) {
    workgroupBarrier();
    if (t < stride) {
      scratch[t] += scratch[t + stride];
    }
  }
  if (t == 0u) {
    firePartials[wid.x] = vec4f(scratch[0], 0.0, 0.0, 0.0);
  }
}
