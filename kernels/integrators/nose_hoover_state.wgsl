// Declarations shared by the Nosé–Hoover chain passes (src/engine/gpu/noseHoover.ts packs them).
// MAX_CHAIN_LENGTH is prepended by src/engine/gpu/shaders.ts from src/io/spec.ts.

/// Per-system constants of a Nosé–Hoover chain stage. The chain's masses follow from the system's
/// atom count N (N_f = 3N): Q₁ = N_f·kB·T·τ², Q_k = kB·T·τ² for k ≥ 2, eV·fs².
struct NoseHooverParams {
  /// Time step, fs.
  dt: f32,
  /// kB·T of the target temperature, eV.
  kT: f32,
  /// τ², fs².
  tauSquared: f32,
  /// Thermostats in the chain, 1..MAX_CHAIN_LENGTH.
  chainLength: u32,
}

/// Per-system chain state.
struct NoseHooverState {
  /// Velocity scale of the latest chain half step.
  factor: f32,
  /// Σ m v² after that scaling, eV (twice the kinetic energy).
  kinetic2: f32,
  _pad0: f32,
  _pad1: f32,
  /// Thermostat positions η_k (dimensionless).
  eta: array<f32, MAX_CHAIN_LENGTH>,
  /// Thermostat velocities η̇_k, 1/fs.
  etaDot: array<f32, MAX_CHAIN_LENGTH>,
}
