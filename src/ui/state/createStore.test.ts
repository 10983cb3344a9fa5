import { describe, expect, it } from 'vitest';
import { createStore } from './createStore.ts';

describe('createStore', () => {
  it('notifies subscribers with the new and previous state, and stops after unsubscribe', () => {
    const store = createStore({ n: 0 });
    const seen: Array<[number, number]> = [];
    const off = store.subscribe((s, p) => seen.push([s.n, p.n]));
    store.setState({ n: 1 });
    store.setState((s) => ({ n: s.n + 1 }));
    off();
    store.setState({ n: 10 });
    expect(seen).toEqual([
      [1, 0],
      [2, 1],
    ]);
    expect(store.getState().n).toBe(10);
  });

  it('does not notify when the state object is unchanged', () => {
    const store = createStore({ n: 0 });
    let calls = 0;
    store.subscribe(() => calls++);
    store.setState((s) => s);
    expect(calls).toBe(0);
  });
});
