import { useApp } from '../appContext.ts';
import { useSpecState } from '../hooks/useSpecState.ts';
import {
  canFuse,
  fuseWithNext,
  insertSegment,
  moveSegment,
  removeSegment,
  splitFused,
} from '../state/pipelineEdits.ts';
import { isInputIssue } from '../state/potentialFields.ts';
import { type SegmentForm, segmentFieldKeys, segmentForms } from '../state/segmentForms.ts';
import { newStage, type StageKind, stageKindLabels } from '../state/specCatalog.ts';
import { isShownAt } from '../state/specFields.ts';
import { HookList, ParamInputs, StageFields } from './StageFields.tsx';

/** Move, fuse, split and remove buttons of segment `index` of `count`. */
function SegmentTools({ form, count }: { form: SegmentForm; count: number }) {
  const { specStore } = useApp();
  const draft = useSpecState((s) => s.draft);
  const i = form.index;
  const edit = specStore.edit;
  return (
    <div className="segment-tools">
      <button
        type="button"
        className="small"
        data-testid={`move-up-${i}`}
        disabled={i === 0}
        title="Run this stage earlier"
        aria-label={`Move stage ${i + 1} up`}
        onClick={() => edit((d) => moveSegment(d, i, -1))}
      >
        ↑
      </button>
      <button
        type="button"
        className="small"
        data-testid={`move-down-${i}`}
        disabled={i === count - 1}
        title="Run this stage later"
        aria-label={`Move stage ${i + 1} down`}
        onClick={() => edit((d) => moveSegment(d, i, 1))}
      >
        ↓
      </button>
      <button
        type="button"
        className="small"
        data-testid={`fuse-${i}`}
        disabled={!canFuse(draft, i)}
        title="Fuse with the next stage: one force evaluation per step, each system in one sub-stage at a time"
        onClick={() => edit((d) => fuseWithNext(d, i))}
      >
        fuse with next
      </button>
      {form.type === 'fused' && (
        <button
          type="button"
          className="small"
          data-testid={`split-${i}`}
          title="Split into stages run one after the other (the fused stage's own hooks go to the first)"
          onClick={() => edit((d) => splitFused(d, i))}
        >
          split
        </button>
      )}
      <button
        type="button"
        className="small"
        data-testid={`remove-segment-${i}`}
        title="Remove this stage"
        aria-label={`Remove stage ${i + 1}`}
        onClick={() => edit((d) => removeSegment(d, i))}
      >
        ✕
      </button>
    </div>
  );
}

function kindsOf(form: SegmentForm): string {
  return form.type === 'fused' ? `fused: ${form.stages.map((s) => s.kind).join(' + ')}` : form.stage.kind;
}

/**
 * The pipeline's segments with their parameters, hooks and convergence criteria (fused stages with
 * their max steps, entry and exit status and each sub-stage), validated against the spec schema as
 * they are typed; buttons add, move, fuse, split and remove segments.
 */
export function StageForm() {
  const { specStore } = useApp();
  const draft = useSpecState((s) => s.draft);
  const validation = useSpecState((s) => s.validation);
  const structure = useSpecState((s) => s.structure);
  const forms = segmentForms(draft);
  const shown = new Set(segmentFieldKeys(forms));
  // Potential, system and batching issues are shown in their own panels.
  const otherIssues = validation.issues.filter((i) => !isShownAt(i.path, shown) && !isInputIssue(i.path));

  return (
    <section className="panel stage-form" aria-labelledby="stage-form-title">
      <h2 id="stage-form-title">Stages</h2>
      <p className="muted">Run one after the other; changes apply when you press Run.</p>
      {forms.map((f) => (
        <fieldset
          key={`${structure}:${f.index}:${kindsOf(f)}`}
          className={`stage-fields segment${f.type === 'fused' ? ' fused' : ''}`}
          data-testid={`segment-${f.index}`}
        >
          <legend>
            {f.title.startsWith(`${f.index + 1}. `) ? f.title : `${f.index + 1}. ${f.title}`}{' '}
            <span className="muted">({kindsOf(f)})</span>
          </legend>
          <SegmentTools form={f} count={forms.length} />
          {f.type === 'stage' ? (
            <StageFields form={f.stage} />
          ) : (
            <>
              <ParamInputs fields={f.params} />
              <HookList form={f} />
              {f.stages.map((sub, j) => (
                <fieldset
                  key={sub.key}
                  className="stage-fields sub-stage"
                  data-testid={`sub-stage-${sub.key}`}
                >
                  <legend>
                    {sub.title}{' '}
                    <span className="muted">
                      (status {j}, {sub.kind})
                    </span>
                  </legend>
                  <StageFields form={sub} />
                </fieldset>
              ))}
            </>
          )}
        </fieldset>
      ))}
      <div className="field add-stage">
        <label htmlFor="add-stage">add</label>
        <select
          id="add-stage"
          data-testid="add-stage"
          value=""
          onChange={(e) => {
            const kind = e.target.value as StageKind | '';
            if (kind) specStore.edit((d) => insertSegment(d, newStage(kind)));
          }}
        >
          <option value="">+ add a stage…</option>
          {Object.entries(stageKindLabels).map(([kind, label]) => (
            <option key={kind} value={kind}>
              {label}
            </option>
          ))}
        </select>
      </div>
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
