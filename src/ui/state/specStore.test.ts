import { describe, expect, it } from 'vitest';
import { argonVoidSpec } from '../../io/examples.ts';
import type { PipelineSpecInput } from '../../io/spec.ts';
import { insertSegment, removeSegment } from './pipelineEdits.ts';
import { getAt } from './specFields.ts';
import { COALESCE_MS, createSpecStore } from './specStore.ts';

/** A store on a clock the test moves by hand. */
function storeWithClock(depth?: number) {
  const clock = { t: 0 };
  const store = createSpecStore(argonVoidSpec, { depth, now: () => clock.t });
  return { store, clock };
}

const dt0 = ['stages', 0, 'dt'] as const;
const dtOf = (draft: PipelineSpecInput) => getAt(draft, dt0);
const kinds = (draft: PipelineSpecInput) => (draft.stages as Array<{ kind: string }>).map((s) => s.kind);

describe('spec store history', () => {
  it('undoes and redoes structural edits and field edits in order', () => {
    const { store, clock } = storeWithClock();
    expect(store.getState().canUndo).toBe(false);
    store.setField(dt0, 2);
    clock.t += 10 * COALESCE_MS;
    store.edit((d) => insertSegment(d, { kind: 'nve', steps: 10, dt: 1 }));
    store.edit((d) => removeSegment(d, 0));
    expect(kinds(store.getState().draft)).toEqual(['langevin', 'nve', 'nve']);
    expect(store.getState().canUndo).toBe(true);

    store.undo();
    expect(kinds(store.getState().draft)).toEqual(['fire', 'langevin', 'nve', 'nve']);
    store.undo();
    expect(kinds(store.getState().draft)).toEqual(['fire', 'langevin', 'nve']);
    expect(dtOf(store.getState().draft)).toBe(2);
    expect(store.getState().canRedo).toBe(true);
    store.redo();
    expect(kinds(store.getState().draft)).toEqual(['fire', 'langevin', 'nve', 'nve']);
    store.undo();
    store.undo();
    expect(dtOf(store.getState().draft)).toBe(5);
    expect(store.getState().canUndo).toBe(false);
    // Nothing more to take back: a no-op, not an error.
    store.undo();
    expect(dtOf(store.getState().draft)).toBe(5);
  });

  it('joins consecutive typing into one field into one step, but not typing after a pause or elsewhere', () => {
    const { store, clock } = storeWithClock();
    for (const v of [2, 2.5, 2.55]) {
      store.setField(dt0, v);
      clock.t += 100;
    }
    clock.t += 10 * COALESCE_MS;
    store.setField(dt0, 3); // after a pause: a new step
    store.setField(['stages', 1, 'temperature'], 90); // another field: a new step
    store.undo();
    expect(getAt(store.getState().draft, ['stages', 1, 'temperature'])).toBe(85);
    expect(dtOf(store.getState().draft)).toBe(3);
    store.undo();
    expect(dtOf(store.getState().draft)).toBe(2.55);
    store.undo();
    expect(dtOf(store.getState().draft)).toBe(5);
    expect(store.getState().canUndo).toBe(false);
  });

  it('clears redo on a new edit and keeps invalid drafts and their validation through undo/redo', () => {
    const { store } = storeWithClock();
    store.setField(dt0, -1);
    expect(store.getState().validation.ok).toBe(false);
    store.undo();
    expect(store.getState().validation.ok).toBe(true);
    expect(store.getState().canRedo).toBe(true);
    store.redo();
    expect(store.getState().validation.ok).toBe(false);
    expect(store.getState().validation.byKey.get('stages[0].dt')?.[0]?.message).toBe('must be > 0 fs');
    expect(getAt(store.getState().lastValid as PipelineSpecInput, dt0)).toBe(5);
    store.undo();
    store.setField(['stages', 1, 'temperature'], 90);
    expect(store.getState().canRedo).toBe(false);
    store.redo();
    expect(dtOf(store.getState().draft)).toBe(5);
  });

  it('caps the depth, dropping the oldest steps', () => {
    const { store, clock } = storeWithClock(3);
    for (let k = 1; k <= 5; k++) {
      store.setField(dt0, k);
      clock.t += 10 * COALESCE_MS;
    }
    let undos = 0;
    while (store.getState().canUndo) {
      store.undo();
      undos++;
    }
    expect(undos).toBe(3);
    expect(dtOf(store.getState().draft)).toBe(2);
  });

  it('records nothing for edits that change nothing, and one step for a replaced draft', () => {
    const { store } = storeWithClock();
    store.setField(dt0, 5);
    store.setField(['potential'], structuredClone(store.getState().draft.potential));
    expect(store.getState().canUndo).toBe(false);
    const other = structuredClone(store.getState().draft);
    other.name = 'other';
    const before = store.getState().structure;
    store.replace(other);
    expect(store.getState().lastValid.name).toBe('other');
    expect(store.getState().structure).toBe(before + 1);
    store.undo();
    expect(store.getState().lastValid.name).toBe(argonVoidSpec.name);
    // undo and redo re-key the forms, so inputs show the restored values.
    expect(store.getState().structure).toBe(before + 2);
  });
});
