import { useRunState } from '../hooks/useRunState.ts';
import { fill, type WorkerRow, workerStateLabel } from '../state/workerState.ts';
import { DomainPanel } from './DomainPanel.tsx';
import './workers.css';

/** Engineering notation, e.g. `1.23e7`; `—` before the first report. */
function rate(value: number): string {
  if (!Number.isFinite(value) || value === 0) return '—';
  return value >= 100 ? value.toExponential(2).replace('e+', 'e') : value.toFixed(1);
}

/** A labelled meter with its numbers as text (the bar alone never carries the information). */
function FillMeter({
  label,
  used,
  capacity,
  testId,
}: {
  label: string;
  used: number;
  capacity: number;
  testId: string;
}) {
  const text = capacity > 0 ? `${used} / ${capacity}` : `${used}`;
  return (
    <div className="worker-meter">
      <span className="worker-meter-label">{label}</span>
      <meter
        min={0}
        max={Math.max(capacity, 1)}
        value={Math.min(used, Math.max(capacity, 1))}
        aria-label={`${label}: ${text}`}
        data-testid={testId}
        data-fill={fill(used, capacity).toFixed(3)}
      />
      <span className="worker-meter-text">{text}</span>
    </div>
  );
}

function WorkerCard({ row }: { row: WorkerRow }) {
  const failed = row.state === 'failed';
  const summary =
    `Worker ${row.worker + 1}, stage ${row.stage + 1} ${row.name}: ${workerStateLabel[row.state]}; ` +
    `${row.resident} of ${row.maxSystems} systems, ${row.residentAtoms} of ${row.maxAtoms} atoms resident; ` +
    `inbox ${row.inbox}, outbox ${row.outbox}; received ${row.received}, sent ${row.sent}`;
  return (
    <li
      className={`worker-card state-${row.state}`}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a keyboard user reaches each worker's card and hears its summary
      tabIndex={0}
      aria-label={summary}
      data-testid={`worker-${row.worker}`}
      data-state={row.state}
    >
      <div className="worker-head">
        <strong>Worker {row.worker + 1}</strong>
        <span data-testid={`worker-${row.worker}-stage`}>
          stage {row.stage + 1}: {row.name}
        </span>
        <span className="worker-state" data-testid={`worker-${row.worker}-state`}>
          {failed ? '⚠ ' : ''}
          {workerStateLabel[row.state]}
        </span>
      </div>
      <FillMeter
        label="systems"
        used={row.resident}
        capacity={row.maxSystems}
        testId={`worker-${row.worker}-fill-systems`}
      />
      <FillMeter
        label="atoms"
        used={row.residentAtoms}
        capacity={row.maxAtoms}
        testId={`worker-${row.worker}-fill-atoms`}
      />
      <dl className="worker-counts">
        <dt title="Systems received, not yet admitted into the batch">inbox</dt>
        <dd data-testid={`worker-${row.worker}-inbox`}>{row.inbox}</dd>
        <dt title="Systems finished here, not yet accepted downstream (back-pressure)">outbox</dt>
        <dd data-testid={`worker-${row.worker}-outbox`}>{row.outbox}</dd>
        <dt title="Systems so far that waited in their slot for room downstream">held back</dt>
        <dd data-testid={`worker-${row.worker}-held-back`}>{row.heldBack}</dd>
        <dt title="Systems received from upstream (worker 1: from the sampler)">received</dt>
        <dd data-testid={`worker-${row.worker}-received`}>{row.received}</dd>
        <dt title="Systems sent downstream (last worker: delivered)">sent</dt>
        <dd data-testid={`worker-${row.worker}-sent`}>{row.sent}</dd>
        <dt>systems/s</dt>
        <dd data-testid={`worker-${row.worker}-systems-per-second`}>{rate(row.systemsPerSecond)}</dd>
        <dt>atom-steps/s</dt>
        <dd data-testid={`worker-${row.worker}-atom-steps-per-second`}>{rate(row.atomStepsPerSecond)}</dd>
      </dl>
      {row.residentRange && (
        <p className="muted worker-range" data-testid={`worker-${row.worker}-range`}>
          resident so far: {row.residentRange[0]}–{row.residentRange[1]} systems
        </p>
      )}
      {row.failure && (
        <p className="worker-failure" role="alert" data-testid={`worker-${row.worker}-failure`}>
          {row.failure.reason}: {row.failure.message}
        </p>
      )}
    </li>
  );
}

/**
 * The workers of a pipeline run (placement `pipeline`: one worker per segment): per worker its stage,
 * state, batch fill, inbox and outbox, systems received and sent and its throughput; the systems
 * delivered at the end of the pipeline. A domain run (one system over a grid of workers) shows its
 * ranks instead ({@link DomainPanel}). Hidden for runs on one worker.
 */
export function WorkersPanel() {
  const workers = useRunState((s) => s.workers);
  const nSystems = useRunState((s) => s.nSystems);
  const domain = useRunState((s) => s.domain);
  if (domain) return <DomainPanel domain={domain} />;
  if (!workers) return null;
  return (
    <section className="panel workers-panel" aria-labelledby="workers-title" data-testid="workers-panel">
      <h2 id="workers-title">Workers</h2>
      <p>
        Delivered: <strong data-testid="workers-delivered">{workers.delivered}</strong> of {nSystems} systems
        {workers.duplicates > 0 && (
          <span className="worker-failure" data-testid="workers-duplicates">
            {' '}
            ({workers.duplicates} delivered twice)
          </span>
        )}
      </p>
      <ol className="worker-list" aria-label="Pipeline workers">
        {workers.rows.map((row) => (
          <WorkerCard key={row.worker} row={row} />
        ))}
      </ol>
    </section>
  );
}
