/**
 * The pipeline spec: the one versioned JSON contract shared by the UI, the workers, the CLI and
 * saved files (DESIGN §2). Every dimensioned field names its unit in the schema, and errors name
 * the field and the unit.
 */
import { z } from 'zod';

// No code generation: zod's JIT (and its `Function('')` probe) would break the page's CSP (no eval).
z.config({ jitless: true });

/** Units a spec field can carry. */
export type Unit =
  | 'eV'
  | 'eV/atom'
  | 'Å'
  | '1/Å'
  | '1/Å³'
  | 'amu'
  | 'K'
  | 'fs'
  | '1/fs'
  | 'eV/Å'
  | 'steps'
  | '';

/** A finite number with a unit and bounds; error messages name the unit. */
function quantity(unit: Unit, bounds: { gt?: number; ge?: number; le?: number; lt?: number; int?: boolean }) {
  const u = unit ? ` ${unit}` : '';
  let s = z.number({ error: `must be a number${unit ? ` (in ${unit})` : ''}` });
  if (bounds.int) s = s.int({ error: `must be a whole number${u ? ` of${u}` : ''}` });
  if (bounds.gt !== undefined) s = s.gt(bounds.gt, { error: `must be > ${bounds.gt}${u}` });
  if (bounds.ge !== undefined) s = s.gte(bounds.ge, { error: `must be ≥ ${bounds.ge}${u}` });
  if (bounds.lt !== undefined) s = s.lt(bounds.lt, { error: `must be < ${bounds.lt}${u}` });
  if (bounds.le !== undefined) s = s.lte(bounds.le, { error: `must be ≤ ${bounds.le}${u}` });
  // The unit travels as the schema's description, so forms can show it next to the field.
  return s.describe(unit);
}

/** Lennard-Jones pair potential, V(r) = 4ε[(σ/r)¹² − (σ/r)⁶], optionally shifted to 0 at the cutoff. */
export const LennardJonesSpec = z.strictObject({
  kind: z.literal('lennard-jones'),
  /** Well depth ε, eV. */
  epsilon: quantity('eV', { gt: 0, le: 100 }),
  /** Zero-crossing distance σ, Å. */
  sigma: quantity('Å', { gt: 0, le: 100 }),
  /** Cutoff radius, Å. */
  cutoff: quantity('Å', { gt: 0, le: 100 }),
  /** Shift the energy so that V(cutoff) = 0 (forces unchanged). */
  shift: z.boolean().default(false),
});
export type LennardJonesSpec = z.infer<typeof LennardJonesSpec>;

/**
 * Morse pair potential (LAMMPS `pair_style morse`), V(r) = D0[e^{−2α(r−r0)} − 2e^{−α(r−r0)}],
 * optionally shifted to 0 at the cutoff.
 */
export const MorseSpec = z.strictObject({
  kind: z.literal('morse'),
  /** Well depth D0, eV. */
  d0: quantity('eV', { gt: 0, le: 100 }),
  /** Stiffness α, 1/Å. */
  alpha: quantity('1/Å', { gt: 0, le: 100 }),
  /** Equilibrium distance r0, Å. */
  r0: quantity('Å', { gt: 0, le: 100 }),
  /** Cutoff radius, Å. */
  cutoff: quantity('Å', { gt: 0, le: 100 }),
  /** Shift the energy so that V(cutoff) = 0 (forces unchanged). */
  shift: z.boolean().default(false),
});
export type MorseSpec = z.infer<typeof MorseSpec>;

/** Element name for a type the potential ignores (LAMMPS's `NULL` in pair_coeff). */
export const NULL_ELEMENT = 'NULL';

const potentialFileName = z
  .string({ error: 'must be a file name' })
  .min(1, { error: 'must name a potential file' })
  .max(4096);

/**
 * Embedded-atom potential from LAMMPS potential files, exactly as `pair_style <style>` with
 * `pair_coeff * * file El1 El2 ...`: `elements[t]` is the element of the file used for potential
 * type t, or `NULL` to make atoms of that type invisible to the potential.
 */
