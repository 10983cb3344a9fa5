// FIRE2 step, pass 2 (one workgroup per system): sums the block partials, then thread 0 updates the
// system's state as Guénolé et al. 2020, Algorithm 2 (reference: src/engine/reference/fire2.ts):
//   P > 0: n⁺ += 1; if n⁺ > N_delay: dt ← min(dt·f_inc, dtMax), α ← α·f_α
//   P ≤ 0: n⁺ ← 0; unless (initialDelay and step < N_delay): { dt ← dt·f_dec if that stays ≥ dtMin;
//          α ← α_start }; then x ← x − dt/2·v, v ← 0
// and stores the coefficients of the semi-implicit Euler update of fire2_update.wgsl:
//   v' = keep·v + dt·w·F;  v'' = (1 − α)·v' + α·|v'|·F/|F|;  x += drift·v'', drift = dt·min(1, maxStep/|dt·v''|)
// |v'|², v'·F and |v''|² come from the partial sums, expanded. Advances the system's step counter.

@group(0) @binding(0) var<storage, read> fire2Partials: array<vec4f>;
@group(0) @binding(1) var<storage, read> systems: array<System>;
@group(0) @binding(2) var<storage, read> status: array<i32>;
@group(0) @binding(3) var<storage, read_write> fire2: array<Fire2State>;
@group(0) @binding(4) var<storage, read> params: array<Fire2Params>;
@group(0) @binding(5) var<storage, read_write> steps: array<u32>;
@group(1) @binding(0) var<uniform> code: StatusCode;

var<workgroup> scratchA: array<vec4f, WORKGROUP_SIZE>;
var<workgroup> scratchB: array<vec4f, WORKGROUP_SIZE>;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) t: u32) {
  let s = wid.x;
  let range = systems[s].range;
  var a = vec4f(0.0);
  var b = vec4f(0.0);
  for (var k = range.z + t; k < range.w; k += WORKGROUP_SIZE) {
    a += fire2Partials[2u * k];
    b += fire2Partials[2u * k + 1u];
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
  if (t != 0u || status[s] != code.value) {
    return;
  }
  let power = scratchA[0].x;
  let ff = scratchA[0].y;
  let vv = scratchA[0].z;
  let wfv = scratchA[0].w;
  let wff = scratchB[0].x;
  let w2ff = scratchB[0].y;
  let p = params[s];
  var state = fire2[s];
  let iteration = state.steps + 1u;
  if (power > 0.0) {
    state.nPositive += 1u;
    if (state.nPositive > p.nDelay) {
      state.dt = min(state.dt * FIRE2_F_INC, p.dtMax);
      state.alpha *= FIRE2_F_ALPHA;
    }
    state.back = 0.0;
    state.keep = 1.0;
  } else {
    state.nPositive = 0u;
    if (!(p.initialDelay != 0u && iteration < p.nDelay)) {
      if (state.dt * FIRE2_F_DEC >= p.dtMin) {
        state.dt *= FIRE2_F_DEC;
      }
      state.alpha = FIRE2_ALPHA_START;
    }
    state.back = 0.5 * state.dt;
    state.keep = 0.0;
  }
  let dt = state.dt;
  let keep = state.keep;
  // v' = keep·v + dt·w·F.
  let vv1 = max(0.0, keep * vv + 2.0 * keep * dt * wfv + dt * dt * w2ff);
  let vf1 = keep * power + dt * wff;
  state.mixVelocity = 1.0;
  state.mixForce = 0.0;
  if (ff > 0.0) {
    state.mixVelocity = 1.0 - state.alpha;
    state.mixForce = state.alpha * sqrt(vv1) / sqrt(ff);
  }
  let mv = state.mixVelocity;
  let mf = state.mixForce;
  let vv2 = max(0.0, mv * mv * vv1 + 2.0 * mv * mf * vf1 + mf * mf * ff);
  let norm = dt * sqrt(vv2);
  state.drift = select(dt, dt * p.maxStep / norm, norm > p.maxStep);
  state.steps = iteration;
  fire2[s] = state;
  steps[s] += 1u;
}
