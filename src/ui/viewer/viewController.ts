/**
 * What the viewer shows and how: the atoms of the live run or of a recorded frame, coloured by
 * element, stage, worker or force, with one picked atom. Framework-free: AtomView feeds it frames and
 * pointer events, React components read its store (legend, inspector). Colours are rewritten into
 * the viewer's own attribute; the only per-frame scratch (|F| per atom) is kept between frames.
 */
import { elementByNumber } from '../../io/elements.ts';
import { createStore, type Store } from '../state/createStore.ts';
import type { AtomViewer } from './atomViewer.ts';
import {
  type ColourMode,
  categoryColour,
  cssColour,
  fillForceColours,
  fillOwnerColours,
  fillRange,
  fillStageColours,
  forceMagnitudes,
  LEFT_COLOUR,
  niceCeiling,
  rankColour,
  type SlotLayout,
} from './colouring.ts';
import { elementStyle } from './elementStyle.ts';
import { stepWithin } from './picking.ts';

/** The atoms to show, from the live run or a recorded frame. */
export interface ViewData {
  atomicNumbers: ArrayLike<number>;
  /** Å, xyz interleaved. */
  positions: Float32Array;
  /** Å, rows a, b, c. */
  cell: ArrayLike<number>;
  /** Which system each slot holds and its status code; null when not known (yet). */
  slots: SlotLayout | null;
  /** eV/Å, xyz interleaved, when known. */
  forces: Float32Array | null;
  /** Å/fs, xyz interleaved, when known. */
  velocities: Float32Array | null;
  /** Segment (stage) index. */
  stage: number;
  /** Rank of the worker that ran these atoms, when known. */
  rank: number | null;
  /** Domain runs: the rank owning each atom (atoms in the order shown); absent or null otherwise. */
  owner?: Int32Array | null;
  step: number;
}

/** The legend of the current colour mode. */
export type Legend =
  | { kind: 'categories'; title: string; items: { colour: string; label: string }[] }
  | { kind: 'scale'; title: string; max: number; unit: string }
  | { kind: 'note'; title: string; note: string };

/** Everything the inspector shows about the picked atom. */
export interface PickedAtom {
  /** Index among the atoms shown. */
  index: number;
  /** System id, null when the page does not know the layout yet. */
  systemId: number | null;
  /** Index of the atom within its system. */
  atomInSystem: number;
  /** Atoms of its system (shown). */
  systemAtoms: number;
  atomicNumber: number;
  symbol: string;
  /** Å. */
  position: [number, number, number];
  /** Å/fs, null when not known. */
  velocity: [number, number, number] | null;
  /** |F|, eV/Å, null when not known. */
  force: number | null;
  /** Stage (segment and sub-stage) of its system, or why it is not known. */
  stage: string;
}

export interface ViewUiState {
  mode: ColourMode;
  legend: Legend;
  picked: PickedAtom | null;
}

/** Names the stage of a system: segment `stage`, status code `code` (null: not known). */
export type StageNamer = (stage: number, code: number | null) => string;
/** Names of the sub-stages (status codes 0…) of segment `stage`. */
export type SubStageNames = (stage: number) => string[];

function symbolOf(z: number): string {
  try {
    return z > 0 ? elementByNumber(z).symbol : '?';
  } catch {
    return `Z=${z}`;
  }
}

export class ViewController {
  readonly store: Store<ViewUiState>;
  private data: ViewData | null = null;
  private magnitudes = new Float32Array(0);
  private pickedIndex = -1;
  private forceMax = 0;

  constructor(
    private readonly viewer: AtomViewer,
    private readonly names: { subStages: SubStageNames; stage: StageNamer },
    mode: ColourMode = 'element',
  ) {
    this.store = createStore<ViewUiState>({
      mode,
      legend: { kind: 'note', title: '', note: '' },
      picked: null,
    });
  }

  get mode(): ColourMode {
    return this.store.getState().mode;
  }

  /** Index of the picked atom among those shown, −1 for none. */
  get picked(): number {
    return this.pickedIndex;
  }

  /**
   * Shows `data`: a new system (different atom count or cell: camera reframed, pick cleared) or new
   * positions of the same atoms.
   */
  show(data: ViewData, newSystem: boolean): void {
    const previous = this.data;
    const sameAtoms = !newSystem && previous !== null && previous.positions.length === data.positions.length;
    this.data = data;
    if (!sameAtoms) {
      this.viewer.setSystem(data.atomicNumbers, data.positions, data.cell);
      this.pickedIndex = -1;
      this.viewer.setHighlight(-1);
    } else {
      this.viewer.updatePositions(data.positions);
      if (previous && previous.atomicNumbers !== data.atomicNumbers && this.mode === 'element') {
        this.viewer.setElements(data.atomicNumbers);
      }
    }
    if (this.mode !== 'element') this.recolour();
    else if (!sameAtoms || previous?.atomicNumbers !== data.atomicNumbers) this.publishElementLegend();
    this.publishPicked();
  }

  setMode(mode: ColourMode): void {
    if (mode === this.mode) return;
    this.store.setState((s) => ({ ...s, mode }));
    if (!this.data) return;
    if (mode === 'element') {
      this.viewer.setElements(this.data.atomicNumbers);
      this.publishElementLegend();
    } else {
      this.recolour();
    }
  }

  /** Picks the atom under a canvas point (CSS pixels); nothing there clears the pick. Returns the index. */
  pickAt(clientX: number, clientY: number): number {
    this.select(this.viewer.pick(clientX, clientY));
    return this.pickedIndex;
  }

  /** Picks atom `index` of those shown (−1 clears). */
  select(index: number): void {
    const n = this.data ? this.data.positions.length / 3 : 0;
    this.pickedIndex = index >= 0 && index < n ? index : -1;
    this.viewer.setHighlight(this.pickedIndex);
    this.publishPicked();
  }