export const EamSpec = z.strictObject({
  kind: z.literal('eam'),
  /** `eam` (DYNAMO funcfl), `eam/alloy` (setfl) or `eam/fs` (Finnis–Sinclair). */
  style: z.enum(['eam', 'eam/alloy', 'eam/fs'], { error: 'must be one of eam, eam/alloy, eam/fs' }),
  /** Potential file: the uploaded or shipped file name, or a path on the CLI. */
  file: potentialFileName,
  /** Style `eam` only: one funcfl file per type, for several elements (overrides `file`). */
  files: z.array(potentialFileName).min(1).max(64).optional(),
  /** Per potential type: element name in the file, or `NULL`. */
  elements: z
    .array(z.string().min(1, { error: 'must be an element name or NULL' }).max(16))
    .min(1, { error: 'needs one element (or NULL) per type' })
    .max(64),
});
export type EamSpec = z.infer<typeof EamSpec>;

/**
 * Message-passing GNN potential (DESIGN §6, weights: docs/gnn-weights.md): `model` names the
 * weights (`<model>.json` + `<model>.safetensors`), given alongside the spec as EAM tables are;
 * `elements[t]` is the model element of potential type t, or `NULL` (invisible atoms). The page offers
 * the shipped models (src/io/models.ts) and uploaded ones; the CLI reads the two files from the spec's
 * directory, `--models <dir>` or the shipped models.
 */
export const GnnSpec = z.strictObject({
  kind: z.literal('gnn'),
  /** Model name: the stem of its two files. */
  model: z.string().min(1, { error: 'must name the model (stem of its .json and .safetensors)' }).max(256),
  /** Per potential type: element of the model, or `NULL`. */
  elements: z
    .array(z.string().min(1, { error: 'must be an element name or NULL' }).max(16))
    .min(1, { error: 'needs one element (or NULL) per type' })
    .max(64),
});
export type GnnSpec = z.infer<typeof GnnSpec>;

export const PotentialSpec = z
  .discriminatedUnion('kind', [LennardJonesSpec, MorseSpec, EamSpec, GnnSpec])
  .superRefine((p, ctx) => {
    if (p.kind === 'gnn' && p.elements.every((e) => e === NULL_ELEMENT)) {
      ctx.addIssue({ code: 'custom', path: ['elements'], message: 'at least one type must not be NULL' });
    }
    if (p.kind !== 'eam') return;
    if (p.files !== undefined && p.style !== 'eam') {
      ctx.addIssue({ code: 'custom', path: ['files'], message: `only style eam takes one file per type` });
    }
    if (p.files !== undefined && p.files.length !== p.elements.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['files'],
        message: `needs one file per type: ${p.elements.length} element(s), ${p.files.length} file(s)`,
      });
    }
    if (p.elements.every((e) => e === NULL_ELEMENT)) {
      ctx.addIssue({ code: 'custom', path: ['elements'], message: 'at least one type must not be NULL' });
    }
  });
export type PotentialSpec = z.infer<typeof PotentialSpec>;

/** A face-centred cubic crystal of one element with an optional spherical void at the centre. */
export const FccSystemSpec = z.strictObject({
  kind: z.literal('fcc'),
  /** Element symbol (for colours and export). */
  element: z.string().min(1).max(3),
  /** Atomic mass, amu. */
  mass: quantity('amu', { gt: 0, le: 1000 }),
  /** Cubic lattice constant, Å. */
  latticeConstant: quantity('Å', { gt: 0.5, le: 100 }),
  /** Unit cells along x, y, z. */
  repeat: z.tuple([
    quantity('', { int: true, ge: 1, le: 200 }),
    quantity('', { int: true, ge: 1, le: 200 }),
    quantity('', { int: true, ge: 1, le: 200 }),
  ]),
  /** Radius of a spherical void cut at the centre, Å (0 for none). */
  voidRadius: quantity('Å', { ge: 0, le: 1000 }).default(0),
  /** Initial temperature for Maxwell–Boltzmann velocities, K. */
  temperature: quantity('K', { ge: 0, le: 1e5 }).default(0),
  /** Random displacement amplitude applied to every atom, Å (breaks symmetry). */
  jitter: quantity('Å', { ge: 0, le: 1 }).default(0),
  /** Seed of the random numbers used for jitter and velocities. */
  seed: quantity('', { int: true, ge: 0, le: 2 ** 31 - 1 }).default(1),
});
export type FccSystemSpec = z.infer<typeof FccSystemSpec>;

