import { useMemo } from 'react';
import { useApp } from '../appContext.ts';

/**
 * Run / pause / resume / stop / step (one step while paused), with Run using the last valid spec
 * (only offered when the draft is valid) and the uploaded atoms and potential files.
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
      /** While paused: one step, then paused again. */
      step: () => {
        if (runStore.getState().phase === 'paused') client?.step();
      },
    }),
    [client, runStore, workspace],
  );
}
