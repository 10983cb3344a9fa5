import { useMemo } from 'react';
import { useApp } from '../appContext.ts';

/** Run / pause / resume / stop, with Run using the last valid spec (only offered when the draft is valid). */
export function useRunCommands() {
  const { client, specStore, runStore } = useApp();
  return useMemo(
    () => ({
      run: () => {
        const spec = specStore.getState();
        if (!client || !spec.validation.ok) return;
        void client.run(spec.lastValid);
      },
      togglePause: () => {
        const phase = runStore.getState().phase;
        if (phase === 'running') client?.pause();
        else if (phase === 'paused') client?.resume();
      },
      stop: () => client?.stop(),
    }),
    [client, specStore, runStore],
  );
}
