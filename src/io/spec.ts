/**
 * The pipeline spec: the one versioned JSON contract shared by the UI, the workers, the CLI and
 * saved files (DESIGN §2). Every dimensioned field names its unit in the schema, and errors name
 * the field and the unit.
 */
import { z } from 'zod';

/** Units a spec field can carry. */
export type Unit = 'eV' | 'Å' | '1/Å' | 'amu' | 'K' | 'fs' | '1/fs' | 'eV/Å' | 'steps' | '';

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

export const PotentialSpec = z
  .discriminatedUnion('kind', [LennardJonesSpec, MorseSpec, EamSpec])
  .superRefine((p, ctx) => {
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

export const SystemSpec = z.discriminatedUnion('kind', [FccSystemSpec, FileSystemSpec]);
export type SystemSpec = z.infer<typeof SystemSpec>;

/** Neighbor-list settings. */
export const NeighborSpec = z.strictObject({
  /** Skin added to the cutoff; the list is rebuilt when an atom moved more than skin/2, Å. */
  skin: quantity('Å', { ge: 0, le: 10 }).default(1),
});

/** Ends a stage when the largest atomic force of every system is below fmax. */
export const MaxForceCriterion = z.strictObject({
  kind: z.literal('max-force'),
  /** Threshold on max |F|, eV/Å. */
  fmax: quantity('eV/Å', { gt: 0, le: 1e3 }),
});
export const ConvergenceSpec = z.discriminatedUnion('kind', [MaxForceCriterion]);
export type ConvergenceSpec = z.infer<typeof ConvergenceSpec>;

/** Streams per-system energies, temperature and max force to the page every `every` steps. */
export const LogHookSpec = z.strictObject({
  kind: z.literal('log'),
  every: quantity('steps', { int: true, ge: 1, le: 1e9 }).default(10),
});
/** Writes frames (positions, velocities, forces, energies) to a sink every `every` steps. */
export const SnapshotHookSpec = z.strictObject({
  kind: z.literal('snapshot'),
  every: quantity('steps', { int: true, ge: 1, le: 1e9 }).default(100),
  sink: z.enum(['host']).default('host'),
  /** Frames kept in the host ring before the oldest are dropped. */
  capacity: quantity('', { int: true, ge: 1, le: 1e6 }).default(1000),
});
export const HookSpec = z.discriminatedUnion('kind', [LogHookSpec, SnapshotHookSpec]);
export type HookSpec = z.infer<typeof HookSpec>;

const stageCommon = {
  /** Display name; defaults to the kind. */
  name: z.string().min(1).max(64).optional(),
  /** Maximum number of steps of this stage. */
  steps: quantity('steps', { int: true, ge: 0, le: 1e9 }),
  /** Time step, fs. */
  dt: quantity('fs', { gt: 0, le: 100 }),
  /** Hooks attached to this stage. */
  hooks: z.array(HookSpec).default([]),
  /** Criteria combined with AND; when all hold the stage ends early. */
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

export const SPEC_VERSION = 1;

/** A whole pipeline: one system, one potential, a chain of stages run one after the other. */
export const PipelineSpec = z
  .strictObject({
    version: z.literal(SPEC_VERSION, {
      error: `unsupported spec version; this build reads version ${SPEC_VERSION}`,
    }),
    name: z.string().max(200).default('untitled'),
    system: SystemSpec,
    potential: PotentialSpec,
    neighbor: NeighborSpec.default({ skin: 1 }),
    stages: z.array(StageSpec).min(1, { error: 'needs at least one stage' }).max(64),
  })
  .superRefine((spec, ctx) => {
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

/** Display name of a stage. */
export function stageName(stage: StageSpec, index: number): string {
  return stage.name ?? `${index + 1}. ${stage.kind.toUpperCase()}`;
}
