import { describe, expect, it } from 'vitest';
import { ConstraintBoard } from './constraints.ts';

type Update = { frozen?: Uint8Array | null; maxForce?: Float64Array | null };

function recorder() {
  const calls: Update[] = [];
  return { calls, setConstraints: (c: Update) => calls.push(c) };
}

describe('ConstraintBoard', () => {
  it('combines clamps by minimum and frozen masks by union, sending only what changed', () => {
    const board = new ConstraintBoard();
    const engine = recorder();
    const a = {};
    const b = {};
    board.flush(engine);
    expect(engine.calls).toEqual([]);
    board.postMaxForce(a, Float64Array.of(1, Number.POSITIVE_INFINITY, 3));
    board.postMaxForce(b, Float64Array.of(2, 5, Number.POSITIVE_INFINITY));
    board.flush(engine);
    expect(engine.calls).toEqual([{ maxForce: Float64Array.of(1, 5, 3) }]);
    board.postFrozen(a, Uint8Array.of(1, 0, 0, 0));
    board.postFrozen(b, Uint8Array.of(0, 0, 1, 0));
    board.flush(engine);
    expect(engine.calls[1]).toEqual({ frozen: Uint8Array.of(1, 0, 1, 0) });
    // Withdrawing one owner's clamp leaves the other's.
    board.postMaxForce(a, null);
    board.flush(engine);
    expect(engine.calls[2]).toEqual({ maxForce: Float64Array.of(2, 5, Number.POSITIVE_INFINITY) });
    // Withdrawing the last lifts the constraint (null); withdrawing again sends nothing.
    board.postMaxForce(b, null);
    board.flush(engine);
    expect(engine.calls[3]).toEqual({ maxForce: null });
    board.postMaxForce(b, null);
    board.flush(engine);
    expect(engine.calls).toHaveLength(4);
    // invalidate resends every kind in use (after a reload lifted them).
    board.invalidate();
    board.flush(engine);
    expect(engine.calls[4]).toEqual({ frozen: Uint8Array.of(1, 0, 1, 0) });
  });

  it('drops the contributions of an older layout, so a stale frozen mask is never sent', () => {
    const board = new ConstraintBoard();
    const engine = recorder();
    const a = {};
    const b = {};
    const layout = (systemIds: number[]) => ({
      systemIds: Int32Array.from(systemIds),
      atomsPtr: Int32Array.of(0, 2, 4),
      status: new Int32Array(2),
      atoms: Int32Array.of(2, 2),
      stageSteps: new Int32Array(2),
    });
    board.postFrozen(a, Uint8Array.of(1, 0, 0, 0), layout([3, 4]));
    board.postFrozen(b, Uint8Array.of(0, 0, 0, 1), layout([3, 4]));
    board.postMaxForce(b, Float64Array.of(1, 1), layout([3, 4]));
    board.flush(engine);
    expect(engine.calls).toEqual([{ maxForce: Float64Array.of(1, 1), frozen: Uint8Array.of(1, 0, 0, 1) }]);
    // System 4 left slot 1 and system 5 came in (a reload lifted every constraint): a's new mask is
    // sent alone, without b's mask of the old layout; b's clamp is not resent until b posts again.
    board.postFrozen(a, Uint8Array.of(0, 1, 0, 0), layout([3, 5]));
    board.flush(engine);
    expect(engine.calls[1]).toEqual({ frozen: Uint8Array.of(0, 1, 0, 0) });
    board.postMaxForce(b, Float64Array.of(2, 2), layout([3, 5]));
    board.flush(engine);
    expect(engine.calls[2]).toEqual({ maxForce: Float64Array.of(2, 2) });
  });

  it('rejects contributions of different lengths', () => {
    const board = new ConstraintBoard();
    board.postFrozen({}, new Uint8Array(3));
    board.postFrozen({}, new Uint8Array(4));
    expect(() => board.flush(recorder())).toThrow(/lengths 3 and 4/);
  });
});
