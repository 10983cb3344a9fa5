import { describe, expect, it } from 'vitest';
import type { AtomViewer } from './atomViewer.ts';
import { categoryColour, fillOwnerColours, LEFT_COLOUR, RANK_COLOURS, rankColour } from './colouring.ts';
import { ViewController, type ViewData } from './viewController.ts';

/** The part of AtomViewer the controller drives, on plain arrays (the WebGL side is e2e-tested). */
class ViewerStandIn {
  colours: Float32Array | null = null;
  positions: Float32Array | null = null;
  highlight = -1;
  systems = 0;
  uploads = 0;
  setSystem(z: ArrayLike<number>, positions: Float32Array) {
    this.colours = new Float32Array(3 * z.length);
    this.positions = positions.slice();
    this.systems++;
  }
  updatePositions(p: Float32Array) {
    this.positions?.set(p);
  }
  setElements() {}
  coloursChanged() {
    this.uploads++;
  }
  setHighlight(i: number) {
    this.highlight = i;
  }
  pick() {
    return 2;
  }
}

const names = {
  subStages: () => ['FIRE', 'NVT'],
  stage: (_: number, code: number | null) => (code === null ? 'fused' : code < 2 ? `code ${code}` : 'left'),
};

function data(over: Partial<ViewData> = {}): ViewData {
  return {
    atomicNumbers: Int32Array.of(18, 18, 18, 18),
    positions: Float32Array.of(0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0),
    cell: new Float64Array(9),
    slots: { systemIds: Int32Array.of(5, 8), atomsPtr: Int32Array.of(0, 1, 4), status: Int32Array.of(1, 62) },
    forces: null,
    velocities: null,
    stage: 0,
    rank: null,
    step: 10,
    ...over,
  };
}

const rgb = (c: number) => [(c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff].map((x) => Math.fround(x / 255));

describe('ViewController', () => {
  it('colours by stage from the slots, with a legend naming the sub-stages', () => {
    const viewer = new ViewerStandIn();
    const c = new ViewController(viewer as unknown as AtomViewer, names);
    c.show(data(), true);
    c.setMode('stage');
    expect(Array.from(viewer.colours!.slice(0, 3))).toEqual(rgb(categoryColour(1)));
    expect(Array.from(viewer.colours!.slice(3, 6))).toEqual(rgb(LEFT_COLOUR));
    const legend = c.store.getState().legend;
    expect(legend.kind === 'categories' && legend.items.map((i) => i.label).slice(0, 2)).toEqual([
      'FIRE',
      'NVT',
    ]);
  });

  it('colours a domain run by the rank owning each atom, follows migrations, and lists the ranks', () => {
    const viewer = new ViewerStandIn();
    const c = new ViewController(viewer as unknown as AtomViewer, names);
    c.show(data({ owner: Int32Array.of(0, 1, 1, 0) }), true);
    c.setMode('worker');
    expect(Array.from(viewer.colours!.slice(0, 3))).toEqual(rgb(rankColour(0)));
    expect(Array.from(viewer.colours!.slice(3, 6))).toEqual(rgb(rankColour(1)));
    expect(Array.from(viewer.colours!.slice(9, 12))).toEqual(rgb(rankColour(0)));
    expect(c.store.getState().legend).toEqual({
      kind: 'categories',
      title: 'Worker (rank owning each atom)',
      items: [
        { colour: '#4e9af1', label: 'rank 0: 2 atoms' },
        { colour: '#e0b341', label: 'rank 1: 2 atoms' },
      ],
    });
    // Atom 3 migrates to rank 1.
    c.show(data({ owner: Int32Array.of(0, 1, 1, 1) }), false);
    expect(Array.from(viewer.colours!.slice(9, 12))).toEqual(rgb(rankColour(1)));
    const legend = c.store.getState().legend;
    expect(legend.kind === 'categories' && legend.items.map((i) => i.label)).toEqual([
      'rank 0: 1 atom',
      'rank 1: 3 atoms',
    ]);
    // A run on one worker (no owners) is one colour again.
    c.show(data({ rank: 0 }), false);
    expect(c.store.getState().legend).toMatchObject({ items: [{ label: 'worker 0' }] });
  });

  it('gives the 16 ranks of the largest grid 16 different colours', () => {
    expect(new Set(RANK_COLOURS).size).toBe(16);
    const colours = new Float32Array(3 * 18);
    const owner = Int32Array.from({ length: 18 }, (_, i) => (i < 16 ? i : i === 16 ? -1 : 3));
    expect(fillOwnerColours(owner, colours)).toEqual([1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(Array.from(colours.slice(48, 51))).toEqual(rgb(LEFT_COLOUR));
  });

  it('colours by force once frames carry forces, and says it waits for them before', () => {
    const viewer = new ViewerStandIn();
    const c = new ViewController(viewer as unknown as AtomViewer, names);
    c.show(data(), true);
    c.setMode('force');
    expect(c.store.getState().legend.kind).toBe('note');
    c.show(data({ forces: Float32Array.of(0, 0, 0, 0.3, 0.4, 0, 0, 0, 0, 0, 0, 0) }), false);
    expect(c.maxForce).toBeCloseTo(0.5, 6);
    expect(c.store.getState().legend).toEqual({ kind: 'scale', title: 'Force |F|', max: 0.5, unit: 'eV/Å' });
    // Same atoms: no new system, colours rewritten in place.
    expect(viewer.systems).toBe(1);
    const colours = viewer.colours;
    c.show(data({ forces: new Float32Array(12) }), false);
    expect(viewer.colours).toBe(colours);
  });

  it('picks an atom, tells its system, index in the system, stage, |F| and velocity; steps within its system', () => {
    const viewer = new ViewerStandIn();
    const c = new ViewController(viewer as unknown as AtomViewer, names);
    c.show(
      data({
        forces: Float32Array.of(0, 0, 0, 0, 0, 0, 0, 3, 4, 0, 0, 0),
        velocities: Float32Array.of(0, 0, 0, 0, 0, 0, 0.01, 0.02, 0.03, 0, 0, 0),
      }),
      true,
    );
    expect(c.pickAt(10, 10)).toBe(2);
    expect(viewer.highlight).toBe(2);
    const p = c.store.getState().picked!;
    expect(p).toMatchObject({
      index: 2,
      systemId: 8,
      atomInSystem: 1,
      systemAtoms: 3,
      symbol: 'Ar',
      stage: 'left',
    });
    expect(p.position).toEqual([2, 0, 0]);
    expect(p.force).toBeCloseTo(5, 6);
    expect(p.velocity?.map((v) => Number(v.toFixed(5)))).toEqual([0.01, 0.02, 0.03]);
    c.stepPick(1);
    c.stepPick(1);
    expect(c.picked).toBe(1); // wrapped within system 8 (atoms 1…3)
    c.select(-1);
    expect(c.store.getState().picked).toBeNull();
    expect(viewer.highlight).toBe(-1);
  });

  it('a new system clears the pick', () => {
    const viewer = new ViewerStandIn();
    const c = new ViewController(viewer as unknown as AtomViewer, names);
    c.show(data(), true);
    c.select(1);
    c.show(data({ atomicNumbers: Int32Array.of(18, 18), positions: new Float32Array(6) }), true);
    expect(c.picked).toBe(-1);
    expect(c.store.getState().picked).toBeNull();
  });
});
