import { useApp } from '../appContext.ts';
import { useSpecState } from '../hooks/useSpecState.ts';
import { isInputIssue } from '../state/potentialFields.ts';
import { stageFields } from '../state/specFields.ts';
import { NumberField } from './NumberField.tsx';

/** Each stage's numeric parameters, with units, validated against the spec schema as they are typed. */
export function StageForm() {
  const { specStore } = useApp();
  const draft = useSpecState((s) => s.draft);
  const validation = useSpecState((s) => s.validation);
  const fields = stageFields(draft);
  const shown = new Set(fields.flat().map((f) => f.key));
  // Potential and system issues are shown in their own panels.
  const otherIssues = validation.issues.filter((i) => !shown.has(i.path) && !isInputIssue(i.path));

  return (
    <section className="panel stage-form" aria-labelledby="stage-form-title">
      <h2 id="stage-form-title">Stage parameters</h2>
      <p className="muted">Changes apply when you press Run.</p>
      {fields.map((stageFieldList, i) => {
        const stage = draft.stages[i];
        const title = stage?.name ?? `${i + 1}. ${String(stage?.kind ?? '').toUpperCase()}`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: a stage is identified by its position in the chain
          <fieldset key={`stage-${i}-${String(stage?.kind)}`} className="stage-fields">
            <legend>
              {i + 1}. {title} <span className="muted">({stage?.kind})</span>
            </legend>
            {stageFieldList.map((f) => (
              <NumberField
                key={f.key}
                field={f}
                issues={validation.byKey.get(f.key) ?? []}
                onChange={(value) => specStore.setField(f.path, value)}
              />
            ))}
          </fieldset>
        );
      })}
      {otherIssues.length > 0 && (
        <ul className="issues" data-testid="spec-issues">
          {otherIssues.map((i) => (
            <li key={`${i.path}:${i.message}`} role="alert">
              {i.path}: {i.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
