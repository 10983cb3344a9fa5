import { useId } from 'react';
import { describeShippedModel, SHIPPED_GNN_MODELS, shippedGnnModel } from '../../io/models.ts';
import { useApp } from '../appContext.ts';
import { useInputsState } from '../hooks/useInputsState.ts';
import { useRunActive } from '../hooks/useRunActive.ts';
import { useSpecState } from '../hooks/useSpecState.ts';
import { FilePicker } from './FilePicker.tsx';
import { UploadError } from './UploadError.tsx';
import './gnn.css';

/** Formats a metric of a model's provenance (names like `energyMae_meV_per_atom`). */
function metricLine(metrics: Record<string, number>): string {
  const e = metrics.energyMae_meV_per_atom;
  const f = metrics.forceMae_meV_per_A;
  const parts: string[] = [];
  if (e !== undefined) parts.push(`energy MAE ${e.toFixed(2)} meV/atom`);
  if (f !== undefined) parts.push(`force MAE ${f.toFixed(1)} meV/Å`);
  if (parts.length === 0)
    parts.push(
      ...Object.entries(metrics)
        .slice(0, 3)
        .map(([k, v]) => `${k} ${v}`),
    );
  return parts.join(', ');
}

/**
 * GNN: a shipped model (fetched when chosen) or an uploaded pair `<name>.json` + `<name>.safetensors`
 * (kept for the next visit), with what the chosen model is: elements, cutoff, sel, widths, accuracy.
 */
export function GnnPotentialFields() {
  const { workspace } = useApp();
  const id = useId();
  const potential = useSpecState((s) => s.draft.potential);
  const models = useInputsState((s) => s.gnnModels);
  const loading = useInputsState((s) => s.gnnLoading);
  const active = useRunActive();
  const chosen = potential.kind === 'gnn' ? potential.model : '';
  const uploaded = Object.values(models).filter((m) => m.origin === 'uploaded');
  const entry = models[chosen];
  const c = entry?.model.config;
  return (
    <div className="gnn-fields">
      <div className="field">
        <label htmlFor={`${id}-model`}>model</label>
        <select
          id={`${id}-model`}
          data-testid="gnn-model"
          value={chosen}
          disabled={active}
          onChange={(e) => void workspace.chooseGnnModel(e.target.value)}
        >
          {!shippedGnnModel(chosen) && !models[chosen] && (
            <option value={chosen}>{chosen ? `${chosen} (not loaded)` : '(choose a model)'}</option>
          )}
          <optgroup label="Shipped">
            {SHIPPED_GNN_MODELS.map((m) => (
              <option key={m.name} value={m.name} title={m.title}>
                {m.name}: {describeShippedModel(m)}
              </option>
            ))}
          </optgroup>
          {uploaded.length > 0 && (
            <optgroup label="Uploaded">
              {uploaded.map((m) => (
                <option key={m.name} value={m.name}>
                  {m.name}: {m.model.config.elements.join(', ')}; rcut {m.model.config.rcut} Å
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </div>
      <FilePicker
        label="Upload a model: its .json and .safetensors together"
        accept=".json,.safetensors"
        multiple
        testId="gnn-input"
        disabled={active}
        onFiles={(files) => void workspace.uploadGnnModel(files)}
      />
      <UploadError target="potential" />
      {loading === chosen && loading !== null ? (
        <p className="muted" data-testid="gnn-loading">
          Loading {loading} …
        </p>
      ) : c ? (
        <dl className="gnn-model" data-testid="gnn-model-info">
          <dt>elements</dt>
          <dd data-testid="gnn-elements">{c.elements.join(', ')}</dd>
          <dt>cutoff</dt>
          <dd>
            {c.rcut} Å (switch from {c.rcutSmooth} Å), sel {c.sel}
          </dd>
          <dt>architecture</dt>
          <dd>
            {c.nLayers} layers, node width {c.nDim}, edge width {c.eDim}, hidden [{c.hidden.join(', ')}]
          </dd>
          <dt>accuracy</dt>
          <dd>{metricLine(c.provenance.metrics) || 'not stated'}</dd>
          <dt>trained on</dt>
          <dd className="gnn-provenance" title={c.provenance.trainingData}>
            {c.provenance.trainingData}
          </dd>
          <dt>files</dt>
          <dd>
            {entry.files.config} + {entry.files.tensors} ({entry.origin})
          </dd>
        </dl>
      ) : (
        <p className="muted">No model loaded yet.</p>
      )}
    </div>
  );
}
