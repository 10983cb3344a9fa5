/**
 * The f64 force fields of a domain rank (DESIGN §5): Lennard-Jones, Morse and EAM over a full
 * neighbour list of owned + ghost rows, with the same arithmetic as the single-rank references
 * (reference/lennardJones.ts, reference/morse.ts, reference/eam.ts). Nothing lands on ghost rows,
 * so no reverse exchange is needed; EAM runs its forward exchange of F'(ρ) inside `compute`.
 */
import { checkElements, type GnnModel } from '../../io/gnnWeights.ts';
import type { PotentialSpec } from '../../io/spec.ts';
import { eamSplines } from '../potentials/eamSpline.ts';
import type { EamTabulation } from '../potentials/eamTabulation.ts';
import { morsePairEnergy } from '../reference/morse.ts';
import { eamDomain, eamVisibility } from './eam.ts';
import type { RankForceField } from './forceField.ts';
import { gnnRankForceField } from './gnn.ts';
import { lennardJonesFull } from './lennardJones.ts';
import type { LocalForces } from './localForces.ts';
import { checkGhostCutoff, pairForcesFull } from './pairStyle.ts';
import { type DomainRank, notNull } from './rank.ts';

/**
 * Morse (LAMMPS `pair_style morse`) on one rank, full list: each owned row sums over owned and ghost
 * rows, half of each pair's energy and virial to each side, as reference/morse.ts.
 */
export function morseFull(
  rank: DomainRank,
  p: { d0: number; alpha: number; r0: number; cutoff: number; shift: boolean },
): LocalForces {
  checkGhostCutoff(rank, p.cutoff, 'Morse');
  const eShift = p.shift ? morsePairEnergy(p.cutoff, p) : 0;
  const twoD0Alpha = 2 * p.d0 * p.alpha;
  return pairForcesFull(rank, p.cutoff, (r2) => {
    const r = Math.sqrt(r2);
    const e = Math.exp(-p.alpha * (r - p.r0));
    return [p.d0 * (e * e - 2 * e) - eShift, (twoD0Alpha * (e * e - e)) / r];
  });
}

/**
 * The f64 force field of a rank for `potential` (EAM: with its `tables`, eamTabulation of its
 * files; GNN: with its `gnnModel`, decomposition/gnn.ts). Energies and virials are always computed
 * (the request only says what is needed). Throws for an EAM without tables and a GNN without model.
 */
export function createReferenceForceField(
  potential: PotentialSpec,
  tables?: EamTabulation,
  gnnModel?: GnnModel,
): RankForceField {
  switch (potential.kind) {
    case 'lennard-jones': {
      const p = { ...potential };
      return {
        label: 'lennard-jones (f64)',
        cutoff: p.cutoff,
        visible: notNull,
        compute: async (rank) => lennardJonesFull(rank, p),
        destroy: () => {},
      };
    }
    case 'morse': {
      const p = { ...potential };
      return {
        label: 'morse (f64)',
        cutoff: p.cutoff,
        visible: notNull,
        compute: async (rank) => morseFull(rank, p),
        destroy: () => {},
      };
    }
    case 'eam': {
      if (!tables) throw new Error('an EAM potential needs its tables (eamTabulation of its file)');
      if (tables.nTypes !== potential.elements.length) {
        throw new Error(
          `the EAM tables have ${tables.nTypes} types but the potential lists ${potential.elements.length} elements`,
        );
      }
      const sp = eamSplines(tables);
      return {
        label: 'eam (f64)',
        cutoff: sp.cutoff,
        visible: eamVisibility(sp),
        compute: (rank) => eamDomain(rank, sp),
        destroy: () => {},
      };
    }
    case 'gnn':
      if (!gnnModel)
        throw new Error(`a GNN potential needs its model (parseGnnWeights of ${potential.model})`);
      return gnnRankForceField(gnnModel, { typeMap: checkElements(gnnModel, potential.elements) });
  }
}
