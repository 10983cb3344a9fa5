/**
 * LAMMPS's cubic interpolation of tabulated EAM functions (pair_eam.cpp: `array2spline`,
 * `interpolate` and the lookups in `compute`), so that the f64 reference and the GPU kernels
 * evaluate exactly what LAMMPS evaluates. Each knot m of a table carries 7 coefficients:
 * c[6] = f_m, c[5], c[4], c[3] the cubic in the local coordinate p ∈ [0, 1]
 * (value = ((c3·p + c4)·p + c5)·p + c6), and c[2], c[1], c[0] its derivative with respect to the
 * grid variable (derivative = (c0·p + c1)·p + c2).
 *
 * Knots are stored 0-based: LAMMPS's knot m (1-based) is index m − 1 here, at x = (m − 1)·delta.
 */
import type { EamTabulation } from './eamTabulation.ts';

/** Coefficients per knot. */
export const EAM_SPLINE_COEFFICIENTS = 7;

/** The splined EAM tables: what the reference and the GPU kernels evaluate. */
export interface EamSplines {
  /** Knots of F(ρ) tables; ρ spacing drho (density units) and its inverse. */
  nrho: number;
  drho: number;
  rdrho: number;
  /** Knots of ρ(r) and r·φ(r) tables; r spacing dr (Å) and its inverse (1/Å). */
  nr: number;
  dr: number;
  rdr: number;
  /** Cutoff, Å: pairs with r² ≥ cutoff² do not interact. */
  cutoff: number;
  /**
   * Largest tabulated density: beyond it LAMMPS extrapolates the embedding energy linearly,
   * F(ρ) ≈ F(ρ_table_end) + F'·(ρ − rhomax) (forces use the clamped F').
   */
  rhomax: number;
  /** F(ρ) splines, eV: [table][knot][7] flattened, nrho knots per table. */
  frho: Float64Array;
  /** ρ(r) splines: [table][knot][7], nr knots per table. */
  rhor: Float64Array;
  /** r·φ(r) splines, eV·Å: [table][knot][7], nr knots per table. */
  z2r: Float64Array;
  /** Potential types. */
  nTypes: number;
  /** Per type: index of its F(ρ) table, −1 for a NULL type. */
  type2frho: Int32Array;
  /** nTypes×nTypes, as EamTabulation.type2rhor (LAMMPS's type2rhor, 0-based types). */
  type2rhor: Int32Array;
  /** nTypes×nTypes: index of the r·φ(r) table of a type pair (symmetric). */
  type2z2r: Int32Array;
}

/**
 * LAMMPS's PairEAM::interpolate: the 7 coefficients of every knot of one table `f` (n values,
 * spacing `delta`), written to `spline` at `offset` (7n numbers). Same arithmetic, same order.
 */
export function interpolate(
  n: number,
  delta: number,
  f: ArrayLike<number>,
  spline: Float64Array,
  offset = 0,
): void {
  if (n < 5) throw new Error(`an EAM table needs at least 5 points to be splined, got ${n}`);
  // s(m, c) addresses LAMMPS's spline[m][c] with m 1-based.
  const at = (m: number, c: number) => offset + (m - 1) * 7 + c;
  for (let m = 1; m <= n; m++) spline[at(m, 6)] = f[m - 1]!;
  const v = (m: number) => spline[at(m, 6)]!;
  spline[at(1, 5)] = v(2) - v(1);
  spline[at(2, 5)] = 0.5 * (v(3) - v(1));
  spline[at(n - 1, 5)] = 0.5 * (v(n) - v(n - 2));
  spline[at(n, 5)] = v(n) - v(n - 1);
  for (let m = 3; m <= n - 2; m++) {
    spline[at(m, 5)] = (v(m - 2) - v(m + 2) + 8.0 * (v(m + 1) - v(m - 1))) / 12.0;
  }
  for (let m = 1; m <= n - 1; m++) {
    const c5 = spline[at(m, 5)]!;
    const c5next = spline[at(m + 1, 5)]!;
    spline[at(m, 4)] = 3.0 * (v(m + 1) - v(m)) - 2.0 * c5 - c5next;
    spline[at(m, 3)] = c5 + c5next - 2.0 * (v(m + 1) - v(m));
  }
  spline[at(n, 4)] = 0.0;
  spline[at(n, 3)] = 0.0;
  for (let m = 1; m <= n; m++) {
    spline[at(m, 2)] = spline[at(m, 5)]! / delta;
    spline[at(m, 1)] = (2.0 * spline[at(m, 4)]!) / delta;
    spline[at(m, 0)] = (3.0 * spline[at(m, 3)]!) / delta;
  }
}