  /** Moves the pick to the next (+1) or previous (−1) atom of the picked atom's system. */
  stepPick(delta: number): void {
    if (this.pickedIndex < 0 || !this.data) return;
    const [from, to] = this.systemRange(this.pickedIndex);
    this.select(stepWithin(this.pickedIndex, delta, from, to));
  }

  /** Slot of atom i and its atom range; the whole frame when the layout is not known. */
  private systemRange(i: number): [number, number, number] {
    const slots = this.data?.slots;
    const n = this.data ? this.data.positions.length / 3 : 0;
    if (slots) {
      for (let s = 0; s < slots.status.length; s++) {
        const from = slots.atomsPtr[s]!;
        const to = slots.atomsPtr[s + 1]!;
        if (i >= from && i < to) return [from, to, s];
      }
    }
    return [0, n, -1];
  }

  private recolour(): void {
    const data = this.data;
    const colours = this.viewer.colours;
    if (!data || !colours) return;
    const n = colours.length / 3;
    switch (this.mode) {
      case 'element':
        return;
      case 'stage': {
        const subStages = this.names.subStages(data.stage);
        if (!data.slots) {
          fillRange(colours, 0, n, LEFT_COLOUR);
          this.setLegend({
            kind: 'note',
            title: 'Stage',
            note: 'The stage of each system is known once the engine sends a frame.',
          });
        } else {
          fillStageColours(data.slots, subStages.length, colours);
          const items = subStages.map((name, code) => ({
            colour: cssColour(categoryColour(code)),
            label: name,
          }));
          items.push({
            colour: cssColour(LEFT_COLOUR),
            label: 'not stepping in this stage (waiting, left or empty slot)',
          });
          this.setLegend({
            kind: 'categories',
            title: `Stage: ${this.names.stage(data.stage, null)}`,
            items,
          });
        }
        break;
      }
      case 'worker': {
        if (data.owner && data.owner.length === n) {
          const counts = fillOwnerColours(data.owner, colours);
          const items = counts.map((count, r) => ({
            colour: cssColour(rankColour(r)),
            label: `rank ${r}: ${count} atom${count === 1 ? '' : 's'}`,
          }));
          this.setLegend({ kind: 'categories', title: 'Worker (rank owning each atom)', items });
          break;
        }
        const rank = data.rank ?? 0;
        fillRange(colours, 0, n, categoryColour(rank));
        this.setLegend({
          kind: 'categories',
          title: 'Worker',
          items: [{ colour: cssColour(categoryColour(rank)), label: `worker ${rank}` }],
        });
        break;
      }
      case 'force': {
        if (!data.forces || data.forces.length !== 3 * n) {
          fillRange(colours, 0, n, LEFT_COLOUR);
          this.forceMax = 0;
          this.setLegend({
            kind: 'note',
            title: 'Force |F|',
            note: 'Waiting for forces: they come with the next frame of the engine.',
          });
          break;
        }
        if (this.magnitudes.length !== n) this.magnitudes = new Float32Array(n);
        const max = forceMagnitudes(data.forces, this.magnitudes);
        this.forceMax = max;
        const scale = niceCeiling(max);
        fillForceColours(this.magnitudes, scale, colours);
        this.setLegend({ kind: 'scale', title: 'Force |F|', max: scale, unit: 'eV/Å' });
        break;
      }
    }
    this.viewer.coloursChanged();
  }

  /** Largest |F| of the frame shown, eV/Å (0 when not known). */
  get maxForce(): number {
    return this.forceMax;
  }

  private publishElementLegend(): void {
    const data = this.data;
    if (!data) return;
    const seen = new Set<number>();
    const z = data.atomicNumbers;
    for (let i = 0; i < z.length && seen.size < 16; i++) seen.add(z[i]!);
    const items = [...seen]
      .sort((a, b) => a - b)
      .map((n) => {
        let colour = 0xff1493;
        try {
          colour = elementStyle(n).color;
        } catch {}
        return { colour: cssColour(colour), label: symbolOf(n) };
      });
    this.setLegend({ kind: 'categories', title: 'Element', items });
  }

  private setLegend(legend: Legend): void {
    const current = this.store.getState().legend;
    if (JSON.stringify(current) === JSON.stringify(legend)) return;
    this.store.setState((s) => ({ ...s, legend }));
  }

  private publishPicked(): void {
    const data = this.data;
    const i = this.pickedIndex;
    if (!data || i < 0) {
      if (this.store.getState().picked !== null) this.store.setState((s) => ({ ...s, picked: null }));
      return;
    }
    const [from, to, slot] = this.systemRange(i);
    const slots = data.slots;
    const code = slots && slot >= 0 ? (slots.status[slot] ?? null) : null;
    const systemId = slots && slot >= 0 ? (slots.systemIds[slot] ?? null) : null;
    const xyz = (a: Float32Array | null): [number, number, number] | null =>
      a && a.length >= 3 * (i + 1) ? [a[3 * i]!, a[3 * i + 1]!, a[3 * i + 2]!] : null;
    const f = xyz(data.forces);
    const z = data.atomicNumbers[i] ?? 0;
    const picked: PickedAtom = {
      index: i,
      systemId,
      atomInSystem: i - from,
      systemAtoms: to - from,
      atomicNumber: z,
      symbol: symbolOf(z),
      position: xyz(data.positions)!,
      velocity: xyz(data.velocities),
      force: f ? Math.hypot(f[0], f[1], f[2]) : null,
      stage: this.names.stage(data.stage, code),
    };
    this.store.setState((s) => ({ ...s, picked }));
  }
}
