/**
 * Convergence criteria of a stage (DESIGN §4): each is tested per slot at after-step every `every`
 * steps of the stage; a stage's criteria combine with AND. Empty slots (system id −1) answer false;
 * the runner ignores their answers anyway.
 */
import type { ConvergenceSpec } from '../../io/spec.ts';
import { THRESHOLD_QUANTITIES } from '../../io/spec.ts';
import type { SystemStats } from '../api.ts';
import type { ConvergenceCriterion, SlotView } from './hook.ts';

type Spec<K extends ConvergenceSpec['kind']> = Extract<ConvergenceSpec, { kind: K }>;

/** Engine criterion for one convergence spec. */
export function criterionFromSpec(spec: ConvergenceSpec): ConvergenceCriterion {
  switch (spec.kind) {
    case 'max-force':
      return maxForceCriterion(spec.fmax, spec.every);
    case 'energy-change':
      return energyChangeCriterion(spec);
    case 'temperature-window':
      return temperatureWindowCriterion(spec);
    case 'step-budget':
      return stepBudgetCriterion(spec);
    case 'threshold':
      return thresholdCriterion(spec);
  }
}

/** Per slot, `holds(s)` for slots that hold a system, false for empty slots. */
function perSlot(slots: SlotView, holds: (s: number) => boolean): boolean[] {
  const out = new Array<boolean>(slots.systemIds.length);
  for (let s = 0; s < out.length; s++) out[s] = slots.systemIds[s]! >= 0 && holds(s);
  return out;
}

/** Holds for a system when its largest atomic force is below `fmax`, eV/Å (ASE's and LAMMPS's fmax). */
export function maxForceCriterion(fmax: number, every = 1): ConvergenceCriterion {
  return {
    name: `max |F| < ${fmax} eV/Å`,
    every,
    test: (stats, slots) => perSlot(slots, (s) => stats.maxForce[s]! < fmax),
  };
}

/**
 * Holds for a system when its potential energy changed by less than `tolerance` per atom per step
 * since the previous check (LAMMPS `minimize etol`, absolute form): |E − E_prev| / (N · Δsteps) <
 * tolerance, eV/atom, Δsteps the slot's stage steps between the two checks. False at the first check
 * after a reset, after the slot's system changed, or when its stage step counter went back (it
 * re-entered the stage); each of those starts a new reference.
 */
export function energyChangeCriterion(spec: Spec<'energy-change'>): ConvergenceCriterion {
  let previousEnergy = new Float64Array(0);
  let previousSteps = new Int32Array(0);
  let previousSystem = new Int32Array(0);
  const forget = (s: number) => {
    if (s < previousSystem.length) previousSystem[s] = -1;
  };
  return {
    name: `|ΔE|/(N·steps) < ${spec.tolerance} eV/atom`,
    every: spec.every,
    test(stats, slots) {
      const n = slots.systemIds.length;
      if (previousSystem.length !== n) {
        previousEnergy = new Float64Array(n);
        previousSteps = new Int32Array(n);
        previousSystem = new Int32Array(n).fill(-1);
      }
      return perSlot(slots, (s) => {
        const energy = stats.potentialEnergy[s]!;
        const steps = slots.stageSteps[s]!;
        const known = previousSystem[s] === slots.systemIds[s] && steps > previousSteps[s]!;
        const change = known
          ? Math.abs(energy - previousEnergy[s]!) / (slots.atoms[s]! * (steps - previousSteps[s]!))
          : Number.NaN;
        previousEnergy[s] = energy;
        previousSteps[s] = steps;
        previousSystem[s] = slots.systemIds[s]!;
        return change < spec.tolerance;
      });
    },
    reset(list) {
      for (const s of list) forget(s);
    },
  };
}

/** Holds for a system when its instantaneous temperature lies in [min, max], K. */
export function temperatureWindowCriterion(spec: Spec<'temperature-window'>): ConvergenceCriterion {
  return {
    name: `${spec.min} K ≤ T ≤ ${spec.max} K`,
    every: spec.every,
    test: (stats, slots) =>
      perSlot(slots, (s) => {
        const t = stats.temperature[s]!;
        return t >= spec.min && t <= spec.max;
      }),
  };
}

/** Holds for a system once it has made `steps` steps in its current (sub-)stage. */
export function stepBudgetCriterion(spec: Spec<'step-budget'>): ConvergenceCriterion {
  return {
    name: `${spec.steps} steps`,
    every: spec.every,
    test: (_stats, slots) => perSlot(slots, (s) => slots.stageSteps[s]! >= spec.steps),
  };
}

/**
 * Holds for a system when a per-system quantity is below (<) or above (>) `value`, in the quantity's
 * unit ({@link THRESHOLD_QUANTITIES}); per-atom energies are the system's energy divided by its atoms.
 * A non-finite quantity never holds.
 */
export function thresholdCriterion(spec: Spec<'threshold'>): ConvergenceCriterion {
  const quantity = (stats: SystemStats, slots: SlotView, s: number): number => {
    switch (spec.quantity) {
      case 'potential-energy-per-atom':
        return stats.potentialEnergy[s]! / slots.atoms[s]!;
      case 'kinetic-energy-per-atom':
        return stats.kineticEnergy[s]! / slots.atoms[s]!;
      case 'temperature':
        return stats.temperature[s]!;
      case 'max-force':
        return stats.maxForce[s]!;
    }
  };
  const below = spec.when === 'below';
  return {
    name: `${spec.quantity} ${below ? '<' : '>'} ${spec.value} ${THRESHOLD_QUANTITIES[spec.quantity]}`,
    every: spec.every,
    test: (stats, slots) =>
      perSlot(slots, (s) => {
        const q = quantity(stats, slots, s);
        return below ? q < spec.value : q > spec.value;
      }),
  };
}
