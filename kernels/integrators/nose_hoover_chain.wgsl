// Nosé–Hoover chain, half step of the chain (one workgroup per system): sums the block partials of
// Σ m v², then thread 0 advances the system's chain by dt/2 as LAMMPS's fix nvt does
// (nhc_temp_integrate, one loop, no drag; reference: src/engine/reference/noseHoover.ts):
//   down the chain, k = M..1: η̇_k ← (η̇_k·e_k + G_k·dt/4)·e_k with e_k = exp(−dt/8·η̇_{k+1})
//   factor = exp(−dt/2·η̇_1); Σ m v² ← factor²·Σ m v²; η_k += dt/2·η̇_k
//   up the chain, k = 1..M: the same update with the new G_k
// with G_1 = (Σ m v² − N_f·kB·T)/Q₁ and G_k = (Q_{k−1}·η̇²_{k−1} − kB·T)/Q_k,
// N_f = 3·(N − N_frozen) from the system's atom range and frozen count, Q₁ = N_f·kB·T·τ²,
// Q_k = kB·T·τ². The velocity scale is stored in the state for the scaling passes.

@group(0) @binding(0) var<storage, read> kineticPartials: array<f32>;
@group(0) @binding(1) var<storage, read> systems: array<System>;
@group(0) @binding(2) var<storage, read> status: array<i32>;
@group(0) @binding(3) var<storage, read_write> chains: array<NoseHooverState>;
@group(0) @binding(4) var<storage, read> params: array<NoseHooverParams>;
@group(1) @binding(0) var<uniform> code: StatusCode;

var<workgroup> scratch: array<f32, WORKGROUP_SIZE>;

/// The chain's constants for one system: N_f·kB·T (eV), masses Q₁ and Q_k (eV·fs²), kB·T (eV).
struct ChainMasses {
  dofKT: f32,
  massFirst: f32,
  massRest: f32,
  kT: f32,
}

/// G_1, 1/fs², from twice the kinetic energy (eV).
fn firstForce(kinetic2: f32, q: ChainMasses) -> f32 {
  if (q.massFirst > 0.0) {
    return (kinetic2 - q.dofKT) / q.massFirst;
  }
  return 0.0;
}

/// G_k (k ≥ 2, 1-based), 1/fs², from the velocity of the thermostat below it.
fn upperForce(belowEtaDot: f32, belowIsFirst: bool, q: ChainMasses) -> f32 {
  if (q.massRest <= 0.0) {
    return 0.0;
  }
  let belowMass = select(q.massRest, q.massFirst, belowIsFirst);
  return (belowMass * belowEtaDot * belowEtaDot - q.kT) / q.massRest;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) t: u32) {
  let s = wid.x;
  let range = systems[s].range;
  var sum = 0.0;
  for (var b = range.z + t; b < range.w; b += WORKGROUP_SIZE) {
    sum += kineticPartials[b];
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
  let p = params[s];
  let m = p.chainLength;
  let atoms = range.y - range.x;
  let dofKT = 3.0 * f32(atoms - min(systems[s].constraints.x, atoms)) * p.kT;
  let q = ChainMasses(dofKT, dofKT * p.tauSquared, p.kT * p.tauSquared, p.kT);
  let quarter = 0.25 * p.dt;
  let eighth = 0.125 * p.dt;
  var state = chains[s];
  var kinetic2 = scratch[0];
  for (var j = 0u; j < m; j++) {
    let k = m - 1u - j;
    var above = 0.0;
    if (k + 1u < m) {
      above = state.etaDot[k + 1u];
    }
    let e = exp(-eighth * above);
    var g = firstForce(kinetic2, q);
    if (k > 0u) {
      g = upperForce(state.etaDot[k - 1u], k == 1u, q);
    }
    state.etaDot[k] = (state.etaDot[k] * e + g * quarter) * e;
  }
  let factor = exp(-0.5 * p.dt * state.etaDot[0]);
  kinetic2 *= factor * factor;
  for (var k = 0u; k < m; k++) {
    state.eta[k] += 0.5 * p.dt * state.etaDot[k];
  }
  for (var k = 0u; k < m; k++) {
    var above = 0.0;
    if (k + 1u < m) {
      above = state.etaDot[k + 1u];
    }
    let e = exp(-eighth * above);
    var g = firstForce(kinetic2, q);
    if (k > 0u) {
      g = upperForce(state.etaDot[k - 1u], k == 1u, q);
    }
    state.etaDot[k] = (state.etaDot[k] * e + g * quarter) * e;
  }
  state.factor = factor;
  state.kinetic2 = kinetic2;
  chains[s] = state;
}
