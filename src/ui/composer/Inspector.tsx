import type { ReactNode } from 'react';
import type { SpecIssue } from '../../io/spec.ts';
import { useApp } from '../appContext.ts';
import { LinkCapacityFields } from '../components/PlacementFields.tsx';
import { HookList, ParamInputs, StageFields } from '../components/StageFields.tsx';
import { useSpecState } from '../hooks/useSpecState.ts';
import { removeSegment, removeStage, splitFused, stageKey } from '../state/pipelineEdits.ts';
import { type SegmentForm, segmentFieldKeys, segmentForms } from '../state/segmentForms.ts';
import { isShownAt } from '../state/specFields.ts';
import { effectiveSelection, useComposerState, useComposerStore } from './composerState.ts';
import { issuesByNode, linkKey, relativePath, stageKindLabel, stageLabel } from './model.ts';

/** Problems of a node that no field of the form shows (graph rules, whole hooks, sub-stage lists). */
function Unplaced({ owner, issues, shown }: { owner: string; issues: SpecIssue[]; shown: Set<string> }) {
  const rest = issues.filter((i) => !isShownAt(i.path, shown));
  if (rest.length === 0) return null;
  return (
    <ul className="issues" data-testid={`inspector-issues-${owner}`}>
      {rest.map((i) => (
        <li key={i.path + i.message} role="alert">
          {relativePath(i.path, owner)}: {i.message}
        </li>
      ))}
    </ul>
  );
}

/**
 * The selected node's typed parameter form (units, defaults, inline validation): a stage's
 * parameters, hooks and criteria; a fused stage's max steps, entry and exit status and own hooks; a
 * pipe link's capacities under pipeline placement.
 */
export function ComposerInspector() {
  const { specStore } = useApp();
  const store = useComposerStore();
  const draft = useSpecState((s) => s.draft);
  const validation = useSpecState((s) => s.validation);
  const structure = useSpecState((s) => s.structure);
  const chosen = useComposerState((s) => s.selected);
  const selection = effectiveSelection(draft, chosen);
  const forms = segmentForms(draft);
  const issues = issuesByNode(validation.issues);
  const announce = (text: string) => store.setState((s) => ({ ...s, announcement: text }));

  let body: ReactNode;
  let heading = 'Inspector';
  if (selection === null) {
    body = <p className="muted">No stage yet: drag one from the palette onto the canvas.</p>;
  } else if (selection.type === 'link') {
    heading = `Pipe link ${selection.index + 1} → ${selection.index + 2}`;
    body = (
      <div data-testid="link-capacity-slot">
        <p className="muted">Capacities of this link (the receiving worker's inbox).</p>
        <LinkCapacityFields index={selection.index} />
        <Unplaced
          owner={linkKey(selection.index)}
          issues={issues.get(linkKey(selection.index)) ?? []}
          shown={new Set()}
        />
      </div>
    );
  } else if (selection.type === 'group') {
    const f = forms[selection.segment] as Extract<SegmentForm, { type: 'fused' }>;
    const key = stageKey({ segment: selection.segment, sub: null });
    heading = `Fused stage ${selection.segment + 1}`;
    const shown = new Set(segmentFieldKeys([{ ...f, stages: [] }]));
    body = (
      <div key={`${structure}:${key}:fused`} className="stage-fields" data-testid={`inspector-${key}`}>
        <p className="muted">
          {f.stages.map((s) => s.kind.toUpperCase()).join(' + ')}: one force evaluation per step; sub-stage i
          runs the systems with status i.
        </p>
        <ParamInputs fields={f.params} />
        <HookList form={f} />
        <Unplaced owner={key} issues={issues.get(key) ?? []} shown={shown} />
        <div className="inspector-tools">
          <button
            type="button"
            className="small"
            data-testid="split-group"
            onClick={() => {
              specStore.edit((d) => splitFused(d, selection.segment));
              announce('Split the fused stage into a pipe');
            }}
          >
            Split into a pipe
          </button>
          <button
            type="button"
            className="small"
            data-testid="remove-node"
            onClick={() => {
              specStore.edit((d) => removeSegment(d, selection.segment));
              announce('Removed the fused stage');
            }}
          >
            Remove fused stage
          </button>
        </div>
      </div>
    );
  } else {
    const a = selection.address;
    const seg = forms[a.segment];
    const form = seg?.type === 'stage' ? seg.stage : seg?.stages[a.sub ?? 0];
    const key = stageKey(a);
    if (!form) body = null;
    else {
      const label = stageLabel(draft, a);
      heading = `${label}`;
      const shown = new Set(segmentFieldKeys([{ type: 'stage', index: a.segment, title: '', stage: form }]));
      body = (
        <div
          key={`${structure}:${key}:${form.kind}`}
          className="stage-fields"
          data-testid={`inspector-${key}`}
        >
          <p className="muted">
            {stageKindLabel(form.kind)} ·{' '}
            {a.sub === null
              ? `stage ${a.segment + 1}`
              : `sub-stage ${a.sub + 1} (status ${a.sub}) of fused stage ${a.segment + 1}`}
          </p>
          <StageFields form={form} />
          <Unplaced owner={key} issues={issues.get(key) ?? []} shown={shown} />
          <div className="inspector-tools">
            <button
              type="button"
              className="small"
              data-testid="remove-node"
              onClick={() => {
                specStore.edit((d) => removeStage(d, a));
                announce(`Removed ${label}`);
              }}
            >
              Remove stage
            </button>
          </div>
        </div>
      );
    }
  }
  return (
    <section className="panel inspector" aria-labelledby="inspector-title" data-testid="inspector">
      <h2 id="inspector-title">{heading}</h2>
      {body}
    </section>
  );
}
