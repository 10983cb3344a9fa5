/**
 * A trajectory loaded from a `.zarr.zip` file for the viewer to scrub through: which frame and which
 * system are shown, and why a file was refused. Framework-free (a vanilla store), so it is tested
 * without React; the viewer and the scrubber bind to it.
 */
import * as zarr from 'zarrita';
import { frameSize, type TrajectoryFrame } from '../../io/zarr/trajectoryFrame.ts';
import { readTrajectory } from '../../io/zarr/trajectoryReader.ts';
import {
  TRAJECTORY_FORMAT,
  TRAJECTORY_FORMAT_VERSION,
  type TrajectoryAttributes,
} from '../../io/zarr/trajectoryWriter.ts';
import { ZipStore } from '../../io/zarr/zipStore.ts';
import { createStore, type Store } from '../state/createStore.ts';

/** A trajectory read from a file. */
export interface LoadedTrajectory {
  /** File name. */
  name: string;
  attributes: TrajectoryAttributes;
  /** Frames, oldest first (at least one). */
  frames: TrajectoryFrame[];
}

/** What is shown: `all` systems of the frame, or the one with this system id. */
export type SystemChoice = 'all' | number;

export interface TrajectoryViewState {
  trajectory: LoadedTrajectory | null;
  /** Index of the frame shown. */
  frame: number;
  system: SystemChoice;
  /** A file is being read. */
  loading: boolean;
  /** Why the last file was refused (the loaded trajectory, if any, is unchanged). */
  error: { file: string; message: string } | null;
}

/** The atoms of the frame and system shown, ready for the viewer. */
export interface ShownFrame {
  atomicNumbers: Int32Array;
  /** Å, xyz interleaved. */
  positions: Float32Array;
  /** Cell of the (first) system shown, Å, rows a, b, c. */
  cell: Float64Array;
  /** Periodicity of the (first) system shown along a, b, c. */
  pbc: [boolean, boolean, boolean];
  step: number;
  /** fs. */
  time: number;
  stage: number;
  /** Ids of the systems shown. */
  systemIds: number[];
}

export const initialTrajectoryViewState: TrajectoryViewState = {
  trajectory: null,
  frame: 0,
  system: 'all',
  loading: false,
  error: null,
};

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Reads and checks a `.zarr.zip` trajectory (the root attributes first, then the frames).
 * @throws Error naming the problem: not a zip, not a Zarr archive, not a trajectory, a newer format,
 *   no frames, missing or inconsistent arrays.
 */
export async function readTrajectoryFile(file: Blob, name: string): Promise<LoadedTrajectory> {
  if (file.size === 0) throw new Error('the file is empty');
  const store = await ZipStore.open(file);
  const root = zarr.root(store);
  let attributes: TrajectoryAttributes;
  try {
    attributes = (await zarr.open(root, { kind: 'group' })).attrs as unknown as TrajectoryAttributes;
  } catch (e) {
    throw new Error(`not a Zarr v3 archive (no group at its root: ${messageOf(e)})`);
  }
  if (attributes.format !== TRAJECTORY_FORMAT) {
    throw new Error(
      `not a trajectory: the root's "format" attribute is ${JSON.stringify(attributes.format)}, not "${TRAJECTORY_FORMAT}"`,
    );
  }
  const version = attributes.format_version;
  if (typeof version !== 'number' || version > TRAJECTORY_FORMAT_VERSION) {
    throw new Error(
      `unsupported trajectory format version ${JSON.stringify(version)} (this page reads versions up to ${TRAJECTORY_FORMAT_VERSION})`,
    );
  }
  const fields = [
    'meta/atoms_ptr',
    'meta/samples_mask',
    ...Object.keys(attributes.fields ?? {}).map((f) => `core/${f}`),
  ];
  for (const path of fields) {
    if (!(await store.get(`/${path}/zarr.json`))) {
      throw new Error(`the trajectory has no array ${path} (its zarr.json is missing from the archive)`);
    }
  }
  let frames: TrajectoryFrame[];
  try {
    const ptr = await zarr.open(root.resolve('meta/atoms_ptr'), { kind: 'array' });
    if ((ptr.shape[0] ?? 0) <= 1) throw new Error('the trajectory holds no frames');
    frames = (await readTrajectory(store)).frames;
  } catch (e) {
    const message = messageOf(e);
    throw new Error(message.includes('no frames') ? message : `the trajectory cannot be read: ${message}`);
  }
  if (frames.length === 0) throw new Error('the trajectory holds no frames');
  frames.forEach((f, k) => {
    try {
      frameSize(f);
    } catch (e) {
      throw new Error(`frame ${k}: ${messageOf(e)}`);
    }
  });
  return { name, attributes, frames };
}