/**
 * Atoms read from a structure file (XYZ/extXYZ or LAMMPS data). The spec names the file only: its
 * atoms travel next to the spec as a batch (the page's upload, the CLI's `--structure`).
 */
export const FileSystemSpec = z.strictObject({
  kind: z.literal('file'),
  /** Structure file name as the person knows it (uploaded name or CLI path). */
  file: z.string({ error: 'must be a file name' }).min(1, { error: 'must name a structure file' }).max(4096),
});
export type FileSystemSpec = z.infer<typeof FileSystemSpec>;

/**
 * Random clusters in vacuum, one system each (relaxation benchmarks, batching tests): atom counts
 * uniform in [minAtoms, maxAtoms], atoms placed uniformly in a sphere at the given number density
 * with no two closer than `minDistance`; each cluster sits in a non-periodic box with `vacuum` on
 * every side. Deterministic in the seed.
 */
export const ClustersSystemSpec = z
  .strictObject({
    kind: z.literal('clusters'),
    /** Number of clusters (systems). */
    count: quantity('', { int: true, ge: 1, le: 100_000 }),
    /** Fewest atoms in a cluster. */
    minAtoms: quantity('', { int: true, ge: 1, le: 100_000 }),
    /** Most atoms in a cluster. */
    maxAtoms: quantity('', { int: true, ge: 1, le: 100_000 }),
    /** Element symbol (for colours and export). */
    element: z.string().min(1).max(3).default('Ar'),
    /** Atomic mass, amu. */
    mass: quantity('amu', { gt: 0, le: 1000 }).default(39.948),
    /** Number density of the starting sphere, atoms/Å³. */
    density: quantity('1/Å³', { gt: 0, le: 1 }).default(0.015),
    /** Smallest distance between two atoms of the start, Å. */
    minDistance: quantity('Å', { gt: 0, le: 100 }).default(3),
    /** Empty space on each side of the sphere, Å. */
    vacuum: quantity('Å', { ge: 0, le: 1000 }).default(10),
    /** Seed of the random numbers. */
    seed: quantity('', { int: true, ge: 0, le: 2 ** 31 - 1 }).default(1),
  })
  .refine((c) => c.minAtoms <= c.maxAtoms, { error: 'minAtoms must be ≤ maxAtoms', path: ['maxAtoms'] });
export type ClustersSystemSpec = z.infer<typeof ClustersSystemSpec>;

export const SystemSpec = z.discriminatedUnion('kind', [FccSystemSpec, FileSystemSpec, ClustersSystemSpec]);
export type SystemSpec = z.infer<typeof SystemSpec>;

/** Neighbor-list settings. */
export const NeighborSpec = z.strictObject({
  /** Skin added to the cutoff; the list is rebuilt when an atom moved more than skin/2, Å. */
  skin: quantity('Å', { ge: 0, le: 10 }).default(1),
});

const every = (fallback: number) => quantity('steps', { int: true, ge: 1, le: 1e9 }).default(fallback);

/** Holds for a system when its largest atomic force is below fmax (ASE's and LAMMPS's fmax). */
export const MaxForceCriterion = z.strictObject({
  kind: z.literal('max-force'),
  /** Threshold on max |F|, eV/Å. */
  fmax: quantity('eV/Å', { gt: 0, le: 1e3 }),
  /** Checked every this many steps. */
  every: every(1),
});
/**
 * Holds for a system when its potential energy changed by less than `tolerance` per atom per step
 * since the previous check (LAMMPS `minimize etol`, in absolute form).
 */
export const EnergyChangeCriterion = z.strictObject({
  kind: z.literal('energy-change'),
  /** |ΔE| / (N · steps between checks), eV/atom. */
  tolerance: quantity('eV/atom', { gt: 0, le: 1e3 }),
  every: every(1),
});
/** Holds for a system when its instantaneous temperature lies in [min, max]. */
export const TemperatureWindowCriterion = z
  .strictObject({
    kind: z.literal('temperature-window'),
    /** Lower bound, K. */
    min: quantity('K', { ge: 0, le: 1e5 }),
    /** Upper bound, K. */
    max: quantity('K', { ge: 0, le: 1e5 }),
    every: every(1),
  })
  .refine((c) => c.min <= c.max, { error: 'min must be ≤ max (K)', path: ['max'] });
