import { useId } from 'react';
import { useApp } from '../appContext.ts';
import { useInputsState } from '../hooks/useInputsState.ts';
import { useRunActive } from '../hooks/useRunActive.ts';
import { useRunState } from '../hooks/useRunState.ts';
import { useSpecState } from '../hooks/useSpecState.ts';
import { batchingProblem } from '../inputs/workspace.ts';
import { isShownAt } from '../state/specFields.ts';
import { batchingFields, clustersFields } from '../state/systemFields.ts';
import { ElementMapping } from './ElementMapping.tsx';
import { FilePicker } from './FilePicker.tsx';
import { PlacementFields } from './PlacementFields.tsx';
import { ParamInputs } from './StageFields.tsx';
import { StructureSummary } from './StructureSummary.tsx';
import { UploadError } from './UploadError.tsx';

/** Accepted structure files (also by drag and drop onto the viewer). */
export const STRUCTURE_ACCEPT = '.xyz,.extxyz,.data,.lmp,.lammps,text/plain';

/** Inflight batching on or off, and its limits. */
function BatchingFields() {
  const { workspace } = useApp();
  const id = useId();
  const draft = useSpecState((s) => s.draft);
  const active = useRunActive();
  const loadedAtoms = useRunState((s) => s.nAtoms);
  const fields = batchingFields(draft);
  const problem = batchingProblem(draft.system, draft.batching, loadedAtoms);
  return (
    <div className="batching">
      <div className="field">
        <label
          htmlFor={`${id}-batching`}
          title="At most max systems and max atoms on the GPU at once; waiting systems fill the slots of those that left"
        >
          batching
        </label>
        <input
          id={`${id}-batching`}
          type="checkbox"
          data-testid="batching"
          checked={draft.batching !== undefined}
          disabled={active}
          onChange={(e) => workspace.setBatching(e.target.checked)}
        />
        <span className="unit" />
      </div>
      <ParamInputs fields={fields} disabled={active} />
      {problem && (
        <p className="hint" role="status" data-testid="batching-problem">
          {problem}
        </p>
      )}
    </div>
  );
}

/** The random clusters' parameters, and a button to show them before running. */
function ClustersFields() {
  const { workspace } = useApp();
  const draft = useSpecState((s) => s.draft);
  const valid = useSpecState((s) => s.validation.ok);
  const active = useRunActive();
  return (
    <div className="clusters-fields" data-testid="clusters-fields">
      <ParamInputs fields={clustersFields(draft)} disabled={active} />
      <button
        type="button"
        className="small"
        data-testid="load-system"
        disabled={active || !valid}
        title={valid ? 'Build these clusters and show them' : 'Fix the invalid parameters first'}
        onClick={() => void workspace.reloadSystem()}
      >
        Show these clusters
      </button>
    </div>
  );
}

/**
 * The atoms: the built-in example, random clusters (one system each) or an uploaded structure, its
 * summary and element mapping; inflight batching.
 */
export function SystemPanel() {
  const { workspace } = useApp();
  const id = useId();
  const uploaded = useInputsState((s) => s.structure !== null);
  const system = useSpecState((s) => s.draft.system);
  const draft = useSpecState((s) => s.draft);
  const validation = useSpecState((s) => s.validation);
  const active = useRunActive();
  const shown = new Set([...clustersFields(draft), ...batchingFields(draft)].map((f) => f.key));
  const issues = validation.issues.filter(
    (i) => (i.path.startsWith('system') || i.path.startsWith('batching')) && !isShownAt(i.path, shown),
  );

  return (
    <section className="panel system-panel" aria-labelledby="system-title">
      <h2 id="system-title">System</h2>
      <div className="field">
        <label htmlFor={`${id}-kind`}>atoms</label>
        <select
          id={`${id}-kind`}
          data-testid="system-kind"
          value={system.kind}
          disabled={active}
          onChange={(e) => {
            if (e.target.value === 'fcc') void workspace.chooseExample();
            else if (e.target.value === 'clusters') void workspace.chooseClusters();
          }}
        >
          <option value="fcc">built-in example (fcc crystal)</option>
          <option value="clusters">random clusters (one system each)</option>
          {system.kind === 'file' && <option value="file">uploaded: {system.file}</option>}
        </select>
        <span className="unit" />
      </div>
      <FilePicker
        label="Upload structure (XYZ, extXYZ, LAMMPS data; or drop it on the view)"
        accept={STRUCTURE_ACCEPT}
        testId="structure-input"
        disabled={active}
        onFiles={(files) => void workspace.uploadStructure(files[0]!)}
      />
      <UploadError target="structure" />
      {uploaded && (
        <button
          type="button"
          data-testid="use-example"
          disabled={active}
          onClick={() => void workspace.chooseExample()}
        >
          Use the built-in example
        </button>
      )}
      {active && <p className="hint">Stop the run to change the system.</p>}
      {system.kind === 'clusters' && <ClustersFields />}
      <StructureSummary />
      <ElementMapping />
      <BatchingFields />
      <PlacementFields />
      {issues.length > 0 && (
        <ul className="issues" data-testid="system-issues">
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
