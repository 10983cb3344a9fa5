// Nosé–Hoover chain, kinetic reduction (one workgroup per reduction block, ATOMS_PER_THREAD atoms a
// thread): partial sums of m·v² = |v|²/velocities.w (eV) over the block's atoms (frozen atoms,
// w = 0, count 0). Blocks of systems whose status differs from the bound code write 0.
// Deterministic tree reduction.

@group(0) @binding(0) var<storage, read> velocities: array<vec4f>;
/// Per block: (system, first atom, one past the last atom, 0).
@group(0) @binding(1) var<storage, read> blocks: array<vec4u>;
@group(0) @binding(2) var<storage, read> status: array<i32>;
@group(0) @binding(3) var<storage, read_write> kineticPartials: array<f32>;
@group(1) @binding(0) var<uniform> code: StatusCode;

var<workgroup> scratch: array<f32, WORKGROUP_SIZE>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) t: u32) {
  let block = blocks[wid.x];
  var term = 0.0;
  if (status[block.x] == code.value) {
    for (var m = 0u; m < ATOMS_PER_THREAD; m++) {
      let i = block.y + t + m * WORKGROUP_SIZE;
      if (i < block.z) {
        let v = velocities[i];
        term += select(0.0, dot(v.xyz, v.xyz) / v.w, v.w > 0.0);
      }
    }
  }
  scratch[t] = term;
  for (var stride = WORKGROUP_SIZE / 2u; stride > 0u; stride /= 2u) {
    workgroupBarrier();
    if (t < stride) {
      scratch[t] += scratch[t + stride];
    }
  }
  if (t == 0u) {
    kineticPartials[wid.x] = scratch[0];
  }
}