/** Holds for a system once it has spent `steps` steps in the stage (a per-system step budget). */
export const StepBudgetCriterion = z.strictObject({
  kind: z.literal('step-budget'),
  steps: quantity('steps', { int: true, ge: 1, le: 1e9 }),
  every: every(1),
});
/** Per-system quantities a {@link ThresholdCriterion} can test. */
export const THRESHOLD_QUANTITIES = {
  'potential-energy-per-atom': 'eV/atom',
  'kinetic-energy-per-atom': 'eV/atom',
  temperature: 'K',
  'max-force': 'eV/Å',
} as const;
/** Holds for a system when a per-system (or per-atom, reduced) quantity is below or above a value. */
export const ThresholdCriterion = z.strictObject({
  kind: z.literal('threshold'),
  quantity: z.enum(Object.keys(THRESHOLD_QUANTITIES) as [keyof typeof THRESHOLD_QUANTITIES], {
    error: `must be one of ${Object.keys(THRESHOLD_QUANTITIES).join(', ')}`,
  }),
  /** `below`: holds when quantity < value; `above`: when quantity > value. */
  when: z.enum(['below', 'above']),
  /** In the quantity's unit (see THRESHOLD_QUANTITIES). */
  value: z.number({ error: 'must be a number (in the unit of the quantity)' }),
  every: every(1),
});
export const ConvergenceSpec = z.discriminatedUnion('kind', [
  MaxForceCriterion,
  EnergyChangeCriterion,
  TemperatureWindowCriterion,
  StepBudgetCriterion,
  ThresholdCriterion,
]);
export type ConvergenceSpec = z.infer<typeof ConvergenceSpec>;

/** Streams per-system energies, temperature and max force to the page every `every` steps. */
export const LogHookSpec = z.strictObject({
  kind: z.literal('log'),
  every: every(10),
});
/** Where frames go: host memory (bounded ring), a preallocated GPU ring buffer, or a Zarr store. */
export const SinkKind = z.enum(['host', 'gpu-ring', 'zarr'], {
  error: 'must be one of host, gpu-ring, zarr',
});
const sinkFields = {
  sink: SinkKind.default('host'),
  /** Frames kept by a host or GPU ring before the oldest are overwritten (a Zarr store keeps all). */
  capacity: quantity('', { int: true, ge: 1, le: 1e6 }).default(1000),
};
/** Writes frames (positions, velocities, forces, energies) of every live system every `every` steps. */
export const SnapshotHookSpec = z.strictObject({
  kind: z.literal('snapshot'),
  every: every(100),
  ...sinkFields,
});
/** Writes the frame of each system once, at the step it converges (only the newly converged ones). */
export const ConvergedSnapshotHookSpec = z.strictObject({
  kind: z.literal('converged-snapshot'),
  ...sinkFields,
});
/**
 * Stops the run when a position, force or energy is not finite, naming the system, the atom and
 * the step; keeps the last frame checked good.
 */
export const NanDetectorHookSpec = z.strictObject({
  kind: z.literal('nan-detector'),
  every: every(10),
});
/** Scales down every atomic force longer than `maxForce` to that length (direction kept). */
export const ForceClampHookSpec = z.strictObject({
  kind: z.literal('force-clamp'),
  /** Largest |F| of one atom, eV/Å. */
  maxForce: quantity('eV/Å', { gt: 0, le: 1e6 }),
});
/**
 * Watches the total energy per atom against its value at the start of the stage (NVE); warns or
 * stops when it drifted by more than `tolerance`.
 */
export const EnergyDriftHookSpec = z.strictObject({
  kind: z.literal('energy-drift'),
  every: every(100),
  /** |E − E₀| / N, eV/atom. */
  tolerance: quantity('eV/atom', { gt: 0, le: 1e3 }),
  action: z.enum(['warn', 'stop'], { error: 'must be warn or stop' }).default('warn'),
});
/**
 * Holds atoms in place for the stage (forces and velocities zero, LAMMPS `fix setforce 0 0 0`):
 * atoms whose index within their system is listed, and atoms of the listed potential types.
 */
