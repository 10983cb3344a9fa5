/**
 * What the forms call the parts of a spec: short labels and tooltips for parameters, one-line
 * descriptions of stage, hook and convergence kinds, and the starting values of new ones. Units are
 * not here: they come from the schema (src/io/spec.ts) through specFields.ts.
 */
import {
  ConvergenceSpec as ConvergenceSchema,
  type ConvergenceSpec,
  type HookKind,
  HookSpec as HookSchema,
  type HookSpec,
  StageSpec as StageSchema,
  type StageSpec,
  THRESHOLD_QUANTITIES,
} from '../../io/spec.ts';

/** A label and a tooltip for a parameter. */
export interface FieldText {
  label: string;
  title: string;
}

/** Parameter texts by field name; `kind.field` entries override them for one kind. */
const fieldTexts: Record<string, FieldText> = {
  name: { label: 'name', title: 'Display name (empty: position and kind)' },
  steps: { label: 'steps', title: 'Step budget of each system in this stage' },
  dt: { label: 'dt', title: 'Time step (minimisers: initial time step)' },
  temperature: { label: 'T', title: 'Target temperature' },
  friction: { label: 'γ', title: 'Friction coefficient' },
  seed: { label: 'seed', title: 'Seed of the random numbers' },
  dtMax: { label: 'dtMax', title: 'Largest time step the minimiser may grow to' },
  dtMin: { label: 'dtMin', title: 'Smallest time step: dt is not decreased below it' },
  maxStep: { label: 'maxStep', title: 'Largest displacement of a system in one step' },
  nDelay: { label: 'Ndelay', title: 'Positive-power steps before the time step grows' },
  initialDelay: {
    label: 'initial delay',
    title: 'Keep dt and α during the first Ndelay steps even when P ≤ 0',
  },
  tau: { label: 'τ', title: 'Thermostat time constant (LAMMPS Tdamp)' },
  chainLength: { label: 'chain', title: 'Thermostats in the Nosé–Hoover chain' },
  'fused.steps': { label: 'max steps', title: 'Most fused steps the stage may run' },
  'fused.entryStatus': {
    label: 'entry status',
    title: 'Status code given to systems entering the stage (0: the first sub-stage)',
  },
  'fused.exitStatus': {
    label: 'exit status',
    title: 'Status code at which a system leaves the stage (empty: the number of sub-stages)',
  },
  every: { label: 'every', title: 'Runs (or is checked) every this many steps' },
  sink: { label: 'sink', title: 'Where frames go: host memory, a GPU ring buffer or the Zarr trajectory' },
  capacity: {
    label: 'capacity',
    title: 'Frames kept by a host or GPU ring before the oldest are overwritten',
  },
  maxForce: { label: 'max |F|', title: 'Largest force on one atom; longer forces are scaled down to it' },
  tolerance: { label: 'tolerance', title: 'Largest change allowed' },
  'energy-drift.tolerance': { label: 'tolerance', title: 'Largest |E − E₀| / N before the hook acts' },
  'energy-change.tolerance': {
    label: 'tolerance',
    title: 'Holds when |ΔE| / (N · steps between checks) is below this',
  },
  action: { label: 'action', title: 'Warn and go on, or stop the run' },
  atoms: { label: 'atoms', title: '0-based atom indices within each system (comma or space separated)' },
  types: { label: 'types', title: 'Potential type indices (comma or space separated)' },
  fmax: { label: 'fmax', title: 'Holds when max |F| of the system is below this' },
  min: { label: 'T min', title: 'Lower bound of the temperature window' },
  max: { label: 'T max', title: 'Upper bound of the temperature window' },
  'step-budget.steps': {
    label: 'steps',
    title: 'Holds once the system has made this many steps in the stage',
  },
  quantity: { label: 'quantity', title: 'Per-system quantity tested' },
  when: { label: 'when', title: 'below: holds when quantity < value; above: when quantity > value' },
  value: { label: 'value', title: 'Threshold, in the unit of the quantity' },
  // Systems.
  count: { label: 'count', title: 'Number of clusters (systems)' },
  minAtoms: { label: 'min atoms', title: 'Fewest atoms in a cluster' },
  maxAtoms: { label: 'max atoms', title: 'Most atoms in a cluster' },
  element: { label: 'element', title: 'Element symbol (colours and export)' },
  mass: { label: 'mass', title: 'Atomic mass' },
  density: { label: 'density', title: 'Number density of the starting sphere' },
  minDistance: { label: 'min distance', title: 'Smallest distance between two atoms of the start' },
  vacuum: { label: 'vacuum', title: 'Empty space on each side of the cluster' },
  'batching.maxSystems': { label: 'max systems', title: 'Most systems resident on the GPU at once' },
  'batching.maxAtoms': { label: 'max atoms', title: 'Most atoms resident on the GPU at once' },
};

/** Label and tooltip of field `name` of an object of kind `kind`. */
export function fieldText(kind: string, name: string): FieldText {
  return fieldTexts[`${kind}.${name}`] ?? fieldTexts[name] ?? { label: name, title: name };
}

