/**
 * Reads a trajectory group written by {@link TrajectoryWriter} back into frames, through zarrita
 * (any Zarr v3 reader would do: the layout is plain CSR).
 */
import * as zarr from 'zarrita';
import { type FieldName, OPTIONAL_FIELDS, REQUIRED_FIELDS } from './fields.ts';
import type { StoreKey } from './store.ts';
import type { TrajectoryFrame } from './trajectoryFrame.ts';
import { TRAJECTORY_FORMAT, type TrajectoryAttributes } from './trajectoryWriter.ts';

/** Anything zarrita can read keys from. */
export interface ReadableStore {
  get(key: StoreKey): Promise<Uint8Array | undefined>;
}

/** A trajectory read back: its root attributes and its frames, oldest first. */
export interface Trajectory {
  attributes: TrajectoryAttributes;
  frames: TrajectoryFrame[];
}

type Numeric = Float32Array | Float64Array | Int32Array | Uint8Array;

/** Every value of an array's first `rows` rows, as a plain typed array (int64 → Float64Array, bool → Uint8Array). */
async function readRows(root: zarr.Location<ReadableStore>, path: string, rows: number): Promise<Numeric> {
  const array = await zarr.open(root.resolve(path), { kind: 'array' });
  const n = Math.min(rows, array.shape[0] ?? 0);
  if (n < rows) throw new Error(`${path} has ${array.shape[0]} rows; the trajectory needs ${rows}`);
  const selection = [zarr.slice(0, n), ...array.shape.slice(1).map(() => null)];
  const { data } = await zarr.get(array, selection);
  if (data instanceof BigInt64Array) return Float64Array.from(data, Number);
  if (data instanceof zarr.BoolArray)
    return new Uint8Array(data.buffer, data.byteOffset, data.length).slice();
  if (
    data instanceof Float32Array ||
    data instanceof Float64Array ||
    data instanceof Int32Array ||
    data instanceof Uint8Array
  ) {
    return data;
  }
  throw new Error(`${path}: unexpected data type ${array.dtype}`);
}

/**
 * Reads every frame of the trajectory at the root of `store`. Only samples covered by both
 * `meta/atoms_ptr` and `meta/samples_mask` count, so a store cut off mid-write reads as the frames
 * flushed before the cut.
 */
export async function readTrajectory(store: ReadableStore): Promise<Trajectory> {
  const root = zarr.root(store);
  const group = await zarr.open(root, { kind: 'group' });
  const attributes = group.attrs as unknown as TrajectoryAttributes;
  if (attributes.format !== TRAJECTORY_FORMAT) {
    throw new Error(
      `not a trajectory: the root's "format" attribute is ${JSON.stringify(attributes.format)}`,
    );
  }
  const ptrArray = await zarr.open(root.resolve('meta/atoms_ptr'), { kind: 'array' });
  const maskArray = await zarr.open(root.resolve('meta/samples_mask'), { kind: 'array' });
  const samples = Math.min((ptrArray.shape[0] ?? 1) - 1, maskArray.shape[0] ?? 0);
  const atomsPtr = await readRows(root, 'meta/atoms_ptr', samples + 1);
  const mask = await readRows(root, 'meta/samples_mask', samples);
  const atoms = atomsPtr[samples]!;
  const present = new Set(Object.keys(attributes.fields));
  const names: FieldName[] = [...REQUIRED_FIELDS, ...OPTIONAL_FIELDS.filter((f) => present.has(f))];
  const data = new Map<FieldName, Numeric>();
  for (const name of names) {
    const level = attributes.fields[name]?.level;
    data.set(name, await readRows(root, `core/${name}`, level === 'atom' ? atoms : samples));
  }
  const col = (name: FieldName) => data.get(name)!;
  const frames: TrajectoryFrame[] = [];
  let s0 = 0;
  while (s0 < samples) {
    const id = col('frame')[s0]!;
    let s1 = s0 + 1;
    while (s1 < samples && col('frame')[s1] === id) s1++;
    const kept: number[] = [];
    for (let s = s0; s < s1; s++) if (mask[s]) kept.push(s);
    if (kept.length > 0) frames.push(assemble(kept, atomsPtr, col, present));
    s0 = s1;
  }
  return { attributes, frames };
}

/** Gathers the samples `kept` (of one snapshot) into a frame. */
function assemble(
  kept: readonly number[],
  atomsPtr: Numeric,
  col: (name: FieldName) => Numeric,
  present: ReadonlySet<string>,
): TrajectoryFrame {
  const nSystems = kept.length;
  const ptr = new Int32Array(nSystems + 1);
  kept.forEach((s, k) => {
    ptr[k + 1] = ptr[k]! + atomsPtr[s + 1]! - atomsPtr[s]!;
  });
  const nAtoms = ptr[nSystems]!;
  function gather<T extends Numeric>(
    name: FieldName,
    make: new (n: number) => T,
    width: number,
    atom: boolean,
  ): T {
    const src = col(name);
    const out = new make((atom ? nAtoms : nSystems) * width);
    kept.forEach((s, k) => {
      const [from, to, at] = atom ? [atomsPtr[s]!, atomsPtr[s + 1]!, ptr[k]!] : [s, s + 1, k];
      out.set(src.subarray(from * width, to * width), at * width);
    });
    return out;
  }
  const first = kept[0]!;
  const frame: TrajectoryFrame = {
    step: col('step')[first]!,
    time: col('time')[first]!,
    stage: col('stage')[first]!,
    stageStep: col('stage_step')[first]!,
    atomsPtr: ptr,
    systemIds: gather('system_id', Int32Array, 1, false),
    atomicNumbers: gather('atomic_numbers', Int32Array, 1, true),
    cells: gather('cell', Float64Array, 9, false),
    pbc: gather('pbc', Uint8Array, 3, false),
    positions: gather('positions', Float32Array, 3, true),
  };
  if (present.has('velocities')) frame.velocities = gather('velocities', Float32Array, 3, true);
  if (present.has('forces')) frame.forces = gather('forces', Float32Array, 3, true);
  if (present.has('energy')) frame.energy = gather('energy', Float64Array, 1, false);
  if (present.has('stress')) frame.stress = gather('stress', Float64Array, 9, false);
  if (present.has('status')) frame.status = gather('status', Int32Array, 1, false);
  return frame;
}