export const FreezeHookSpec = z
  .strictObject({
    kind: z.literal('freeze'),
    /** 0-based atom indices within each system. */
    atoms: z
      .array(quantity('', { int: true, ge: 0, le: 2 ** 31 - 1 }))
      .max(1_000_000)
      .default([]),
    /** Potential type indices. */
    types: z
      .array(quantity('', { int: true, ge: -1, le: 63 }))
      .max(64)
      .default([]),
  })
  .refine((f) => f.atoms.length + f.types.length > 0, {
    error: 'name at least one atom or type',
    path: ['atoms'],
  });
/** Rebuilds the neighbor list every `every` steps whatever the displacements (LAMMPS `neigh_modify every N check no`). */
export const RebuildNeighborsHookSpec = z.strictObject({
  kind: z.literal('rebuild-neighbors'),
  every: every(20),
});
/** Wraps positions into the periodic cell every `every` steps (a list rebuild also wraps). */
export const WrapHookSpec = z.strictObject({
  kind: z.literal('wrap'),
  every: every(100),
});
/** Reports wall time per step and atom-steps per second of the stage every `every` steps. */
export const TimingHookSpec = z.strictObject({
  kind: z.literal('timing'),
  every: every(100),
});
export const HookSpec = z.discriminatedUnion('kind', [
  LogHookSpec,
  SnapshotHookSpec,
  ConvergedSnapshotHookSpec,
  NanDetectorHookSpec,
  ForceClampHookSpec,
  EnergyDriftHookSpec,
  FreezeHookSpec,
  RebuildNeighborsHookSpec,
  WrapHookSpec,
  TimingHookSpec,
]);
export type HookSpec = z.infer<typeof HookSpec>;
export type HookKind = HookSpec['kind'];

const stageCommon = {
  /** Display name; defaults to the kind. */
  name: z.string().min(1).max(64).optional(),
  /**
   * Step budget of each system in this stage: a system leaves the stage when its criteria hold or
   * when it has made this many steps here, converged or not.
   */
  steps: quantity('steps', { int: true, ge: 0, le: 1e9 }),
  /** Time step, fs. */
  dt: quantity('fs', { gt: 0, le: 100 }),
  /** Hooks attached to this stage. */
  hooks: z.array(HookSpec).default([]),
  /** Criteria combined with AND; a system whose criteria all hold leaves the stage early. */
  convergence: z.array(ConvergenceSpec).default([]),
};

/** Microcanonical velocity Verlet. */
export const NveStageSpec = z.strictObject({ kind: z.literal('nve'), ...stageCommon });
/** Langevin thermostat, BAOAB splitting. */
export const LangevinStageSpec = z.strictObject({
  kind: z.literal('langevin'),
  ...stageCommon,
  /** Target temperature, K. */
  temperature: quantity('K', { ge: 0, le: 1e5 }),
  /** Friction coefficient γ, 1/fs. */
  friction: quantity('1/fs', { ge: 0, le: 10 }),
  /** Seed of the thermostat's random numbers. */
  seed: quantity('', { int: true, ge: 0, le: 2 ** 31 - 1 }).default(7),
});
/** FIRE minimiser (Bitzek et al. 2006, ASE's variant); dt is the initial time step. */
export const FireStageSpec = z.strictObject({
  kind: z.literal('fire'),
  ...stageCommon,
  /** Largest time step FIRE may grow to, fs. */
  dtMax: quantity('fs', { gt: 0, le: 100 }).default(10),
  /** Largest displacement of a system in one step (norm over all its atoms), Å. */
  maxStep: quantity('Å', { gt: 0, le: 10 }).default(0.2),
});
/** Longest Nosé–Hoover chain the engines support (thermostats per system). */
export const MAX_CHAIN_LENGTH = 10;
/**
 * Nosé–Hoover chain thermostat (Martyna–Tuckerman–Klein), LAMMPS `fix nvt temp T T τ tchain M`:
 * time-reversible splitting, a half step of the chain around velocity Verlet, masses
 * Q₁ = N_f·kB·T·τ², Q_k = kB·T·τ² with N_f = 3N.
 */
export const NoseHooverStageSpec = z.strictObject({
  kind: z.literal('nose-hoover'),
  ...stageCommon,
  /** Target temperature, K. */
  temperature: quantity('K', { gt: 0, le: 1e5 }),
  /** Thermostat time constant τ (LAMMPS's Tdamp), fs. */
  tau: quantity('fs', { gt: 0, le: 1e6 }).default(100),
  /** Thermostats in the chain (LAMMPS's tchain), 1 = plain Nosé–Hoover. */
  chainLength: quantity('', { int: true, ge: 1, le: MAX_CHAIN_LENGTH }).default(3),
});
/**
 * FIRE2 minimiser (Guénolé et al. 2020, Algorithm 2): semi-implicit Euler, half-step back on
 * P ≤ 0, initial delay, dt_min; mass-weighted like {@link FireStageSpec}. dt is the initial step.
 */
