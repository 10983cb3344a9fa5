import { logRecordsToCsv } from '../../engine/hooks/logCsv.ts';
import { useApp } from '../appContext.ts';
import type { TrajectoryInfo } from '../engine/engineClient.ts';
import { useRunState } from '../hooks/useRunState.ts';
import { useSpecState } from '../hooks/useSpecState.ts';
import { useStore } from '../hooks/useStore.ts';
import { createStore } from '../state/createStore.ts';
import { recordingEdits, recordsTrajectory, snapshotHooks } from '../trajectory/recording.ts';
import { fileBase, saveBlob } from '../trajectory/saveBlob.ts';
import { useTrajectoryState, useTrajectoryView } from '../trajectory/trajectoryContext.ts';
import { FilePicker } from './FilePicker.tsx';

const noTrajectory = createStore<TrajectoryInfo>(null);

/**
 * The run's trajectory: record snapshots to Zarr (written to the browser's private file system as the
 * run goes), download it as `.zarr.zip` and the log as CSV, and load a `.zarr.zip` back into the view.
 */
export function TrajectoryPanel() {
  const { client, specStore } = useApp();
  const view = useTrajectoryView();
  const phase = useRunState((s) => s.phase);
  const hasLog = useRunState((s) => s.potentialEnergy !== null);
  const draft = useSpecState((s) => s.draft);
  const specName = useSpecState((s) => s.lastValid.name ?? 'run');
  const info = useStore(client?.trajectory ?? noTrajectory, (s) => s);
  const error = useTrajectoryState((s) => s.error);
  const loading = useTrajectoryState((s) => s.loading);

  const hooks = snapshotHooks(draft);
  const recording = recordsTrajectory(draft);
  const running = phase === 'running';
  const frames = info?.frames ?? 0;
  const reason =
    frames === 0
      ? recording
        ? 'No frames written yet: run the chain.'
        : 'No trajectory: tick “Record snapshots to Zarr” and run.'
      : running
        ? 'Pause or stop the run to download it.'
        : null;

  const setRecording = (record: boolean) => {
    for (const edit of recordingEdits(draft, record)) specStore.setField(edit.path, edit.value);
  };
  const downloadTrajectory = async () => {
    const exported = await client?.exportTrajectory();
    if (exported) saveBlob(exported.blob, `${fileBase(specName)}.zarr.zip`);
  };
  const downloadLog = () => {
    if (!client) return;
    const csv = logRecordsToCsv(client.logRecords());
    saveBlob(new Blob([csv], { type: 'text/csv' }), `${fileBase(specName)}-log.csv`);
  };

  return (
    <section className="panel trajectory-panel" aria-labelledby="trajectory-title">
      <h2 id="trajectory-title">Trajectory</h2>
      <label className="checkbox">
        <input
          type="checkbox"
          data-testid="record-zarr"
          checked={recording}
          disabled={hooks.length === 0 || running || phase === 'paused'}
          onChange={(e) => setRecording(e.target.checked)}
        />{' '}
        Record snapshots to Zarr
      </label>
      <p className="muted">
        {hooks.length === 0
          ? 'Add a snapshot hook to a stage to record frames.'
          : 'Frames go to the browser’s private file system as the run goes; a reload keeps what was written.'}
      </p>
      {frames > 0 && (
        <p>
          <span data-testid="trajectory-frames">{frames}</span> frames · {info?.samples} samples ·{' '}
          {info?.atoms} atom rows
        </p>
      )}
      <div className="button-row">
        <button
          type="button"
          data-testid="download-trajectory"
          disabled={reason !== null}
          title={reason ?? 'Download the run’s trajectory as a .zarr.zip archive (Zarr v3)'}
          onClick={() => void downloadTrajectory()}
        >
          Download trajectory (.zarr.zip)
        </button>
        <button
          type="button"
          data-testid="download-log-csv"
          disabled={!hasLog}
          title={
            hasLog ? 'Download the logged energies, temperature and max force as CSV' : 'Nothing logged yet'
          }
          onClick={downloadLog}
        >
          Download log (.csv)
        </button>
      </div>
      {reason && (
        <p className="muted" data-testid="download-trajectory-reason">
          {reason}
        </p>
      )}
      <FilePicker
        label="Load trajectory (.zarr.zip) into the view"
        accept=".zip,application/zip"
        testId="trajectory-input"
        disabled={loading || !view}
        onFiles={([file]) => {
          if (file && view) void view.load(file, file.name);
        }}
      />
      {error && view && (
        <div className="banner error upload-error" role="alert" data-testid="trajectory-error">
          <p>
            <strong>{error.file} was not loaded:</strong>{' '}
            <span data-testid="trajectory-error-message">{error.message}</span>
          </p>
          <p className="muted">Nothing else changed: the view shows what it showed before.</p>
          <button type="button" onClick={() => view.dismissError()}>
            Dismiss
          </button>
        </div>
      )}
    </section>
  );
}