/** The default system of a trajectory: all when its first frame has one system, else the first one. */
function defaultSystem(t: LoadedTrajectory): SystemChoice {
  const first = t.frames[0]!;
  return first.systemIds.length === 1 ? 'all' : first.systemIds[0]!;
}

export class TrajectoryView {
  readonly store: Store<TrajectoryViewState> = createStore(initialTrajectoryViewState);

  /** Reads `file`; on success it is shown from its first frame, on failure only `error` changes. */
  async load(file: Blob, name: string): Promise<boolean> {
    this.store.setState((s) => ({ ...s, loading: true }));
    try {
      const trajectory = await readTrajectoryFile(file, name);
      this.store.setState({
        trajectory,
        frame: 0,
        system: defaultSystem(trajectory),
        loading: false,
        error: null,
      });
      return true;
    } catch (e) {
      this.store.setState((s) => ({ ...s, loading: false, error: { file: name, message: messageOf(e) } }));
      return false;
    }
  }

  /** Goes back to the live view. */
  close(): void {
    this.store.setState((s) => ({ ...initialTrajectoryViewState, error: s.error }));
  }

  /** Shows frame `index` (clamped to the trajectory). */
  setFrame(index: number): void {
    this.store.setState((s) => {
      if (!s.trajectory) return s;
      const frame = Math.max(0, Math.min(s.trajectory.frames.length - 1, Math.round(index)));
      return frame === s.frame ? s : { ...s, frame };
    });
  }

  /** Shows all systems, or the one with this id. */
  setSystem(system: SystemChoice): void {
    this.store.setState((s) => (s.system === system ? s : { ...s, system }));
  }

  dismissError(): void {
    this.store.setState((s) => (s.error ? { ...s, error: null } : s));
  }
}

/**
 * The atoms of the frame and system chosen in `state`, or null when no trajectory is loaded. A
 * system id missing from the frame (frames of converged snapshots hold different systems) falls back
 * to the frame's first system.
 */
export function shownFrame(state: TrajectoryViewState): ShownFrame | null {
  const frame = state.trajectory?.frames[state.frame];
  if (!frame) return null;
  const ids = Array.from(frame.systemIds);
  const base = { step: frame.step, time: frame.time, stage: frame.stage };
  const pbcOf = (k: number): [boolean, boolean, boolean] =>
    [0, 1, 2].map((a) => frame.pbc[3 * k + a] === 1) as [boolean, boolean, boolean];
  if (state.system === 'all') {
    return {
      ...base,
      atomicNumbers: frame.atomicNumbers,
      positions: frame.positions,
      cell: frame.cells.subarray(0, 9),
      pbc: pbcOf(0),
      systemIds: ids,
    };
  }
  const k = Math.max(0, ids.indexOf(state.system));
  const [from, to] = [frame.atomsPtr[k]!, frame.atomsPtr[k + 1]!];
  return {
    ...base,
    atomicNumbers: frame.atomicNumbers.subarray(from, to),
    positions: frame.positions.subarray(3 * from, 3 * to),
    cell: frame.cells.subarray(9 * k, 9 * k + 9),
    pbc: pbcOf(k),
    systemIds: [ids[k]!],
  };
}

/** Every system id that appears in a trajectory, ascending. */
export function trajectorySystemIds(t: LoadedTrajectory): number[] {
  const ids = new Set<number>();
  for (const f of t.frames) for (const id of f.systemIds) ids.add(id);
  return [...ids].sort((a, b) => a - b);
}