export const Fire2StageSpec = z.strictObject({
  kind: z.literal('fire2'),
  ...stageCommon,
  /** Largest time step FIRE2 may grow to, fs. */
  dtMax: quantity('fs', { gt: 0, le: 100 }).default(10),
  /** Smallest time step: dt is not decreased below it, fs. */
  dtMin: quantity('fs', { ge: 0, le: 100 }).default(0.02),
  /** Largest displacement of a system in one step (norm over all its atoms), Å. */
  maxStep: quantity('Å', { gt: 0, le: 10 }).default(0.2),
  /** Positive-power steps before dt grows and α shrinks (N_delay). */
  nDelay: quantity('steps', { int: true, ge: 0, le: 1e6 }).default(20),
  /** Keep dt and α during the first nDelay steps even when P ≤ 0 (the paper's initialdelay). */
  initialDelay: z.boolean().default(true),
});
export const StageSpec = z.discriminatedUnion('kind', [
  NveStageSpec,
  LangevinStageSpec,
  FireStageSpec,
  NoseHooverStageSpec,
  Fire2StageSpec,
]);
export type StageSpec = z.infer<typeof StageSpec>;

/**
 * A fused stage (the Python framework's `a + b`): sub-stages share one force evaluation per step;
 * sub-stage i updates only the systems whose status code is i; a system whose criteria hold (or whose
 * step budget in the sub-stage is spent) moves to code i + 1. Systems enter with `entryStatus` and
 * leave (graduate) on reaching `exitStatus`. The stage ends when every system has left, no system is
 * waiting, or `steps` fused steps have run.
 */
export const FusedStageSpec = z
  .strictObject({
    kind: z.literal('fused'),
    name: z.string().min(1).max(64).optional(),
    /** Sub-stages in order; sub-stage i has status code i. */
    stages: z.array(StageSpec).min(2, { error: 'a fused stage needs at least two sub-stages' }).max(16),
    /** Most fused steps the stage may run. */
    steps: quantity('steps', { int: true, ge: 1, le: 1e9 }),
    /** Status code given to systems entering the stage (default 0: the first sub-stage). */
    entryStatus: quantity('', { int: true, ge: 0, le: 15 }).default(0),
    /** Status code at which a system leaves the stage (default: the number of sub-stages). */
    exitStatus: quantity('', { int: true, ge: 1, le: 16 }).optional(),
    /** Hooks on the fused stage itself: they see the whole batch once per step. */
    hooks: z.array(HookSpec).default([]),
  })
  .superRefine((f, ctx) => {
    const exit = f.exitStatus ?? f.stages.length;
    if (exit > f.stages.length)
      ctx.addIssue({
        code: 'custom',
        path: ['exitStatus'],
        message: `must be ≤ ${f.stages.length} (the number of sub-stages)`,
      });
    if (f.entryStatus >= exit)
      ctx.addIssue({ code: 'custom', path: ['entryStatus'], message: `must be < exitStatus (${exit})` });
  });
export type FusedStageSpec = z.infer<typeof FusedStageSpec>;

/** One segment of a pipeline: a single stage or a fused stage. */
export const SegmentSpec = z.discriminatedUnion('kind', [...StageSpec.options, FusedStageSpec]);
export type SegmentSpec = z.infer<typeof SegmentSpec>;
/** A stage, fused stage or segment as written by a person (defaults not yet applied). */
export type StageSpecInput = z.input<typeof StageSpec>;
export type FusedStageSpecInput = z.input<typeof FusedStageSpec>;
export type SegmentSpecInput = z.input<typeof SegmentSpec>;

/**
 * Inflight batching: at most `maxSystems` systems and `maxAtoms` atoms are on the GPU at once; a
 * size-aware sampler admits waiting systems into the slots of systems that left.
 */
