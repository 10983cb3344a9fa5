import { useApp } from '../appContext.ts';
import { useRunState } from '../hooks/useRunState.ts';
import { reduceRunState } from '../state/runState.ts';

/** The engine's warnings (energy drift, step limit reached, ...), newest first, with the step and source. */
export function RunWarnings() {
  const { runStore } = useApp();
  const warnings = useRunState((s) => s.warnings);
  const total = useRunState((s) => s.warningCount);
  if (warnings.length === 0) return null;
  return (
    <div className="run-warnings" role="status" data-testid="warnings">
      <p className="run-warnings-head">
        <strong>
          {total} warning{total === 1 ? '' : 's'}
        </strong>
        {total > warnings.length && <span className="muted"> (the newest {warnings.length} shown)</span>}{' '}
        <button
          type="button"
          className="small"
          onClick={() => runStore.setState((s) => reduceRunState(s, { type: 'page/dismiss-warnings' }))}
        >
          Dismiss
        </button>
      </p>
      <ul>
        {warnings.map((w, k) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: warnings have no identity beyond their order
          <li key={`${k}:${w.step}:${w.source}`} data-testid="warning">
            <span className="muted">
              step {w.step} · {w.source}
              {w.system !== undefined ? ` · system ${w.system}` : ''}:
            </span>{' '}
            {w.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
