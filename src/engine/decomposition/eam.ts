/**
 * EAM on one rank of a decomposition, f64, with LAMMPS's tables and splines (the same arithmetic as
 * reference/eam.ts), over a full neighbour list of owned + ghost rows in three steps:
 * densities ρ_i of owned atoms → F'(ρ_i) → forward exchange of F' to the ghosts → pair forces.
 * Nothing lands on ghost rows, so no reverse exchange is needed.
 */
import {
  type EamSplines,
  eamPairTerms,
  rhoKnot,
  rKnot,
  splineDerivative,
  splineValue,
} from '../potentials/eamSpline.ts';
import { emptyLocalForces, forEachFullPair, type LocalForces, tallyVirial } from './localForces.ts';
import type { DomainRank, TypeVisibility } from './rank.ts';

/**
 * Types the EAM sees: not −1 and not a `NULL` element. Pass it to the DomainRank so that NULL atoms
 * are never ghosts. Throws (when called) on a type the tables do not know.
 */
export function eamVisibility(sp: EamSplines): TypeVisibility {
  return (t) => {
    if (t === -1) return false;
    if (!(Number.isInteger(t) && t >= 0 && t < sp.nTypes)) {
      throw new Error(
        `an atom has type ${t}, but the EAM potential has ${sp.nTypes} types (0 … ${sp.nTypes - 1})`,
      );
    }
    return sp.type2frho[t] !== -1;
  };
}

/**
 * Energies, forces and virials of an EAM potential on this rank's owned rows (collective: one
 * forward exchange of F'(ρ)). The rank must have been built with {@link eamVisibility}.
 */
export async function eamDomain(rank: DomainRank, sp: EamSplines): Promise<LocalForces> {
  if (sp.cutoff > rank.plan.ghostCutoff) {
    throw new Error(
      `EAM cutoff ${sp.cutoff} Å exceeds the ghost cutoff ${rank.plan.ghostCutoff} Å of the decomposition`,
    );
  }
  const nT = sp.nTypes;
  const n7 = 7 * sp.nr;
  const { type, nLocal, nAll } = rank;
  const out = emptyLocalForces(nAll);
  const knot = new Float64Array(2);
  const pair = new Float64Array(2);
  // Step 1: densities of owned atoms (pairs kept for step 3).
  const pi: number[] = [];
  const pj: number[] = [];
  const pd: number[] = [];
  const rho = new Float64Array(nLocal);
  forEachFullPair(rank.x, type, nLocal, nAll, sp.cutoff, rank.visible, (i, j, dx, dy, dz, r2) => {
    const r = Math.sqrt(r2);
    pi.push(i);
    pj.push(j);
    pd.push(dx, dy, dz, r);
    rKnot(sp, r, knot);
    rho[i]! += splineValue(sp.rhor, sp.type2rhor[type[j]! * nT + type[i]!]! * n7 + knot[0]!, knot[1]!);
  });
  // Step 2: embedding energies and F'(ρ) of owned atoms.
  const fp = new Float64Array(nAll);
  for (let i = 0; i < nLocal; i++) {
    if (!rank.visible(type[i]!)) continue;
    rhoKnot(sp, rho[i]!, knot);
    const o = sp.type2frho[type[i]!]! * 7 * sp.nrho + knot[0]!;
    fp[i] = splineDerivative(sp.frho, o, knot[1]!);
    let phi = splineValue(sp.frho, o, knot[1]!);
    if (rho[i]! > sp.rhomax) phi += fp[i]! * (rho[i]! - sp.rhomax);
    out.energies[i]! += phi;
    out.energy += phi;
  }
  // Step 3: F' of the ghosts from their owners.
  await rank.forward(fp, 1);
  // Step 4: pair forces on owned atoms, as LAMMPS (rhoip: density at j due to i, and so on).
  const rows = [0];
  for (let k = 0; k < pi.length; k++) {
    const i = pi[k]!;
    const j = pj[k]!;
    const dx = pd[4 * k]!;
    const dy = pd[4 * k + 1]!;
    const dz = pd[4 * k + 2]!;
    const r = pd[4 * k + 3]!;
    const ti = type[i]!;
    const tj = type[j]!;
    eamPairTerms(sp, ti, tj, r, fp[i]!, fp[j]!, knot, pair);
    const phi = pair[0]!;
    const fpair = pair[1]!;
    out.forces[3 * i]! += dx * fpair;
    out.forces[3 * i + 1]! += dy * fpair;
    out.forces[3 * i + 2]! += dz * fpair;
    out.energies[i]! += 0.5 * phi;
    out.energy += 0.5 * phi;
    rows[0] = i;
    tallyVirial(out, rows, dx, dy, dz, fpair, 0.5, 0.5);
  }
  return out;
}