export const BatchingSpec = z.strictObject({
  /** Most systems resident at once. */
  maxSystems: quantity('', { int: true, ge: 1, le: 65_536 }),
  /** Most atoms resident at once. */
  maxAtoms: quantity('', { int: true, ge: 1, le: 8_000_000 }),
});
export type BatchingSpec = z.infer<typeof BatchingSpec>;

/**
 * Capacity of one pipe link between the workers of segments i and i + 1 (the receiving worker's
 * inbox): a sender moves a system only when it fits what the receiver has room for.
 */
export const LinkSpec = z.strictObject({
  /** Systems in flight on the link (sent, not yet admitted by the receiver). */
  maxSystems: quantity('', { int: true, ge: 1, le: 65_536 }).default(8),
  /** Atoms of the systems in flight. */
  maxAtoms: quantity('', { int: true, ge: 1, le: 8_000_000 }).default(8192),
  /** Neighbor pairs (within the potential cutoff) of the systems in flight. */
  maxEdges: quantity('', { int: true, ge: 1, le: 1e9 }).default(1_000_000),
});
export type LinkSpec = z.infer<typeof LinkSpec>;
export type LinkSpecInput = z.input<typeof LinkSpec>;

/** Most workers of a domain grid (Px·Py·Pz): one GPU device each, and every pair wired by a port. */
export const MAX_DOMAIN_WORKERS = 16;

const gridCount = quantity('', { int: true, ge: 1, le: MAX_DOMAIN_WORKERS });

/**
 * Domain decomposition (DESIGN §5, LAMMPS `processors Px Py Pz`): one system split over a Px×Py×Pz
 * grid of workers, each owning the atoms of its box of the cell (uniform in fractional coordinates)
 * and exchanging ghost atoms with its neighbours. Periodic, partly periodic and open cells alike;
 * a subdomain thinner than the ghost cutoff (potential cutoff + skin) works, with multi-hop swaps.
 */
export const DomainPlacementSpec = z
  .strictObject({
    kind: z.literal('domain'),
    /** Workers along the cell axes a, b, c: [Px, Py, Pz], each ≥ 1, product 2 … {@link MAX_DOMAIN_WORKERS}. */
    grid: z.tuple([gridCount, gridCount, gridCount], {
      error: 'must be three whole numbers [Px, Py, Pz] (workers along a, b, c)',
    }),
  })
  .superRefine((p, ctx) => {
    const workers = p.grid[0] * p.grid[1] * p.grid[2];
    if (workers < 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['grid'],
        message:
          'a 1×1×1 grid is one worker: set placement to single (a domain split needs at least 2 workers)',
      });
    } else if (workers > MAX_DOMAIN_WORKERS) {
      ctx.addIssue({
        code: 'custom',
        path: ['grid'],
        message: `${p.grid.join('×')} = ${workers} workers; at most ${MAX_DOMAIN_WORKERS} (one GPU device and a port to every other worker each)`,
      });
    }
  });
export type DomainPlacementSpec = z.infer<typeof DomainPlacementSpec>;

/**
 * Where the segments run: all on one worker (`single`); segment i on worker i (`pipeline`), with
 * systems passed from worker to worker over links of fixed capacity; or one system split over a
 * grid of workers (`domain`) that run every segment together (DESIGN §5).
 */
export const PlacementSpec = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('single') }),
  z.strictObject({
    kind: z.literal('pipeline'),
    /** Link i carries systems from the worker of segment i to that of segment i + 1. */
    links: z.array(LinkSpec).max(63),
  }),
  DomainPlacementSpec,
]);
export type PlacementSpec = z.infer<typeof PlacementSpec>;
export type PlacementSpecInput = z.input<typeof PlacementSpec>;

export const SPEC_VERSION = 1;

/**
 * A whole pipeline: systems, one potential, and segments run in order (the Python framework's
 * `a | b`): a system leaving segment k enters segment k + 1. Each segment is a stage or a fused stage.
 */
