/**
 * LAMMPS `pair_style` / `pair_coeff` lines for the potentials the workbench shares with LAMMPS:
 * `lj/cut`, `morse`, and `eam`, `eam/alloy`, `eam/fs` with potential files. NULL atoms (batch type
 * −1, or an EAM element `NULL`) are invisible to the potential, as LAMMPS's `pair_coeff * * file
 * Cu NULL` makes them under `pair_style hybrid` (plain `pair_style eam/alloy` refuses NULL types:
 * "All pair coeffs are not set").
 */

import type { LennardJonesParams } from '../src/engine/reference/lennardJones.ts';
import type { MorseParams } from '../src/engine/reference/morse.ts';
import type { EamStyle } from '../src/io/lammpsPotential.ts';
import type { LammpsTypeMap } from './lammps.ts';

/** A potential as LAMMPS runs it. EAM files are paths LAMMPS can open (absolute paths). */
export type LammpsPotential =
  | ({ kind: 'lennard-jones' } & LennardJonesParams)
  | ({ kind: 'morse' } & MorseParams)
  | {
      kind: 'eam';
      style: EamStyle;
      /** The potential file (funcfl: used for every type unless `files` is given). */
      file: string;
      /** Style `eam` only: one funcfl file per batch potential type. */
      files?: string[];
      /** Per batch potential type: the element in the file, or `NULL`. */
      elements: string[];
    };

/** Types excluded from the neighbor list: `neigh_modify exclude type` for every pair with a NULL type. */
function excludeNullTypes(types: LammpsTypeMap): string[] {
  const nullTypes = types.masses.map((_, t) => t + 1).filter((t) => !types.activeTypes.includes(t));
  const lines: string[] = [];
  for (const t of nullTypes) {
    for (let u = 1; u <= types.masses.length; u++) {
      if (u <= t || !nullTypes.includes(u))
        lines.push(`neigh_modify exclude type ${Math.min(t, u)} ${Math.max(t, u)}`);
    }
  }
  return [...new Set(lines)];
}

/** A pair potential with one set of coefficients for every pair of non-NULL types. */
function pairLines(
  style: string,
  coeffs: string,
  zeroCoeffs: string,
  types: LammpsTypeMap,
  shift: boolean,
): string[] {
  const lines = [style, `pair_modify shift ${shift ? 'yes' : 'no'}`, `pair_coeff * * ${zeroCoeffs}`];
  for (const i of types.activeTypes) {
    for (const j of types.activeTypes) if (j >= i) lines.push(`pair_coeff ${i} ${j} ${coeffs}`);
  }
  return [...lines, ...excludeNullTypes(types)];
}

/** The element (or NULL) of each LAMMPS type under an EAM element list. */
function eamElementOfType(types: LammpsTypeMap, elements: readonly string[]): string[] {
  return types.potentialTypes.map((t) => {
    if (t === -1) return 'NULL';
    const e = elements[t];
    if (e === undefined) throw new Error(`potential type ${t} has no element (${elements.length} given)`);
    return e;
  });
}

/** `pair_style …` and `pair_coeff …` lines of `potential` for the LAMMPS types `types`. */
export function lammpsPairLines(types: LammpsTypeMap, potential: LammpsPotential): string[] {
  switch (potential.kind) {
    case 'lennard-jones':
      return pairLines(
        `pair_style lj/cut ${potential.cutoff}`,
        `${potential.epsilon} ${potential.sigma}`,
        '0.0 1.0',
        types,
        potential.shift,
      );
    case 'morse':
      return pairLines(
        `pair_style morse ${potential.cutoff}`,
        `${potential.d0} ${potential.alpha} ${potential.r0}`,
        '0.0 1.0 1.0',
        types,
        potential.shift,
      );
    case 'eam': {
      const elements = eamElementOfType(types, potential.elements);
      const nTypes = elements.length;
      const isNull = elements.map((e) => e === 'NULL');
      const hybrid = isNull.some(Boolean);
      const lines: string[] = [
        hybrid ? `pair_style hybrid ${potential.style} zero 1.0` : `pair_style ${potential.style}`,
      ];
      const sub = hybrid ? `${potential.style} ` : '';
      if (potential.style === 'eam') {
        elements.forEach((e, k) => {
          if (e === 'NULL') return;
          const t = types.potentialTypes[k]!;
          const file = potential.files?.[t] ?? potential.file;
          lines.push(`pair_coeff ${k + 1} ${k + 1} ${sub}${file}`);
        });
      } else {
        lines.push(`pair_coeff * * ${sub}${potential.file} ${elements.join(' ')}`);
      }
      if (hybrid) {
        for (let i = 1; i <= nTypes; i++) {
          for (let j = i; j <= nTypes; j++) {
            if (isNull[i - 1] || isNull[j - 1]) lines.push(`pair_coeff ${i} ${j} zero`);
          }
        }
      }
      return lines;
    }
  }
}
