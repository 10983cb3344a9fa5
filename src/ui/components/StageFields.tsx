import type { HookKind } from '../../io/spec.ts';
import { useApp } from '../appContext.ts';
import { useSpecState } from '../hooks/useSpecState.ts';
import type { StageForm } from '../state/segmentForms.ts';
import type { CriterionKind } from '../state/specCatalog.ts';
import { criterionKindLabels, hookKindLabels, newCriterion, newHook } from '../state/specCatalog.ts';
import { issuesOf, type ParamField } from '../state/specFields.ts';
import { ItemList } from './ItemList.tsx';
import { ParamInput } from './ParamInput.tsx';

/** Parameters of a stage, segment or system, validated as typed. */
export function ParamInputs({ fields, disabled = false }: { fields: ParamField[]; disabled?: boolean }) {
  const { specStore } = useApp();
  const validation = useSpecState((s) => s.validation);
  return (
    <>
      {fields.map((f) => (
        <ParamInput
          key={f.key}
          field={f}
          issues={issuesOf(validation, f)}
          disabled={disabled}
          set={(value) => specStore.setField(f.path, value)}
        />
      ))}
    </>
  );
}

/** The hooks of a stage (or of a fused stage itself). */
export function HookList({ form }: { form: Pick<StageForm, 'hooks' | 'path'> }) {
  return (
    <ItemList
      title="Hooks"
      noun="hook"
      items={form.hooks}
      path={[...form.path, 'hooks']}
      kinds={hookKindLabels}
      create={(kind) => newHook(kind as HookKind)}
    />
  );
}

/** A stage's parameters, hooks and convergence criteria. */
export function StageFields({ form }: { form: StageForm }) {
  return (
    <>
      <ParamInputs fields={form.params} />
      <HookList form={form} />
      <ItemList
        title="Convergence (all must hold)"
        noun="criterion"
        items={form.criteria}
        path={[...form.path, 'convergence']}
        kinds={criterionKindLabels}
        create={(kind) => newCriterion(kind as CriterionKind)}
      />
    </>
  );
}
