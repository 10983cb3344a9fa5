import { useSyncExternalStore } from 'react';
import type { Store } from '../state/createStore.ts';

/** Subscribes a component to the part of a vanilla store that `select` picks (compared with Object.is). */
export function useStore<T, U>(store: Store<T>, select: (state: T) => U): U {
  return useSyncExternalStore(
    store.subscribe,
    () => select(store.getState()),
    () => select(store.getState()),
  );
}
