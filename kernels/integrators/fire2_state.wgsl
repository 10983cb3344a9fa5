// Declarations shared by the FIRE2 passes (src/engine/gpu/fire2.ts packs them).

/// Per-system parameters of a FIRE2 stage.
struct Fire2Params {
  /// Largest time step, fs.
  dtMax: f32,
  /// Smallest time step: dt is not decreased below it, fs.
  dtMin: f32,
  /// Largest displacement norm of a system per step, Å.
  maxStep: f32,
  /// Positive-power steps before dt grows (N_delay).
  nDelay: u32,
  /// 1: keep dt and α on P ≤ 0 during the first nDelay steps.
  initialDelay: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

/// FIRE2's adaptive state per system, plus the coefficients of the current step.
struct Fire2State {
  /// Current time step, fs.
  dt: f32,
  /// Mixing coefficient α.
  alpha: f32,
  /// Consecutive steps with P = F·v > 0.
  nPositive: u32,
  /// Steps taken in this stage.
  steps: u32,
  /// This step: x ← x − back·v first (dt/2 after P ≤ 0, else 0), fs.
  back: f32,
  /// This step: v ← keep·v before the kick (0 after P ≤ 0, else 1).
  keep: f32,
  /// This step: v ← mixVelocity·v + mixForce·F after the kick.
  mixVelocity: f32,
  /// Å/fs per eV/Å.
  mixForce: f32,
  /// This step: x += drift·v, the time step scaled so that |dr| ≤ maxStep, fs.
  drift: f32,
  _pad0: f32,
  _pad1: f32,
  _pad2: f32,
}

/// FIRE2's constants (Guénolé et al. 2020, Table 1); src/engine/reference/fire2.ts has the same.
const FIRE2_F_INC: f32 = 1.1;
const FIRE2_F_DEC: f32 = 0.5;
const FIRE2_ALPHA_START: f32 = 0.25;
const FIRE2_F_ALPHA: f32 = 0.99;
