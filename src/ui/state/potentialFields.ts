/**
 * The editable parameters of the pair potentials (Lennard-Jones, Morse), with units from the
 * schema, their defaults, and the field keys the potential panel shows (so other panels skip them).
 */
import { LennardJonesSpec, MorseSpec, type PipelineSpecInput, type PotentialSpec } from '../../io/spec.ts';
import { isRecord, numberAt, pathKey, type StageField, unitOf } from './specFields.ts';

/** The potential kinds a person can pick. */
export type PotentialKind = PotentialSpec['kind'];

export const potentialKindLabels: Record<PotentialKind, string> = {
  'lennard-jones': 'Lennard-Jones',
  morse: 'Morse',
  eam: 'EAM (LAMMPS potential file)',
  gnn: 'GNN (message passing)',
};

interface Def {
  name: string;
  label: string;
  title: string;
  schema: Parameters<typeof unitOf>[0];
}

const defs: Record<'lennard-jones' | 'morse', Def[]> = {
  'lennard-jones': [
    { name: 'epsilon', label: 'ε', title: 'Well depth ε', schema: LennardJonesSpec.shape.epsilon },
    { name: 'sigma', label: 'σ', title: 'Zero-crossing distance σ', schema: LennardJonesSpec.shape.sigma },
    { name: 'cutoff', label: 'cutoff', title: 'Cutoff radius', schema: LennardJonesSpec.shape.cutoff },
  ],
  morse: [
    { name: 'd0', label: 'D0', title: 'Well depth D0', schema: MorseSpec.shape.d0 },
    { name: 'alpha', label: 'α', title: 'Stiffness α', schema: MorseSpec.shape.alpha },
    { name: 'r0', label: 'r0', title: 'Equilibrium distance r0', schema: MorseSpec.shape.r0 },
    { name: 'cutoff', label: 'cutoff', title: 'Cutoff radius', schema: MorseSpec.shape.cutoff },
  ],
};

/**
 * Starting parameters of each pair potential: argon for Lennard-Jones (ε = 0.0104 eV, σ = 3.40 Å),
 * copper for Morse (Girifalco & Weizer 1959: D0 = 0.3429 eV, α = 1.3588 1/Å, r0 = 2.866 Å).
 */
export const defaultPairPotentials = {
  'lennard-jones': { kind: 'lennard-jones', epsilon: 0.0104, sigma: 3.4, cutoff: 8.5, shift: true },
  morse: { kind: 'morse', d0: 0.3429, alpha: 1.3588, r0: 2.866, cutoff: 8, shift: true },
} as const satisfies Record<string, PotentialSpec>;

/** The numeric fields of the draft's potential (none for EAM and GNN: their numbers come from files). */
export function potentialFields(draft: PipelineSpecInput): StageField[] {
  const p: unknown = draft.potential;
  if (!isRecord(p) || (p.kind !== 'lennard-jones' && p.kind !== 'morse')) return [];
  return defs[p.kind].map((d) => {
    const path = ['potential', d.name];
    return {
      path,
      key: pathKey(path),
      label: d.label,
      title: d.title,
      unit: unitOf(d.schema),
      value: numberAt(p, d.name),
      integer: false,
    };
  });
}

/** Whether an issue path belongs to the potential or system panels (batching included) rather than the stage form. */
export function isInputIssue(path: string): boolean {
  return path.startsWith('potential') || path.startsWith('system') || path.startsWith('batching');
}