function splineAll(tables: readonly ArrayLike<number>[], n: number, delta: number): Float64Array {
  const out = new Float64Array(tables.length * n * 7);
  tables.forEach((t, k) => {
    if (t.length < n) throw new Error(`EAM table ${k} has ${t.length} values; expected ${n}`);
    interpolate(n, delta, t, out, k * n * 7);
  });
  return out;
}

/** LAMMPS's array2spline: splines every table of the tabulation. */
export function eamSplines(t: EamTabulation): EamSplines {
  return {
    nrho: t.nrho,
    drho: t.drho,
    rdrho: 1.0 / t.drho,
    nr: t.nr,
    dr: t.dr,
    rdr: 1.0 / t.dr,
    cutoff: t.cutoff,
    rhomax: t.rhomax,
    frho: splineAll(t.frho, t.nrho, t.drho),
    rhor: splineAll(t.rhor, t.nr, t.dr),
    z2r: splineAll(t.z2r, t.nr, t.dr),
    nTypes: t.type2frho.length,
    type2frho: Int32Array.from(t.type2frho),
    type2rhor: Int32Array.from(t.type2rhor),
    type2z2r: Int32Array.from(t.type2z2r),
  };
}

/**
 * Knot offset (into a table's flat coefficients: 7·(m − 1)) and local coordinate p of a distance r
 * (Å) on the r grid, exactly as LAMMPS: p = r·rdr + 1; m = int(p); m = min(m, nr − 1); p −= m;
 * p = min(p, 1).
 */
export function rKnot(s: EamSplines, r: number, out: Float64Array): void {
  let p = r * s.rdr + 1.0;
  let m = Math.trunc(p);
  m = Math.min(m, s.nr - 1);
  p -= m;
  p = Math.min(p, 1.0);
  out[0] = 7 * (m - 1);
  out[1] = p;
}

/**
 * Knot offset and local coordinate of a density ρ on the ρ grid, exactly as LAMMPS:
 * p = ρ·rdrho + 1; m = int(p); m = max(1, min(m, nrho − 1)); p −= m; p = min(p, 1).
 */
export function rhoKnot(s: EamSplines, rho: number, out: Float64Array): void {
  let p = rho * s.rdrho + 1.0;
  let m = Math.trunc(p);
  m = Math.max(1, Math.min(m, s.nrho - 1));
  p -= m;
  p = Math.min(p, 1.0);
  out[0] = 7 * (m - 1);
  out[1] = p;
}

/** Spline value ((c3·p + c4)·p + c5)·p + c6 at coefficient offset `o`. */
export function splineValue(c: Float64Array, o: number, p: number): number {
  return ((c[o + 3]! * p + c[o + 4]!) * p + c[o + 5]!) * p + c[o + 6]!;
}

/** Spline derivative (c0·p + c1)·p + c2 at coefficient offset `o`, per unit of the grid variable. */
export function splineDerivative(c: Float64Array, o: number, p: number): number {
  return (c[o]! * p + c[o + 1]!) * p + c[o + 2]!;
}

/**
 * The pair terms of an EAM force between an atom of type `ti` and one of type `tj` at distance `r`
 * (Å), as LAMMPS's pair_eam: writes φ(r) (eV) to out[0] and F/r (eV/Å², the factor of the separation
 * vector d = r_j − r_i in the force on i) to out[1]. `fpi`, `fpj`: F′(ρ) of the two atoms, eV;
 * `knot`: scratch of length 2. Allocates nothing (it runs once per pair).
 */
export function eamPairTerms(
  sp: EamSplines,
  ti: number,
  tj: number,
  r: number,
  fpi: number,
  fpj: number,
  knot: Float64Array,
  out: Float64Array,
): void {
  const nT = sp.nTypes;
  const n7 = 7 * sp.nr;
  rKnot(sp, r, knot);
  const o = knot[0]!;
  const p = knot[1]!;
  // rhoip: derivative of the density at j due to i, and so on.
  const rhoip = splineDerivative(sp.rhor, sp.type2rhor[ti * nT + tj]! * n7 + o, p);
  const rhojp = splineDerivative(sp.rhor, sp.type2rhor[tj * nT + ti]! * n7 + o, p);
  const oz = sp.type2z2r[ti * nT + tj]! * n7 + o;
  const z2p = splineDerivative(sp.z2r, oz, p);
  const z2 = splineValue(sp.z2r, oz, p);
  const recip = 1.0 / r;
  const phi = z2 * recip;
  const phip = z2p * recip - phi * recip;
  const psip = fpi * rhojp + fpj * rhoip + phip;
  out[0] = phi;
  out[1] = -psip * recip;
}
