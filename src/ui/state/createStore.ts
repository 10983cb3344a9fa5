/**
 * A minimal vanilla store in the style of zustand's `vanilla.ts`: plain TypeScript, no React.
 * React binds to it through `useSyncExternalStore` (see hooks/useStore.ts).
 */

export type Listener<T> = (state: T, previous: T) => void;

export interface Store<T> {
  getState(): T;
  /** Replaces the state with `next` (or the result of `next(state)`) and notifies listeners if it changed. */
  setState(next: T | ((state: T) => T)): void;
  /** Returns the function that unsubscribes. */
  subscribe(listener: Listener<T>): () => void;
}

export function createStore<T>(initial: T): Store<T> {
  let state = initial;
  const listeners = new Set<Listener<T>>();
  return {
    getState: () => state,
    setState(next) {
      const value = typeof next === 'function' ? (next as (s: T) => T)(state) : next;
      if (Object.is(value, state)) return;
      const previous = state;
      state = value;
      for (const l of listeners) l(state, previous);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
