import { useRunState } from '../hooks/useRunState.ts';
import { RunProgress } from './RunProgress.tsx';
import { RunWarnings } from './RunWarnings.tsx';
import { StageList } from './StageList.tsx';

function fmt(value: number | null, digits: number): string {
  return value === null || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

const phaseLabel: Record<string, string> = {
  detecting: 'checking WebGPU…',
  unsupported: 'WebGPU unavailable',
  loading: 'loading…',
  ready: 'ready',
  running: 'running',
  paused: 'paused',
  ended: 'ended',
};

/** Atom-steps per second in engineering notation, e.g. `1.23e7`. */
function rate(value: number): string {
  return Number.isFinite(value) ? value.toExponential(2).replace('e+', 'e') : '—';
}

/**
 * Current stage, step, systems (resident and waiting with batching), throughput, energies,
 * temperature and max force, with units; the engine's warnings below.
 */
export function StatusPanel() {
  const s = useRunState((state) => state);
  const stageName = s.stageIndex >= 0 ? (s.stages[s.stageIndex] ?? '') : '—';
  return (
    <section className="panel status" aria-labelledby="status-title">
      <h2 id="status-title">Status</h2>
      <p>
        <span data-testid="run-phase">{phaseLabel[s.phase]}</span>
        {s.endReason && <span data-testid="end-reason"> ({s.endReason})</span>}
        {s.nAtoms > 0 && (
          <span className="muted">
            {' '}
            · <span data-testid="atom-count">{s.nAtoms}</span> atoms · {s.adapter}
          </span>
        )}
      </p>
      <StageList />
      <RunProgress />
      <dl className="readouts">
        <dt>Stage</dt>
        <dd>
          <span data-testid="stage-name">{stageName}</span>{' '}
          <span className="muted" data-testid="stage-index">
            {s.stageIndex >= 0 ? `${s.stageIndex + 1} of ${s.stages.length}` : ''}
          </span>
        </dd>
        {s.nSystems > 1 && (
          <>
            <dt>Systems</dt>
            <dd data-testid="systems">
              {s.nSystems}
              {s.batch && (
                <span className="muted" data-testid="batch">
                  {' '}
                  · {s.batch.resident} resident ({s.batch.residentAtoms} atoms) · {s.batch.waiting} waiting
                </span>
              )}
            </dd>
          </>
        )}
        <dt>Step</dt>
        <dd data-testid="step">{s.step}</dd>
        {s.timing && s.timing.stage === s.stageIndex && (
          <>
            <dt>Throughput</dt>
            <dd data-testid="timing">
              <span data-testid="ms-per-step">{fmt(s.timing.msPerStep, 3)}</span> ms/step ·{' '}
              <span data-testid="atom-steps-per-second">{rate(s.timing.atomStepsPerSecond)}</span>{' '}
              atom-steps/s
            </dd>
          </>
        )}
        <dt>Time</dt>
        <dd>
          <span data-testid="time">{fmt(s.time / 1000, 3)}</span> ps
        </dd>
        <dt>Potential energy</dt>
        <dd>
          <span data-testid="potential-energy">{fmt(s.potentialEnergy, 4)}</span> eV
        </dd>
        <dt>Kinetic energy</dt>
        <dd>
          <span data-testid="kinetic-energy">{fmt(s.kineticEnergy, 4)}</span> eV
        </dd>
        <dt>Temperature</dt>
        <dd>
          <span data-testid="temperature">{fmt(s.temperature, 2)}</span> K
        </dd>
        <dt>Max force</dt>
        <dd>
          <span data-testid="max-force">{fmt(s.maxForce, 5)}</span> eV/Å
        </dd>
        <dt>Last snapshot</dt>
        <dd>
          {s.lastSnapshotStep === null ? (
            '—'
          ) : (
            <>
              step <span data-testid="last-snapshot">{s.lastSnapshotStep}</span>
            </>
          )}
        </dd>
        <dt title="Cross-origin isolation (COOP/COEP headers): workers may share memory (SharedArrayBuffer)">
          Isolation
        </dt>
        <dd
          data-testid="cross-origin-isolated"
          data-isolated={String(globalThis.crossOriginIsolated === true)}
        >
          {globalThis.crossOriginIsolated === true
            ? 'cross-origin isolated (workers can share memory)'
            : 'not isolated (workers exchange copies of messages)'}
        </dd>
      </dl>
      {s.nan && (
        <p className="nan-detected" data-testid="nan-detected" title={s.nan.message}>
          NaN at step {s.nan.step}, system {s.nan.system}
          {s.nan.atom >= 0 ? `, atom ${s.nan.atom}` : ''}
        </p>
      )}
      <RunWarnings />
      {s.restoredFrom && (
        <p className="muted">
          Restarted from the snapshot at step <span data-testid="restored-step">{s.restoredFrom.step}</span>.
        </p>
      )}
    </section>
  );
}
