import { useState } from 'react';
import { useApp } from '../appContext.ts';
import { useRunState } from '../hooks/useRunState.ts';

/** Shown after the GPU device was lost; offers to rebuild on a new device from the last snapshot. */
export function DeviceLostBanner() {
  const { client } = useApp();
  const lost = useRunState((s) => s.deviceLost);
  const [busy, setBusy] = useState(false);
  if (!lost) return null;
  return (
    <div className="banner warning" role="alert" data-testid="device-lost-banner">
      <p>The GPU device was lost: {lost.message}</p>
      {lost.canRestart ? (
        <button
          type="button"
          data-testid="restart"
          disabled={busy || !client}
          onClick={async () => {
            setBusy(true);
            try {
              await client?.restartFromLastSnapshot();
            } finally {
              setBusy(false);
            }
          }}
        >
          Restart from last snapshot
        </button>
      ) : (
        <p>No snapshot to restart from: reload the page to start again.</p>
      )}
    </div>
  );
}
