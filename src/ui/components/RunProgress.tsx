import { useMemo } from 'react';
import { useRunState } from '../hooks/useRunState.ts';
import { runProgress } from '../state/runProgress.ts';
import '../viewer/viewer.css';

function Bar({
  label,
  now,
  max,
  text,
  testId,
}: {
  label: string;
  now: number;
  max: number;
  text: string;
  testId: string;
}) {
  const fraction = max > 0 ? Math.min(1, Math.max(0, now / max)) : 0;
  return (
    <div
      className="progress-bar"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={now}
      aria-valuetext={text}
      data-testid={testId}
    >
      <span className="fill" style={{ width: `${(100 * fraction).toFixed(1)}%` }} />
      <span className="text">{text}</span>
    </div>
  );
}

/**
 * One progress bar of steps per stage (steps done / budget), and with several systems one of systems
 * done / total with how many wait, run and converged.
 */
export function RunProgress() {
  const state = useRunState((s) => s);
  const progress = useMemo(() => runProgress(state), [state]);
  const many = state.nSystems > 1;
  if (progress.length === 0) return null;
  return (
    <div className="run-progress" data-testid="run-progress">
      {progress.map((p, k) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a stage is identified by its position in the pipeline
        <div key={`${k}:${p.name}`} className={`stage-progress ${p.state}`}>
          <span className="stage-progress-name">{p.name}</span>
          <Bar
            label={`${p.name}: steps`}
            now={p.steps}
            max={p.budget}
            text={`${p.steps} / ${p.budget} steps${p.state === 'done' ? ' (done)' : ''}`}
            testId={`progress-steps-${k}`}
          />
          {many && (
            <Bar
              label={`${p.name}: systems done`}
              now={p.done}
              max={p.total}
              text={`${p.done} / ${p.total} done · ${p.running} running · ${p.waiting} waiting · ${p.converged} converged`}
              testId={`progress-systems-${k}`}
            />
          )}
        </div>
      ))}
    </div>
  );
}
