// Morse pair term for pair_sum.wgsl (LAMMPS `pair_style morse`):
// V(r) = D0[e^{−2α(r−r0)} − 2e^{−α(r−r0)}] − shift for r < rc.

/// Constants of the Morse potential.
struct MorseParams {
  /// D0, eV.
  d0: f32,
  /// α, 1/Å.
  alpha: f32,
  /// r0, Å.
  r0: f32,
  /// rc², Å².
  cutoff2: f32,
  /// 2·α·D0, eV/Å.
  twoD0Alpha: f32,
  /// V_raw(rc) when shifted, else 0, eV.
  energyShift: f32,
  nAtoms: u32,
  _pad0: u32,
}

@group(0) @binding(6) var<uniform> pair: MorseParams;

/// (−V′(r)/r, V(r)) at r² = r2, zeros outside 0 < r² < rc².
fn pairTerm(r2: f32) -> vec2f {
  let inside = r2 < pair.cutoff2 && r2 > 0.0;
  let r = sqrt(r2);
  let e = exp(-pair.alpha * (r - pair.r0));
  // −V′(r)/r = 2αD0(e² − e)/r, as LAMMPS's morse1·(dexp² − dexp)/r.
  return select(vec2f(0.0), vec2f(pair.twoD0Alpha * (e * e - e) / r, pair.d0 * (e * e - 2.0 * e) - pair.energyShift), inside);
}
