import { useId } from 'react';
import { useApp } from '../appContext.ts';
import { useRunActive } from '../hooks/useRunActive.ts';
import { useSpecState } from '../hooks/useSpecState.ts';
import {
  draftLinks,
  linkFields,
  linksNeeded,
  placementFor,
  placementIssueKeys,
  placementKind,
} from '../state/placementFields.ts';
import { ParamInputs } from './StageFields.tsx';
import './workers.css';

/**
 * The capacity of pipe link `index` (from the worker of segment `index` to that of `index + 1`):
 * systems, atoms and neighbor pairs in flight, typed and validated inline. Self-contained (reads and
 * writes the spec store), so that the composer can show it on a drawn link.
 */
export function LinkCapacityFields({ index, disabled = false }: { index: number; disabled?: boolean }) {
  const draft = useSpecState((s) => s.draft);
  const fields = linkFields(draft, index);
  if (fields.length === 0) return null;
  return (
    <fieldset className="link-capacity" data-testid={`link-capacity-${index}`}>
      <legend>
        Link {index + 1}: segment {index + 1} → {index + 2}
      </legend>
      <ParamInputs fields={fields} disabled={disabled} />
    </fieldset>
  );
}

/**
 * Where the segments run: one worker, or one worker per piped segment (systems pass from worker to
 * worker over links of fixed capacity). Problems of the placement as a whole are explained here.
 */
export function PlacementFields() {
  const { specStore } = useApp();
  const id = useId();
  const draft = useSpecState((s) => s.draft);
  const validation = useSpecState((s) => s.validation);
  const active = useRunActive();
  const kind = placementKind(draft);
  const links = draftLinks(draft);
  const needed = linksNeeded(draft);
  const issues = validation.issues.filter((i) => placementIssueKeys.includes(i.path));
  return (
    <div className="placement-fields" data-testid="placement-fields">
      <div className="field">
        <label
          htmlFor={`${id}-workers`}
          title="One worker runs every segment, or each segment runs on its own worker (own GPU device and batch) and systems are piped from one to the next"
        >
          workers
        </label>
        <select
          id={`${id}-workers`}
          data-testid="placement"
          value={kind}
          disabled={active}
          onChange={(e) =>
            specStore.setField(['placement'], placementFor(draft, e.target.value as 'single' | 'pipeline'))
          }
        >
          <option value="single">one</option>
          <option value="pipeline">one per piped segment</option>
        </select>
        <span className="unit" />
      </div>
      {kind === 'pipeline' &&
        links.map((_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a link is identified by its position between segments
          <LinkCapacityFields key={i} index={i} disabled={active} />
        ))}
      {issues.length > 0 && (
        <ul className="issues" data-testid="placement-issues">
          {issues.map((i) => (
            <li key={`${i.path}:${i.message}`} role="alert">
              {i.path}: {i.message}
            </li>
          ))}
        </ul>
      )}
      {kind === 'pipeline' && links.length !== needed && (
        <button
          type="button"
          className="small"
          data-testid="match-links"
          disabled={active}
          onClick={() => specStore.setField(['placement'], placementFor(draft, 'pipeline'))}
        >
          {needed === 1 ? 'Use 1 link' : `Use ${needed} links`} (one per pair of segments)
        </button>
      )}
    </div>
  );
}