/** Stage kinds, with a label for people. */
export const stageKindLabels: Record<StageSpec['kind'], string> = {
  nve: 'NVE (velocity Verlet)',
  langevin: 'Langevin NVT (BAOAB)',
  'nose-hoover': 'Nosé–Hoover chain NVT',
  fire: 'FIRE minimiser',
  fire2: 'FIRE2 minimiser',
};
export type StageKind = StageSpec['kind'];
export const stageKinds = Object.keys(stageKindLabels) as StageKind[];

/** Hook kinds, with what each does. */
export const hookKindLabels: Record<HookKind, string> = {
  log: 'log: energies, temperature and max force to the plots',
  snapshot: 'snapshot: frames of every system to a sink',
  'converged-snapshot': 'converged snapshot: the frame of each system when it converges',
  'nan-detector': 'NaN detector: stop on a non-finite value, naming system and atom',
  'force-clamp': 'force clamp: cap the force on each atom',
  'energy-drift': 'energy drift: warn or stop when the total energy drifts (NVE)',
  freeze: 'freeze: hold atoms fixed',
  'rebuild-neighbors': 'rebuild neighbors: rebuild the neighbor list every N steps',
  wrap: 'wrap: wrap positions into the periodic cell',
  timing: 'timing: ms per step and atom-steps per second',
};
export const hookKinds = Object.keys(hookKindLabels) as HookKind[];

export type CriterionKind = ConvergenceSpec['kind'];
/** Convergence criteria, with when each holds. */
export const criterionKindLabels: Record<CriterionKind, string> = {
  'max-force': 'max force: max |F| below fmax',
  'energy-change': 'energy change: |ΔE| per atom per step below a tolerance',
  'temperature-window': 'temperature window: T within [min, max]',
  'step-budget': 'step budget: after N steps in the stage',
  threshold: 'threshold: a per-system quantity below or above a value',
};
export const criterionKinds = Object.keys(criterionKindLabels) as CriterionKind[];

/** Unit of a threshold criterion's value, from its quantity ('' when the quantity is unknown). */
export function thresholdUnit(quantity: unknown): string {
  return typeof quantity === 'string' && quantity in THRESHOLD_QUANTITIES
    ? THRESHOLD_QUANTITIES[quantity as keyof typeof THRESHOLD_QUANTITIES]
    : '';
}

const hookStarts: Record<HookKind, unknown> = {
  log: { kind: 'log', every: 10 },
  snapshot: { kind: 'snapshot', every: 100 },
  'converged-snapshot': { kind: 'converged-snapshot' },
  'nan-detector': { kind: 'nan-detector' },
  'force-clamp': { kind: 'force-clamp', maxForce: 10 },
  'energy-drift': { kind: 'energy-drift', tolerance: 1e-3 },
  freeze: { kind: 'freeze', atoms: [0] },
  'rebuild-neighbors': { kind: 'rebuild-neighbors' },
  wrap: { kind: 'wrap' },
  timing: { kind: 'timing' },
};

const criterionStarts: Record<CriterionKind, unknown> = {
  'max-force': { kind: 'max-force', fmax: 0.05 },
  'energy-change': { kind: 'energy-change', tolerance: 1e-6 },
  'temperature-window': { kind: 'temperature-window', min: 250, max: 350 },
  'step-budget': { kind: 'step-budget', steps: 1000 },
  threshold: { kind: 'threshold', quantity: 'max-force', when: 'below', value: 0.05 },
};

const log = { kind: 'log', every: 10 };
const stageStarts: Record<StageKind, unknown> = {
  nve: { kind: 'nve', steps: 1000, dt: 2, hooks: [log] },
  langevin: { kind: 'langevin', steps: 1000, dt: 2, temperature: 300, friction: 0.01, hooks: [log] },
  'nose-hoover': { kind: 'nose-hoover', steps: 1000, dt: 2, temperature: 300, hooks: [log] },
  fire: {
    kind: 'fire',
    steps: 1000,
    dt: 1,
    hooks: [log],
    convergence: [{ kind: 'max-force', fmax: 0.05 }],
  },
  fire2: {
    kind: 'fire2',
    steps: 1000,
    dt: 1,
    hooks: [log],
    convergence: [{ kind: 'max-force', fmax: 0.05 }],
  },
};

/** A new hook of `kind` with every field filled (the schema's defaults plus a sensible start). */
export function newHook(kind: HookKind): HookSpec {
  return HookSchema.parse(hookStarts[kind]);
}

/** A new convergence criterion of `kind` with every field filled. */
export function newCriterion(kind: CriterionKind): ConvergenceSpec {
  return ConvergenceSchema.parse(criterionStarts[kind]);
}

/** A new stage of `kind` with every field filled, logging every 10 steps (minimisers: fmax 0.05 eV/Å). */
export function newStage(kind: StageKind): StageSpec {
  return StageSchema.parse(stageStarts[kind]);
}
