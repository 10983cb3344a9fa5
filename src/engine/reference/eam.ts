/**
 * Embedded-atom method, f64 reference (LAMMPS `pair_style eam`, `eam/alloy`, `eam/fs`; the
 * executable spec of the EAM kernels). Same tables, same splines and the same arithmetic as
 * LAMMPS's PairEAM::compute:
 *
 *   E = Σ_i F_{t_i}(ρ_i) + ½ Σ_i Σ_j φ_{t_i t_j}(r_ij),   ρ_i = Σ_j ρ_{t_j → t_i}(r_ij),
 *
 * with F continued linearly above rhomax (energy only, as LAMMPS), φ = z2r(r)/r, and every sum over
 * all pairs and periodic images within the cutoff (restricted triclinic cells of any size).
 */
import type { Batch } from '../batch.ts';
import {
  type EamSplines,
  eamPairTerms,
  eamSplines,
  rhoKnot,
  rKnot,
  splineDerivative,
  splineValue,
} from '../potentials/eamSpline.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import { emptyForceResult, type ForceResult, fillStress, tallyPairVirial } from './forceResult.ts';
import { forEachPair } from './pairs.ts';

/** Splines of tabulations already seen (a tabulation is immutable once built). */
const splineCache = new WeakMap<EamTabulation, EamSplines>();

/** The splines of a tabulation, computed once per tabulation object. */
function splinesOf(t: EamTabulation): EamSplines {
  let s = splineCache.get(t);
  if (!s) {
    s = eamSplines(t);
    splineCache.set(t, s);
  }
  return s;
}

/**
 * The batch with every atom the EAM ignores marked NULL: type −1 and types whose element is
 * `NULL` (type2frho −1). Throws on a type the tables do not know.
 */
function eamTypes(batch: Batch, s: EamSplines): Batch {
  const types = new Int32Array(batch.nAtoms);
  for (let i = 0; i < batch.nAtoms; i++) {
    const t = batch.types[i]!;
    if (t >= s.nTypes || t < -1) {
      throw new Error(
        `atom ${i} has type ${t}, but the EAM potential has ${s.nTypes} types (0 … ${s.nTypes - 1})`,
      );
    }
    types[i] = t === -1 || s.type2frho[t] === -1 ? -1 : t;
  }
  return { ...batch, types };
}

/**
 * Energies, forces, per-atom energies, virials (global and per atom, LAMMPS's split: half of each
 * pair's r ⊗ f to each atom) and stress of an EAM potential. Per-atom energy is F(ρ_i) plus half
 * of each pair energy φ, as LAMMPS's `compute pe/atom`. Atoms of type −1 or of a NULL element are
 * invisible to the potential. The splines of a tabulation are computed on first use and cached
 * (do not mutate a tabulation after evaluating with it).
 */
export function eamReference(batch: Batch, potential: EamTabulation | EamSplines): ForceResult {
  const sp = 'rdr' in potential ? potential : splinesOf(potential);
  const nT = sp.nTypes;
  const masked = eamTypes(batch, sp);
  const types = masked.types;
  const result = emptyForceResult(batch);
  const { energies, forces } = result;
  const rho = new Float64Array(batch.nAtoms);
  const fp = new Float64Array(batch.nAtoms);
  const knot = new Float64Array(2);
  const pair = new Float64Array(2);
  for (let s = 0; s < batch.nSystems; s++) {
    // Pass 1: the pairs (kept for pass 3) and the densities.
    const pi: number[] = [];
    const pj: number[] = [];
    const pd: number[] = [];
    forEachPair(masked, s, sp.cutoff, (i, j, dx, dy, dz, r2) => {
      pi.push(i);
      pj.push(j);
      pd.push(dx, dy, dz, Math.sqrt(r2));
      const ti = types[i]!;
      const tj = types[j]!;
      rKnot(sp, Math.sqrt(r2), knot);
      const o = knot[0]!;
      const p = knot[1]!;
      const n7 = 7 * sp.nr;
      rho[i]! += splineValue(sp.rhor, sp.type2rhor[tj * nT + ti]! * n7 + o, p);
      rho[j]! += splineValue(sp.rhor, sp.type2rhor[ti * nT + tj]! * n7 + o, p);
    });
    // Pass 2: embedding energies and F'(ρ).
    let eSystem = 0;
    for (let i = batch.atomsPtr[s]!; i < batch.atomsPtr[s + 1]!; i++) {
      const t = types[i]!;
      if (t === -1) continue;
      rhoKnot(sp, rho[i]!, knot);
      const o = sp.type2frho[t]! * 7 * sp.nrho + knot[0]!;
      const p = knot[1]!;
      fp[i] = splineDerivative(sp.frho, o, p);
      let phi = splineValue(sp.frho, o, p);
      if (rho[i]! > sp.rhomax) phi += fp[i]! * (rho[i]! - sp.rhomax);
      energies[i]! += phi;
      eSystem += phi;
    }
    // Pass 3: pair energies and forces, as LAMMPS.
    for (let k = 0; k < pi.length; k++) {
      const i = pi[k]!;
      const j = pj[k]!;
      const dx = pd[4 * k]!;
      const dy = pd[4 * k + 1]!;
      const dz = pd[4 * k + 2]!;
      const r = pd[4 * k + 3]!;
      const ti = types[i]!;
      const tj = types[j]!;
      eamPairTerms(sp, ti, tj, r, fp[i]!, fp[j]!, knot, pair);
      const phi = pair[0]!;
      const fpair = pair[1]!;
      forces[3 * i]! += dx * fpair;
      forces[3 * i + 1]! += dy * fpair;
      forces[3 * i + 2]! += dz * fpair;
      forces[3 * j]! -= dx * fpair;
      forces[3 * j + 1]! -= dy * fpair;
      forces[3 * j + 2]! -= dz * fpair;
      energies[i]! += 0.5 * phi;
      energies[j]! += 0.5 * phi;
      eSystem += phi;
      tallyPairVirial(result, s, i, j, dx, dy, dz, fpair);
    }
    result.energy[s] = eSystem;
  }
  fillStress(batch, result);
  return result;
}
