import type { SystemStats } from '../api.ts';
import type { ConvergenceCriterion } from './hook.ts';

/** Holds for a system when its largest atomic force is below `fmax` (eV/Å). */
export function maxForceCriterion(fmax: number, every = 1): ConvergenceCriterion {
  return {
    name: `max |F| < ${fmax} eV/Å`,
    every,
    test: (stats: SystemStats) => Array.from(stats.maxForce, (f) => f < fmax),
  };
}
