// Lennard-Jones pair term for pair_sum.wgsl: V(r) = 4ε[(σ/r)¹² − (σ/r)⁶] − shift for r < rc.
// The cutoff test is a select, not a branch, so SIMD lanes stay in step.

/// Precomputed constants of the potential.
struct LennardJonesParams {
  /// σ², Å².
  sigma2: f32,
  /// rc², Å².
  cutoff2: f32,
  /// 4ε, eV.
  epsilon4: f32,
  /// 24ε, eV.
  epsilon24: f32,
  /// V_raw(rc) when shifted, else 0, eV.
  energyShift: f32,
  nAtoms: u32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(6) var<uniform> pair: LennardJonesParams;

/// (−V′(r)/r, V(r)) at r² = r2, zeros outside 0 < r² < rc².
fn pairTerm(r2: f32) -> vec2f {
  let inside = r2 < pair.cutoff2 && r2 > 0.0;
  let inverseR2 = 1.0 / r2;
  let sr2 = pair.sigma2 * inverseR2;
  let sr6 = sr2 * sr2 * sr2;
  return select(
    vec2f(0.0),
    vec2f(pair.epsilon24 * sr6 * (2.0 * sr6 - 1.0) * inverseR2, pair.epsilon4 * sr6 * (sr6 - 1.0) - pair.energyShift),
    inside,
  );
}
