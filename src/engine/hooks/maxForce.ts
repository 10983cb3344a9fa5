/** Moved to criteria.ts with the other convergence criteria; kept so old imports still resolve. */
export { maxForceCriterion } from './criteria.ts';
