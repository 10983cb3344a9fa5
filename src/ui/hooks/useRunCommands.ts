import { useMemo } from 'react';
import { useApp } from '../appContext.ts';

/**
 * Run / pause / resume / stop, with Run using the last valid spec (only offered when the draft is
 * valid) and the uploaded atoms and potential files.
 */
export function useRunCommands() {
  const { client, runStore, workspace } = useApp();
  return useMemo(
    () => ({
      run: () => workspace.run(),
      togglePause: () => {
        const phase = runStore.getState().phase;
        if (phase === 'running') client?.pause();
        else if (phase === 'paused') client?.resume();
      },
      stop: () => client?.stop(),
    }),
    [client, runStore, workspace],
  );
}
