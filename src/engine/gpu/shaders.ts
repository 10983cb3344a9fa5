/**
 * WGSL sources of every kernel pass, composed with the shared declarations. Each pass is one file
 * under kernels/; kernels/common/structs.wgsl (structs, bind-free helpers, the WORKGROUP_SIZE
 * override) and a prelude of constants generated from units.ts are prepended, so TypeScript and
 * WGSL share one definition of each constant.
 */
import rngWgsl from '../../../kernels/common/rng.wgsl?raw';
import structsWgsl from '../../../kernels/common/structs.wgsl?raw';
import constrainForcesWgsl from '../../../kernels/integrators/constrain_forces.wgsl?raw';
import fireAdaptWgsl from '../../../kernels/integrators/fire_adapt.wgsl?raw';
import fireDriftWgsl from '../../../kernels/integrators/fire_drift.wgsl?raw';
import fireKickWgsl from '../../../kernels/integrators/fire_kick.wgsl?raw';
import firePowerWgsl from '../../../kernels/integrators/fire_power.wgsl?raw';
import fireStepLimitWgsl from '../../../kernels/integrators/fire_step_limit.wgsl?raw';
import fire2AdaptWgsl from '../../../kernels/integrators/fire2_adapt.wgsl?raw';
import fire2PowerWgsl from '../../../kernels/integrators/fire2_power.wgsl?raw';
import fire2StateWgsl from '../../../kernels/integrators/fire2_state.wgsl?raw';
import fire2UpdateWgsl from '../../../kernels/integrators/fire2_update.wgsl?raw';
import halfKickWgsl from '../../../kernels/integrators/half_kick.wgsl?raw';
import langevinBaoabWgsl from '../../../kernels/integrators/langevin_baoab.wgsl?raw';
import noseHooverChainWgsl from '../../../kernels/integrators/nose_hoover_chain.wgsl?raw';
import noseHooverKineticWgsl from '../../../kernels/integrators/nose_hoover_kinetic.wgsl?raw';
import noseHooverScaleWgsl from '../../../kernels/integrators/nose_hoover_scale.wgsl?raw';
import noseHooverScaleKickDriftWgsl from '../../../kernels/integrators/nose_hoover_scale_kick_drift.wgsl?raw';
import noseHooverStateWgsl from '../../../kernels/integrators/nose_hoover_state.wgsl?raw';
import velocityVerletFirstHalfWgsl from '../../../kernels/integrators/velocity_verlet_first_half.wgsl?raw';
import assignCellsWgsl from '../../../kernels/neighbor/assign_cells.wgsl?raw';
import buildVerletWgsl from '../../../kernels/neighbor/build_verlet.wgsl?raw';
import checkDisplacementWgsl from '../../../kernels/neighbor/check_displacement.wgsl?raw';
import copySortedWgsl from '../../../kernels/neighbor/copy_sorted.wgsl?raw';
import gatherAtomsWgsl from '../../../kernels/neighbor/gather_atoms.wgsl?raw';
import scanCellsWgsl from '../../../kernels/neighbor/scan_cells.wgsl?raw';
import scatterCellsWgsl from '../../../kernels/neighbor/scatter_cells.wgsl?raw';
import scheduleRebuildWgsl from '../../../kernels/neighbor/schedule_rebuild.wgsl?raw';
import sortCellsWgsl from '../../../kernels/neighbor/sort_cells.wgsl?raw';
import eamCommonWgsl from '../../../kernels/potentials/eam_common.wgsl?raw';
import eamDensityWgsl from '../../../kernels/potentials/eam_density.wgsl?raw';
import eamForceWgsl from '../../../kernels/potentials/eam_force.wgsl?raw';
import lennardJonesWgsl from '../../../kernels/potentials/lennard_jones.wgsl?raw';
import morseWgsl from '../../../kernels/potentials/morse.wgsl?raw';
import pairSumWgsl from '../../../kernels/potentials/pair_sum.wgsl?raw';
import statisticsBlocksWgsl from '../../../kernels/reduce/statistics_blocks.wgsl?raw';
import statisticsSystemsWgsl from '../../../kernels/reduce/statistics_systems.wgsl?raw';
import { MAX_CHAIN_LENGTH } from '../../io/spec.ts';
import { BOLTZMANN_EV_PER_K } from '../units.ts';

/** Atoms each thread of a reduction block handles: a block is WORKGROUP_SIZE × this many atoms. */
export const ATOMS_PER_THREAD = 8;

const prelude = [
  `const BOLTZMANN_EV_PER_K: f32 = ${BOLTZMANN_EV_PER_K};`,
  `const ATOMS_PER_THREAD: u32 = ${ATOMS_PER_THREAD}u;`,
  '',
].join('\n');

/** The Nosé–Hoover chain structs, sized by the spec's longest chain. */
const noseHooverState = `const MAX_CHAIN_LENGTH: u32 = ${MAX_CHAIN_LENGTH}u;\n${noseHooverStateWgsl}`;

/** Kernel passes by name; the name is also the label of the module and pipeline. */
const passes = {
  checkDisplacement: [checkDisplacementWgsl],
  scheduleRebuild: [scheduleRebuildWgsl],
  assignCells: [assignCellsWgsl],
  scanCells: [scanCellsWgsl],
  scatterCells: [scatterCellsWgsl],
  sortCells: [sortCellsWgsl],
  gatherAtoms: [gatherAtomsWgsl],
  copySorted: [copySortedWgsl],
  buildVerlet: [buildVerletWgsl],
  // Potentials: compiled on demand by their GpuPotential (KernelSet.ensure).
  lennardJones: [lennardJonesWgsl, pairSumWgsl],
  morse: [morseWgsl, pairSumWgsl],
  eamDensity: [eamCommonWgsl, eamDensityWgsl],
  eamForce: [eamCommonWgsl, eamForceWgsl],
  velocityVerletFirstHalf: [velocityVerletFirstHalfWgsl],
  halfKick: [halfKickWgsl],
  langevinBaoab: [rngWgsl, langevinBaoabWgsl],
  firePower: [firePowerWgsl],
  fireAdapt: [fireAdaptWgsl],
  fireKick: [fireKickWgsl],
  fireStepLimit: [fireStepLimitWgsl],
  fireDrift: [fireDriftWgsl],
  noseHooverKinetic: [noseHooverKineticWgsl],
  noseHooverChain: [noseHooverState, noseHooverChainWgsl],
  noseHooverScaleKickDrift: [noseHooverState, noseHooverScaleKickDriftWgsl],
  noseHooverScale: [noseHooverState, noseHooverScaleWgsl],
  fire2Power: [fire2PowerWgsl],
  fire2Adapt: [fire2StateWgsl, fire2AdaptWgsl],
  fire2Update: [fire2StateWgsl, fire2UpdateWgsl],
  constrainForces: [constrainForcesWgsl],
  statisticsBlocks: [statisticsBlocksWgsl],
  statisticsSystems: [statisticsSystemsWgsl],
} as const;

/** Name of a kernel pass. */
export type PassName = keyof typeof passes;

/** Full WGSL of one pass: prelude, shared declarations, then the pass's own files. */
export function passSource(name: PassName): string {
  return [prelude, structsWgsl, ...passes[name]].join('\n');
}

/** WGSL of the shared declarations and the RNG, for test kernels that exercise them directly. */
export function commonSource(): string {
  return [prelude, structsWgsl, rngWgsl].join('\n');
}
