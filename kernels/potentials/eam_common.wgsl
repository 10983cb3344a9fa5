// Declarations shared by the EAM passes (eam_density.wgsl, eam_force.wgsl): the parameters, the
// table buffer and LAMMPS's cubic spline lookups (pair_eam.cpp `compute`, the same knot arithmetic
// and clamping as src/engine/potentials/eamSpline.ts: rKnot, rhoKnot, splineValue,
// splineDerivative), in f32, with LAMMPS's 7 coefficients per knot (c3…c6 the value
// ((c3·p + c4)·p + c5)·p + c6, c0…c2 the derivative (c0·p + c1)·p + c2).
//
// `tables` (array<vec4u> of f32 bits, packed by src/engine/gpu/eam.ts) is laid out so that the
// per-neighbor work reads few rows (each read of a row indexed per lane costs one gather):
//   row t < nTypes: x = 1 if type t takes part, 0 for a NULL element;
//   F(ρ) of type t, knot m: rows embeddingRow + 2(t·nrho + m): (c3, c4, c5, c6), (c0, c1, c2, 0);
//   per ordered type pair k = t_i·nTypes + t_j and r knot m, interleaved by knot (r = m·dr):
//     densityRow + m·nPairs + k: (c3, c4, c5, c6) of the density an atom of type t_j contributes
//       at an atom of type t_i (LAMMPS's rhor_spline[type2rhor[t_j][t_i]]);
//     forceRow + 4(m·nPairs + k) + 0…3: (c0, c1, c2) of that density and c0 of r·φ(r);
//       (c0, c1, c2) of the density t_i contributes at t_j (type2rhor[t_i][t_j]) and c1 of r·φ;
//       (c3, c4, c5, c6) of r·φ(r) (z2r_spline[type2z2r[t_i][t_j]]); (c2 of r·φ, 0, 0, 0).
//   Pairs with a NULL element hold zeros: they contribute nothing.

struct EamParams {
  nAtoms: u32,
  /// Potential types; nPairs = nTypes².
  nTypes: u32,
  nPairs: u32,
  /// Knots of the ρ(r) and r·φ(r) tables.
  nr: u32,
  /// Knots of the F(ρ) tables.
  nrho: u32,
  /// First rows of the regions of `tables`.
  embeddingRow: u32,
  densityRow: u32,
  forceRow: u32,
  /// 1/dr, 1/Å.
  rdr: f32,
  /// 1/drho.
  rdrho: f32,
  /// cutoff², Å².
  cutoff2: f32,
  /// Largest tabulated density: F continues linearly above it (energy only, as LAMMPS).
  rhomax: f32,
}

/// The EAM type of an atom from its position's w: −1 for a NULL atom or an atom of a NULL element.
fn eamType(w: f32) -> i32 {
  let t = i32(w);
  return select(-1, t, w >= 0.0 && tables[u32(max(t, 0))].x != 0u);
}

/// A knot (0-based index within its table) and the local coordinate p ∈ [0, 1] of a grid point.
struct Knot {
  index: u32,
  p: f32,
}

/// Knot of a distance r (Å) on the r grid: p = r·rdr + 1; m = int(p); m = min(m, nr − 1);
/// p −= m; p = min(p, 1) (LAMMPS; knot m is index m − 1 here).
fn rKnot(r: f32) -> Knot {
  let p = r * eam.rdr + 1.0;
  let m = min(u32(p), eam.nr - 1u);
  return Knot(m - 1u, min(p - f32(m), 1.0));
}

/// Knot of a density on the ρ grid: p = ρ·rdrho + 1; m = int(p); m = max(1, min(m, nrho − 1));
/// p −= m; p = min(p, 1) (LAMMPS). The integer part is taken of p clamped to [0, nrho] (the same m)
/// so that any density converts to a valid integer.
fn rhoKnot(rho: f32) -> Knot {
  let p = rho * eam.rdrho + 1.0;
  let m = max(1, min(i32(clamp(p, 0.0, f32(eam.nrho))), i32(eam.nrho) - 1));
  return Knot(u32(m - 1), min(p - f32(m), 1.0));
}

/// ((c.x·p + c.y)·p + c.z)·p + c.w: a spline value from (c3, c4, c5, c6).
fn cubic(c: vec4f, p: f32) -> f32 {
  return ((c.x * p + c.y) * p + c.z) * p + c.w;
}

/// (c0·p + c1)·p + c2: a spline derivative from (c0, c1, c2).
fn quadratic(c: vec3f, p: f32) -> f32 {
  return (c.x * p + c.y) * p + c.z;
}

/// The row of pair k at r knot `index` in the region starting at `first`, `rows` rows per record.
fn pairRecord(first: u32, rows: u32, k: u32, index: u32) -> u32 {
  return first + rows * (index * eam.nPairs + k);
}
