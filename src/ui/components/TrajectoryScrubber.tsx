import { useTrajectoryState, useTrajectoryView } from '../trajectory/trajectoryContext.ts';
import { shownFrame, trajectorySystemIds } from '../trajectory/trajectoryView.ts';

/** Frame slider, step and time, and system choice of a loaded trajectory; hidden in the live view. */
export function TrajectoryScrubber() {
  const view = useTrajectoryView();
  const state = useTrajectoryState((s) => s);
  const trajectory = state.trajectory;
  if (!view || !trajectory) return null;
  const shown = shownFrame(state);
  const count = trajectory.frames.length;
  const systems = trajectorySystemIds(trajectory);
  return (
    <section
      className="panel trajectory-scrubber"
      aria-label="Loaded trajectory"
      data-testid="trajectory-scrubber"
    >
      <p>
        <strong data-testid="trajectory-name">{trajectory.name}</strong>{' '}
        <span className="muted">
          frame <span data-testid="trajectory-frame-index">{state.frame + 1}</span> of{' '}
          <span data-testid="trajectory-frame-count">{count}</span> · step{' '}
          <span data-testid="trajectory-step">{shown?.step}</span> · t ={' '}
          <span data-testid="trajectory-time">{shown ? (shown.time / 1000).toFixed(3) : '—'}</span> ps ·
          systems <span data-testid="trajectory-shown-systems">{shown?.systemIds.join(', ')}</span>
        </span>
      </p>
      <div className="scrubber-row">
        <input
          type="range"
          data-testid="trajectory-frame"
          aria-label="Frame"
          min={0}
          max={count - 1}
          step={1}
          value={state.frame}
          onChange={(e) => view.setFrame(Number(e.target.value))}
        />
        {systems.length > 1 && (
          <select
            data-testid="trajectory-system"
            aria-label="System shown"
            value={String(state.system)}
            onChange={(e) => view.setSystem(e.target.value === 'all' ? 'all' : Number(e.target.value))}
          >
            <option value="all">All systems (overlaid)</option>
            {systems.map((id) => (
              <option key={id} value={String(id)}>
                System {id}
              </option>
            ))}
          </select>
        )}
        <button type="button" data-testid="trajectory-close" onClick={() => view.close()}>
          Back to live view
        </button>
      </div>
    </section>
  );
}
