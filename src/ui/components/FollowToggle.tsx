import { useState } from 'react';
import { TRAJECTORY_FORMAT, TRAJECTORY_FORMAT_VERSION } from '../../io/zarr/trajectoryWriter.ts';
import { useApp } from '../appContext.ts';
import { useTrajectoryState, useTrajectoryView } from '../trajectory/trajectoryContext.ts';
import type { LoadedTrajectory } from '../trajectory/trajectoryView.ts';

/** Name of the run's own recorded frames in the scrubber. */
export const RECORDED_NAME = 'this run (recorded frames)';

/**
 * Follow the live run, or scrub recorded frames (the run's snapshot hooks' frames, or a loaded
 * trajectory): showing recorded frames stops following; Live goes back.
 */
export function FollowToggle() {
  const { client } = useApp();
  const view = useTrajectoryView();
  const recorded = useTrajectoryState((s) => s.trajectory !== null);
  const [message, setMessage] = useState<string | null>(null);
  if (!view) return null;

  const showRecorded = async () => {
    setMessage(null);
    const frames = (await client?.recordedFrames()) ?? [];
    if (frames.length === 0) {
      setMessage('No recorded frames yet: add a snapshot hook to a stage (or wait for its first frame).');
      return;
    }
    const trajectory: LoadedTrajectory = {
      name: RECORDED_NAME,
      attributes: {
        format: TRAJECTORY_FORMAT,
        format_version: TRAJECTORY_FORMAT_VERSION,
        creator: { name: 'md-workbench', version: '' },
        layout: 'csr',
        fields: {},
        pipeline_spec: null,
      },
      frames,
    };
    const first = frames[frames.length - 1]!;
    view.store.setState({
      trajectory,
      frame: frames.length - 1,
      system: first.systemIds.length === 1 ? 'all' : (first.systemIds[0] ?? 'all'),
      loading: false,
      error: null,
    });
  };

  return (
    <fieldset className="follow-toggle">
      <legend className="visually-hidden">What the view shows</legend>
      <button
        type="button"
        data-testid="follow-live"
        aria-pressed={!recorded}
        onClick={() => {
          setMessage(null);
          view.close();
        }}
      >
        Live
      </button>
      <button
        type="button"
        data-testid="follow-recorded"
        aria-pressed={recorded}
        title="Scrub the frames the run's snapshot hooks recorded (stops following the run)"
        onClick={() => void showRecorded()}
      >
        Recorded frames
      </button>
      {message && (
        <span className="hint" role="status" data-testid="follow-message">
          {message}
        </span>
      )}
    </fieldset>
  );
}
