// FIRE2 step, pass 1 (one workgroup per reduction block, ATOMS_PER_THREAD atoms a thread): partial
// sums over the block's atoms, w = velocities.w = conversion / mass:
//   fire2Partials[2b]     = (Σ F·v, Σ |F|², Σ |v|², Σ w·F·v)
//   fire2Partials[2b + 1] = (Σ w·|F|², Σ w²·|F|², 0, 0)
// from which fire2_adapt.wgsl gets |v'|² and v'·F of the kicked velocity v' = keep·v + dt·w·F without
// another pass. Blocks of systems whose status differs from the bound code write zeros.

@group(0) @binding(0) var<storage, read> velocities: array<vec4f>;
@group(0) @binding(1) var<storage, read> forces: array<vec4f>;
/// Per block: (system, first atom, one past the last atom, 0).
@group(0) @binding(2) var<storage, read> blocks: array<vec4u>;
@group(0) @binding(3) var<storage, read> status: array<i32>;
@group(0) @binding(4) var<storage, read_write> fire2Partials: array<vec4f>;
@group(1) @binding(0) var<uniform> code: StatusCode;

var<workgroup> scratchA: array<vec4f, WORKGROUP_SIZE>;
var<workgroup> scratchB: array<vec2f, WORKGROUP_SIZE>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) t: u32) {
  let block = blocks[wid.x];
  var a = vec4f(0.0);
  var b = vec2f(0.0);
  if (status[block.x] == code.value) {
    for (var m = 0u; m < ATOMS_PER_THREAD; m++) {
      let i = block.y + t + m * WORKGROUP_SIZE;
      if (i < block.z) {
        let v = velocities[i];
        let f = forces[i].xyz;
        let fv = dot(f, v.xyz);
        let ff = dot(f, f);
        a += vec4f(fv, ff, dot(v.xyz, v.xyz), v.w * fv);
        b += vec2f(v.w * ff, v.w * v.w * ff);
      }
    }
  }
  scratchA[t] = a;
  scratchB[t] = b;
  for (var stride = WORKGROUP_SIZE / 2u; stride > 0u; stride /= 2u) {
    workgroupBarrier();
    if (t < stride) {
      scratchA[t] += scratchA[t + stride];
      scratchB[t] += scratchB[t + stride];
    }
  }
  if (t == 0u) {
    fire2Partials[2u * wid.x] = scratchA[0];
    fire2Partials[2u * wid.x + 1u] = vec4f(scratchB[0], 0.0, 0.0);
  }
}
