import { useApp } from '../appContext.ts';
import type { SpecState } from '../state/specStore.ts';
import { useStore } from './useStore.ts';

/** A selected part of the spec being edited. */
export function useSpecState<U>(select: (state: SpecState) => U): U {
  return useStore(useApp().specStore, select);
}
