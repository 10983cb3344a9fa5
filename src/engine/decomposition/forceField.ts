/**
 * The force field of one rank of a domain decomposition (DESIGN §5): whatever computes forces on a
 * rank's rows — the f64 reference (localForces.ts, lennardJones.ts, eam.ts) or a GPU device
 * (gpuForces.ts) — behind one interface, so that the distributed engine, its dynamics and the worker
 * runtime never care which. A force field may run exchanges inside `compute` (EAM's forward exchange
 * of F′(ρ), a GNN's per-layer forward exchange of node features and the reverse exchange of their
 * gradients): every rank calls `compute` at the same point of the same step.
 */
import type { LocalForces } from './localForces.ts';
import type { DomainRank, TypeVisibility } from './rank.ts';

/** What a force field is asked for besides forces. */
export interface ForceRequest {
  /** Per-row energies and this rank's energy share (else energies may be left zero). */
  energy: boolean;
  /** Per-row virials and this rank's virial share (else they may be left zero). */
  virial: boolean;
}

/** Forces on one rank's rows. */
export interface RankForceField {
  /** Short name for logs and errors, e.g. `eam (webgpu)`. */
  readonly label: string;
  /** Potential cutoff, Å (ghosts are kept within cutoff + skin of the rank's box). */
  readonly cutoff: number;
  /** Which potential types the force field sees (false: NULL atoms, never sent as ghosts). */
  readonly visible: TypeVisibility;
  /**
   * Forces on the rank's current rows (collective). Owned rows are complete on return (any reverse
   * exchange included); ghost rows are zero.
   */
  compute(rank: DomainRank, request: ForceRequest): Promise<LocalForces>;
  /** Frees buffers and devices the force field created. */
  destroy(): void;
  /** True if `compute` skips virials unless asked (the DomainEngine then asks only when they are read). */
  readonly virialsOnRequest?: boolean;
}
