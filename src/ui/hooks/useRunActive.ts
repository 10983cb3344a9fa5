import { useRunState } from './useRunState.ts';

/** Whether a run is going on (running or paused): the system and potential cannot change then. */
export function useRunActive(): boolean {
  return useRunState((s) => s.phase === 'running' || s.phase === 'paused');
}
