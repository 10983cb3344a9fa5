// FIRE step, pass 2 (one workgroup per system): sums the block partials of P, |F|², |v|² and
// updates the system's FIRE state as ASE does (with the old α for the mixing):
//   first step: no test. P > 0: v ← (1 − α)v + α|v|F/|F|; after more than N_MIN positive steps
//   dt ← min(dt·f_inc, dtMax), α ← α·f_α; n⁺ += 1. Otherwise: v ← 0, α ← α_start, dt ← dt·f_dec, n⁺ = 0.
// The mixing is stored as coefficients for fire_kick.wgsl.

const N_MIN: u32 = 5u;
const F_INC: f32 = 1.1;
const F_DEC: f32 = 0.5;
const ALPHA_START: f32 = 0.1;
const F_ALPHA: f32 = 0.99;

@group(0) @binding(0) var<storage, read> firePartials: array<vec4f>;
@group(0) @binding(1) var<storage, read> systems: array<System>;
@group(0) @binding(2) var<storage, read> status: array<i32>;
@group(0) @binding(3) var<storage, read_write> fire: array<FireState>;
@group(0) @binding(4) var<storage, read> dynamics: array<DynamicsParams>;
@group(1) @binding(0) var<uniform> code: StatusCode;

var<workgroup> scratch: array<vec4f, WORKGROUP_SIZE>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) t: u32) {
  let s = wid.x;
  let range = systems[s].range;
  var sum = vec4f(0.0);
  for (var b = range.z + t; b < range.w; b += WORKGROUP_SIZE) {
    sum += firePartials[b];
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
  let power = scratch[0].x;
  var state = fire[s];
  state.mixVelocity = 1.0;
  state.mixForce = 0.0;
  if (state.started != 0u) {
    if (power > 0.0) {
      state.mixVelocity = 1.0 - state.alpha;
      state.mixForce = state.alpha * sqrt(scratch[0].z) / sqrt(scratch[0].y);
      if (state.nPositive > N_MIN) {
        state.dt = min(state.dt * F_INC, dynamics[s].dtMax);
        state.alpha *= F_ALPHA;
      }
      state.nPositive += 1u;
    } else {
      state.mixVelocity = 0.0;
      state.alpha = ALPHA_START;
      state.dt *= F_DEC;
      state.nPositive = 0u;
    }
  }
  state.started = 1u;
  fire[s] = state;
}
