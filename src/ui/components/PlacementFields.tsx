import { useId } from 'react';
import { useApp } from '../appContext.ts';
import { useInputsState } from '../hooks/useInputsState.ts';
import { useRunActive } from '../hooks/useRunActive.ts';
import { useRunState } from '../hooks/useRunState.ts';
import { useSpecState } from '../hooks/useSpecState.ts';
import {
  type DomainGeometry,
  domainGeometry,
  draftCell,
  draftCutoff,
  draftGrid,
  draftLinks,
  draftSkin,
  gridFields,
  linkFields,
  linksNeeded,
  type PlacementKind,
  placementFor,
  placementIssueKeys,
  placementKind,
} from '../state/placementFields.ts';
import { ParamInputs } from './StageFields.tsx';
import './workers.css';

const AXES = ['a', 'b', 'c'];
const len = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

/** The cell and cutoff the draft's domain split works with (uploads and the loaded run included). */
function useDomainGeometry(): DomainGeometry | null {
  const draft = useSpecState((s) => s.draft);
  const uploaded = useInputsState((s) => s.structure);
  const eam = useInputsState((s) => s.eam);
  const loadedCell = useRunState((s) => s.cell);
  const grid = draftGrid(draft);
  if (!grid) return null;
  const cell = draftCell(draft, uploaded?.structure.cell ?? null, loadedCell);
  const cutoff = draftCutoff(draft, eam ? eam.files.map((f) => f.cutoff) : null);
  return domainGeometry(grid, cell, cutoff, draftSkin(draft));
}

/**
 * The worker grid of a domain split: Px, Py, Pz typed and validated inline, the thickness of a
 * subdomain in Å, and a warning when a subdomain is thinner than the ghost cutoff (multi-hop swaps).
 */
export function DomainGridFields({ disabled = false }: { disabled?: boolean }) {
  const draft = useSpecState((s) => s.draft);
  const geometry = useDomainGeometry();
  const fields = gridFields(draft);
  if (fields.length === 0) return null;
  return (
    <fieldset className="domain-grid" data-testid="domain-grid">
      <legend>Worker grid (one system split into Px × Py × Pz boxes)</legend>
      <ParamInputs fields={fields} disabled={disabled} />
      {geometry ? (
        <p className="muted" data-testid="domain-subdomain">
          {geometry.workers} workers · subdomain{' '}
          <span data-testid="domain-subdomain-size">{geometry.subdomain.map(len).join(' × ')}</span> Å
          {geometry.ghostCutoff !== null
            ? ` · ghost cutoff ${len(geometry.ghostCutoff)} Å (potential cutoff + skin)`
            : ' · ghost cutoff known once the potential file is uploaded'}
        </p>
      ) : (
        <p className="muted" data-testid="domain-subdomain">
          Subdomain size: known once the grid is valid and the system is loaded.
        </p>
      )}
      {geometry && geometry.thinAxes.length > 0 && geometry.hops && (
        <p className="hint" role="status" data-testid="domain-thin">
          ⚠ A subdomain is thinner than the ghost cutoff ({len(geometry.ghostCutoff ?? 0)} Å) along{' '}
          {geometry.thinAxes
            .map(
              (a) => `${AXES[a]} (${len(geometry.subdomain[a]!)} Å: ghosts over ${geometry.hops![a]} hops)`,
            )
            .join(', ')}
          . Multi-hop swaps make it work, but each exchange is slower: fewer workers along{' '}
          {geometry.thinAxes.map((a) => AXES[a]).join(', ')} would be faster.
        </p>
      )}
    </fieldset>
  );
}

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
  const loadedCell = useRunState((s) => s.cell);
  const uploaded = useInputsState((s) => s.structure);
  const kind = placementKind(draft);
  const links = draftLinks(draft);
  const needed = linksNeeded(draft);
  const issues = validation.issues.filter((i) => placementIssueKeys.includes(i.path));
  return (
    <div className="placement-fields" data-testid="placement-fields">
      <div className="field">
        <label
          htmlFor={`${id}-workers`}
          title="One worker runs every segment; or each segment runs on its own worker (own GPU device and batch) and systems are piped from one to the next; or one system is split into boxes over a grid of workers that exchange ghost atoms"
        >
          workers
        </label>
        <select
          id={`${id}-workers`}
          data-testid="placement"
          value={kind}
          disabled={active}
          onChange={(e) =>
            specStore.setField(
              ['placement'],
              placementFor(
                draft,
                e.target.value as PlacementKind,
                draftCell(draft, uploaded?.structure.cell ?? null, loadedCell),
              ),
            )
          }
        >
          <option value="single">one</option>
          <option value="pipeline">one per piped segment</option>
          <option value="domain">one system split over a worker grid</option>
        </select>
        <span className="unit" />
      </div>
      {kind === 'domain' && <DomainGridFields disabled={active} />}
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
