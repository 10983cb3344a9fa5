import { useId } from 'react';
import { useApp } from '../appContext.ts';
import { useRunActive } from '../hooks/useRunActive.ts';
import { useSpecState } from '../hooks/useSpecState.ts';
import { type PotentialKind, potentialFields, potentialKindLabels } from '../state/potentialFields.ts';
import { EamPotentialFields } from './EamPotentialFields.tsx';
import { GnnPotentialFields } from './GnnPotentialFields.tsx';
import { NumberField } from './NumberField.tsx';

const kinds = Object.keys(potentialKindLabels) as PotentialKind[];

/** Choice of potential and its parameters (pair potentials) or files (EAM, GNN), validated as typed. */
export function PotentialPanel() {
  const { workspace, specStore } = useApp();
  const id = useId();
  const potential = useSpecState((s) => s.draft.potential);
  const validation = useSpecState((s) => s.validation);
  const active = useRunActive();
  const fields = potentialFields(useSpecState((s) => s.draft));
  const shown = new Set(fields.map((f) => f.key));
  const issues = validation.issues.filter((i) => i.path.startsWith('potential') && !shown.has(i.path));

  return (
    <section className="panel potential-panel" aria-labelledby="potential-title">
      <h2 id="potential-title">Potential</h2>
      <div className="field">
        <label htmlFor={`${id}-kind`}>kind</label>
        <select
          id={`${id}-kind`}
          data-testid="potential-kind"
          value={potential.kind}
          disabled={active}
          onChange={(e) => workspace.setPotentialKind(e.target.value as PotentialKind)}
        >
          {kinds.map((k) => (
            <option key={k} value={k}>
              {potentialKindLabels[k]}
            </option>
          ))}
        </select>
      </div>
      {fields.map((f) => (
        <NumberField
          key={`${potential.kind}:${f.key}`}
          field={f}
          issues={validation.byKey.get(f.key) ?? []}
          onChange={(value) => specStore.setField(f.path, value)}
        />
      ))}
      {(potential.kind === 'lennard-jones' || potential.kind === 'morse') && (
        <div className="field">
          <label htmlFor={`${id}-shift`} title="Shift the energy so that V(cutoff) = 0 (forces unchanged)">
            shift
          </label>
          <input
            id={`${id}-shift`}
            type="checkbox"
            data-testid="potential-shift"
            checked={potential.shift ?? false}
            onChange={(e) => specStore.setField(['potential', 'shift'], e.target.checked)}
          />
        </div>
      )}
      {potential.kind === 'eam' && <EamPotentialFields />}
      {potential.kind === 'gnn' && <GnnPotentialFields />}
      {issues.length > 0 && (
        <ul className="issues" data-testid="potential-issues">
          {issues.map((i) => (
            <li key={`${i.path}:${i.message}`} role="alert">
              {i.path}: {i.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