export const PipelineSpec = z
  .strictObject({
    version: z.literal(SPEC_VERSION, {
      error: `unsupported spec version; this build reads version ${SPEC_VERSION}`,
    }),
    name: z.string().max(200).default('untitled'),
    system: SystemSpec,
    potential: PotentialSpec,
    neighbor: NeighborSpec.default({ skin: 1 }),
    /** Inflight batching; without it every system is resident from the start. */
    batching: BatchingSpec.optional(),
    stages: z.array(SegmentSpec).min(1, { error: 'needs at least one stage' }).max(64),
    /** Where the segments run: one worker, one worker per segment, or one system over a grid of workers. */
    placement: PlacementSpec.default({ kind: 'single' }),
  })
  .superRefine((spec, ctx) => {
    if (spec.placement.kind === 'pipeline') {
      if (!spec.batching) {
        ctx.addIssue({
          code: 'custom',
          path: ['placement'],
          message:
            'a pipeline needs batching (each worker keeps its own resident batch of batching.maxSystems systems and batching.maxAtoms atoms)',
        });
      }
      const want = spec.stages.length - 1;
      if (spec.placement.links.length !== want) {
        ctx.addIssue({
          code: 'custom',
          path: ['placement', 'links'],
          message: `needs one link between each pair of consecutive stages: ${want} for ${spec.stages.length} stage(s), got ${spec.placement.links.length}`,
        });
      }
      const system = spec.system;
      if (system.kind === 'clusters') {
        spec.placement.links.forEach((link, i) => {
          if (link.maxAtoms < system.maxAtoms) {
            ctx.addIssue({
              code: 'custom',
              path: ['placement', 'links', i, 'maxAtoms'],
              message: `must be ≥ system.maxAtoms (${system.maxAtoms}): a cluster that large could never cross this link`,
            });
          }
        });
      }
    }
    if (spec.placement.kind === 'domain') {
      const split = `a domain split (${spec.placement.grid.join('×')} workers) runs one system`;
      if (spec.system.kind === 'clusters' && spec.system.count > 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['system', 'count'],
          message: `must be 1: ${split}; for many systems use placement single or pipeline`,
        });
      }
      if (spec.batching) {
        ctx.addIssue({
          code: 'custom',
          path: ['batching'],
          message: `must be absent: ${split}, every atom resident on its owner from the start (batching admits many systems)`,
        });
      }
    }
    if (spec.potential.kind === 'lennard-jones' && spec.potential.cutoff < spec.potential.sigma) {
      ctx.addIssue({ code: 'custom', path: ['potential', 'cutoff'], message: 'must be ≥ sigma (Å)' });
    }
  });
export type PipelineSpec = z.infer<typeof PipelineSpec>;
/** The spec as written by a person (defaults not yet applied). */
export type PipelineSpecInput = z.input<typeof PipelineSpec>;

/** One problem found in a spec: where, and what, with the unit. */
export interface SpecIssue {
  /** Dotted path, e.g. `stages[1].dt`. */
  path: string;
  message: string;
}

/** Thrown by {@link parseSpec}; `issues` lists every problem. */
export class SpecError extends Error {
  constructor(readonly issues: SpecIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
    this.name = 'SpecError';
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || '(spec)';
}

/** Validates unknown JSON as a spec; returns the spec with defaults or a list of issues. */
export function safeParseSpec(
  input: unknown,
): { ok: true; spec: PipelineSpec } | { ok: false; issues: SpecIssue[] } {
  const r = PipelineSpec.safeParse(input);
  if (r.success) return { ok: true, spec: r.data };
  return { ok: false, issues: r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
}

/** Validates unknown JSON as a spec or throws a {@link SpecError}. */
export function parseSpec(input: unknown): PipelineSpec {
  const r = safeParseSpec(input);
  if (!r.ok) throw new SpecError(r.issues);
  return r.spec;
}

/** Minimisers (FIRE, FIRE2): start and end at rest, and their steps do not advance simulated time. */
export function isMinimizer(stage: Pick<StageSpec, 'kind'>): boolean {
  return stage.kind === 'fire' || stage.kind === 'fire2';
}

/** Display name of a stage or segment: its name, or its position and kind (`2. FIRE + NVE` when fused). */
export function stageName(stage: SegmentSpec, index: number): string {
  if (stage.name) return stage.name;
  const kind = (s: StageSpec) => s.kind.toUpperCase();
  return `${index + 1}. ${stage.kind === 'fused' ? stage.stages.map(kind).join(' + ') : kind(stage)}`;
}

/** The sub-stages of a segment: those of a fused stage, or the stage itself. */
export function subStages(segment: SegmentSpec): readonly StageSpec[] {
  return segment.kind === 'fused' ? segment.stages : [segment];
}
