// FIRE step, pass 4 (one workgroup per system): |dr| = sqrt(Σ blocks |dr|²); the step is scaled by
// min(1, maxStep/|dr|). Also advances the system's step counter (FIRE has no post-update).

@group(0) @binding(0) var<storage, read> firePartials: array<vec4f>;
@group(0) @binding(1) var<storage, read> systems: array<System>;
@group(0) @binding(2) var<storage, read> status: array<i32>;
@group(0) @binding(3) var<storage, read_write> fire: array<FireState>;
@group(0) @binding(4) var<storage, read> dynamics: array<DynamicsParams>;
@group(0) @binding(5) var<storage, read_write> steps: array<u32>;
@group(1) @binding(0) var<uniform> code: StatusCode;

var<workgroup> scratch: array<f32, WORKGROUP_SIZE>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) t: u32) {
  let s = wid.x;
  let range = systems[s].range;
  var sum = 0.0;
  for (var b = range.z + t; b < range.w; b += WORKGROUP_SIZE) {
    sum += firePartials[b].x;
  }
  scratch[t] = sum;
  for (var stride = WORKGROUP_SIZE / 2u; stride > 0u; stride /= 2u) {
    workgroupBarrier();
    if (t < stride) {
      scratch[t] += scratch[t + stride];
    }
  }
  if (t != 0u || status[s] != code.value) {
    return;
  }
  let norm = sqrt(scratch[0]);
  let maxStep = dynamics[s].maxStep;
  fire[s].stepScale = select(1.0, maxStep / norm, norm > maxStep);
  steps[s] += 1u;
}
