import { useApp } from '../appContext.ts';
import type { RunState } from '../state/runState.ts';
import { useStore } from './useStore.ts';

/** A selected part of the run state. */
export function useRunState<U>(select: (state: RunState) => U): U {
  return useStore(useApp().runStore, select);
}
