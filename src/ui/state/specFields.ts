/**
 * The editable numeric parameters of a spec's stages, with their units read from the schema
 * (src/io/spec.ts carries each field's unit as its description), and immutable edits of a draft.
 */
import { z } from 'zod';
import {
  Fire2StageSpec,
  FireStageSpec,
  LangevinStageSpec,
  MaxForceCriterion,
  NoseHooverStageSpec,
  NveStageSpec,
  type PipelineSpecInput,
  type SpecIssue,
  safeParseSpec,
} from '../../io/spec.ts';

/** One path segment of a spec field. */
export type PathSegment = string | number;

/** A numeric field of a stage, as the form shows it. */
export interface StageField {
  /** Path into the spec, e.g. ['stages', 0, 'dt']. */
  path: PathSegment[];
  /** The same path as spec issues write it, e.g. `stages[0].dt`. */
  key: string;
  /** Short label for people, e.g. `dt`. */
  label: string;
  /** What it is, for the tooltip and the accessible description. */
  title: string;
  /** Unit shown next to the input ('' for counts). */
  unit: string;
  /** Current value in the draft (NaN when absent or not a number). */
  value: number;
  integer: boolean;
}

type NumericSchema = z.ZodType;

/** The unit a numeric schema carries as its description (`` for counts). */
export function unitOf(schema: z.ZodType): string {
  const inner = schema instanceof z.ZodDefault ? (schema.unwrap() as NumericSchema) : schema;
  const unit = inner.description ?? '';
  return unit === 'steps' ? '' : unit;
}

interface FieldDef {
  name: string;
  label: string;
  title: string;
  schema: NumericSchema;
  integer?: boolean;
}

const commonFields: FieldDef[] = [
  {
    name: 'steps',
    label: 'steps',
    title: 'Maximum number of steps',
    schema: NveStageSpec.shape.steps,
    integer: true,
  },
  { name: 'dt', label: 'dt', title: 'Time step (FIRE: initial time step)', schema: NveStageSpec.shape.dt },
];

const fieldsByKind: Record<string, FieldDef[]> = {
  nve: commonFields,
  langevin: [
    ...commonFields,
    {
      name: 'temperature',
      label: 'T',
      title: 'Target temperature',
      schema: LangevinStageSpec.shape.temperature,
    },
    { name: 'friction', label: 'γ', title: 'Friction coefficient', schema: LangevinStageSpec.shape.friction },
  ],
  fire: [
    ...commonFields,
    {
      name: 'dtMax',
      label: 'dtMax',
      title: 'Largest time step FIRE may grow to',
      schema: FireStageSpec.shape.dtMax,
    },
    {
      name: 'maxStep',
      label: 'maxStep',
      title: 'Largest displacement of a system in one step',
      schema: FireStageSpec.shape.maxStep,
    },
  ],
  'nose-hoover': [
    ...commonFields,
    {
      name: 'temperature',
      label: 'T',
      title: 'Target temperature',
      schema: NoseHooverStageSpec.shape.temperature,
    },
    {
      name: 'tau',
      label: 'τ',
      title: 'Thermostat time constant (LAMMPS Tdamp)',
      schema: NoseHooverStageSpec.shape.tau,
    },
    {
      name: 'chainLength',
      label: 'chain',
      title: 'Thermostats in the Nosé–Hoover chain',
      schema: NoseHooverStageSpec.shape.chainLength,
      integer: true,
    },
  ],
  fire2: [
    ...commonFields,
    {
      name: 'dtMax',
      label: 'dtMax',
      title: 'Largest time step FIRE2 may grow to',
      schema: Fire2StageSpec.shape.dtMax,
    },
    {
      name: 'dtMin',
      label: 'dtMin',
      title: 'Smallest time step: FIRE2 does not decrease dt below it',
      schema: Fire2StageSpec.shape.dtMin,
    },
    {
      name: 'maxStep',
      label: 'maxStep',
      title: 'Largest displacement of a system in one step',
      schema: Fire2StageSpec.shape.maxStep,
    },
    {
      name: 'nDelay',
      label: 'Ndelay',
      title: 'Positive-power steps before the time step grows',
      schema: Fire2StageSpec.shape.nDelay,
      integer: true,
    },
  ],
};

/** Writes a path the way spec issues do: `stages[0].convergence[1].fmax`. */
export function pathKey(path: readonly PathSegment[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${p}`;
  return out;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function numberAt(obj: Record<string, unknown>, name: string): number {
  const v = obj[name];
  return typeof v === 'number' ? v : Number.NaN;
}

/** The numeric fields of every stage of a draft, in form order. */
export function stageFields(draft: PipelineSpecInput): StageField[][] {
  const stages: unknown[] = Array.isArray(draft.stages) ? draft.stages : [];
  return stages.map((stage, i) => {
    if (!isRecord(stage)) return [];
    const defs = fieldsByKind[String(stage.kind)] ?? [];
    const fields: StageField[] = defs.map((d) => {
      const path = ['stages', i, d.name];
      return {
        path,
        key: pathKey(path),
        label: d.label,
        title: d.title,
        unit: unitOf(d.schema),
        value: numberAt(stage, d.name),
        integer: d.integer ?? false,
      };
    });
    const criteria: unknown[] = Array.isArray(stage.convergence) ? stage.convergence : [];
    criteria.forEach((c, j) => {
      if (!isRecord(c) || c.kind !== 'max-force') return;
      const path = ['stages', i, 'convergence', j, 'fmax'];
      fields.push({
        path,
        key: pathKey(path),
        label: 'fmax',
        title: 'Stage ends when max |F| of every system is below this',
        unit: unitOf(MaxForceCriterion.shape.fmax),
        value: numberAt(c, 'fmax'),
        integer: false,
      });
    });
    return fields;
  });
}

/** A copy of `draft` with the value at `path` replaced; the input is not modified. */
export function setAt(
  draft: PipelineSpecInput,
  path: readonly PathSegment[],
  value: unknown,
): PipelineSpecInput {
  const copy = structuredClone(draft) as unknown as Record<string, unknown>;
  let node: unknown = copy;
  for (let k = 0; k < path.length - 1; k++) {
    const seg = path[k] as PathSegment;
    node = (node as Record<PathSegment, unknown>)[seg];
    if (typeof node !== 'object' || node === null)
      throw new Error(`no field at ${pathKey(path.slice(0, k + 1))}`);
  }
  (node as Record<PathSegment, unknown>)[path[path.length - 1] as PathSegment] = value;
  return copy as unknown as PipelineSpecInput;
}

/** Reads what a person typed: empty or malformed text becomes NaN, which the schema rejects. */
export function parseNumberInput(text: string): number {
  const t = text.trim();
  return t === '' ? Number.NaN : Number(t);
}

/** Validation of a draft: the issues grouped by field key. */
export interface DraftValidation {
  ok: boolean;
  issues: SpecIssue[];
  byKey: Map<string, SpecIssue[]>;
}

export function validateDraft(draft: PipelineSpecInput): DraftValidation {
  const r = safeParseSpec(draft);
  const issues = r.ok ? [] : r.issues;
  const byKey = new Map<string, SpecIssue[]>();
  for (const issue of issues) {
    const list = byKey.get(issue.path);
    if (list) list.push(issue);
    else byKey.set(issue.path, [issue]);
  }
  return { ok: r.ok, issues, byKey };
}
