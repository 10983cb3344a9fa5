/**
 * Streams frames into a Zarr v3 trajectory group (DESIGN §7): `meta/atoms_ptr`, `meta/samples_mask`
 * and `core/<field>`, each array written chunk by chunk, so memory stays bounded (one chunk per
 * array) however many frames are appended.
 */
import packageJson from '../../../package.json' with { type: 'json' };
import { AppendableArray } from './appendableArray.ts';
import {
  type FieldInfo,
  type FieldName,
  OPTIONAL_FIELDS,
  type OptionalField,
  REQUIRED_FIELDS,
  TRAJECTORY_FIELDS,
} from './fields.ts';
import { encodeJson, groupMetadata } from './metadata.ts';
import type { ZarrStore } from './store.ts';
import { frameSize, type TrajectoryFrame } from './trajectoryFrame.ts';

/** Name and version of the layout, in the root attributes. */
export const TRAJECTORY_FORMAT = 'md-workbench.trajectory';
export const TRAJECTORY_FORMAT_VERSION = 1;

export interface TrajectoryWriterOptions {
  /** Optional fields to store; every frame must then carry them. Default: none. */
  fields?: readonly OptionalField[];
  /** Atom rows per chunk of atom-level arrays. Default 65,536. */
  atomChunkRows?: number;
  /** Sample rows per chunk of system-level arrays (and of `meta/`). Default 4,096. */
  systemChunkRows?: number;
  /** The pipeline spec that produced the data, stored in the root attributes. */
  pipelineSpec?: unknown;
  /** Makes the store complete (partial chunks and shapes) every this many frames; 0 = only on flush/close. Default 0. */
  flushEveryFrames?: number;
}

/** Root attributes of a trajectory group. */
export interface TrajectoryAttributes {
  format: typeof TRAJECTORY_FORMAT;
  format_version: number;
  creator: { name: string; version: string };
  layout: string;
  fields: Record<
    string,
    { level: FieldInfo['level']; units: string; data_type: string; description: string }
  >;
  pipeline_spec: unknown;
}

export class TrajectoryWriter {
  private framesWritten = 0;
  private closed = false;
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly arrays: ReadonlyMap<FieldName, AppendableArray>,
    private readonly atomsPtr: AppendableArray,
    private readonly samplesMask: AppendableArray,
    readonly fields: readonly FieldName[],
    private readonly flushEveryFrames: number,
  ) {}

  /** Creates an empty trajectory group at the root of `store`. */
  static async create(store: ZarrStore, options: TrajectoryWriterOptions = {}): Promise<TrajectoryWriter> {
    const optional = options.fields ?? [];
    for (const f of optional) {
      if (!(OPTIONAL_FIELDS as readonly string[]).includes(f)) throw new Error(`unknown optional field ${f}`);
    }
    const fields: FieldName[] = [...REQUIRED_FIELDS, ...OPTIONAL_FIELDS.filter((f) => optional.includes(f))];
    const atomRows = options.atomChunkRows ?? 65_536;
    const systemRows = options.systemChunkRows ?? 4_096;
    const attributes: TrajectoryAttributes = {
      format: TRAJECTORY_FORMAT,
      format_version: TRAJECTORY_FORMAT_VERSION,
      creator: { name: packageJson.name, version: packageJson.version },
      layout:
        'CSR: atom-level arrays concatenated along "atom"; one "sample" row per system per snapshot; ' +
        'atoms of sample k are rows meta/atoms_ptr[k] to meta/atoms_ptr[k+1] of the atom-level arrays',
      fields: Object.fromEntries(
        fields.map((f) => {
          const info: FieldInfo = TRAJECTORY_FIELDS[f];
          return [
            f,
            { level: info.level, units: info.units, data_type: info.dataType, description: info.description },
          ];
        }),
      ),
      pipeline_spec: options.pipelineSpec ?? null,
    };
    await store.set('/zarr.json', encodeJson(groupMetadata({ ...attributes })));
    await store.set('/meta/zarr.json', encodeJson(groupMetadata()));
    await store.set('/core/zarr.json', encodeJson(groupMetadata()));
    const arrays = new Map<FieldName, AppendableArray>();
    for (const f of fields) {
      const info: FieldInfo = TRAJECTORY_FIELDS[f];
      arrays.set(
        f,
        await AppendableArray.create(store, `/core/${f}`, {
          dataType: info.dataType,
          rowShape: info.rowShape,
          chunkRows: info.level === 'atom' ? atomRows : systemRows,
          dimensionNames: [info.level === 'atom' ? 'atom' : 'sample', ...info.innerDimensions],
          attributes: { level: info.level, units: info.units, description: info.description },
        }),
      );
    }
    const atomsPtr = await AppendableArray.create(store, '/meta/atoms_ptr', {
      dataType: 'int64',
      rowShape: [],
      chunkRows: systemRows,
      dimensionNames: ['sample_boundary'],
      attributes: { description: 'first atom row of each sample, then the total (length samples + 1)' },
    });
    await atomsPtr.append([0]);
    const samplesMask = await AppendableArray.create(store, '/meta/samples_mask', {
      dataType: 'bool',
      rowShape: [],
      chunkRows: systemRows,
      dimensionNames: ['sample'],
      attributes: { description: 'true where a sample holds data' },
    });
    const writer = new TrajectoryWriter(arrays, atomsPtr, samplesMask, fields, options.flushEveryFrames ?? 0);
    await writer.flush();
    return writer;
  }

  /** Frames appended so far. */
  get frames(): number {
    return this.framesWritten;
  }

  /** Samples (systems × snapshots) appended so far. */
  get samples(): number {
    return this.samplesMask.length;
  }

  /** Atom rows appended so far. */
  get atoms(): number {
    return this.arrays.get('positions')!.length;
  }

  /** Bytes held in memory by the chunk buffers: constant for the writer's lifetime. */
  get bufferedBytes(): number {
    let total = this.atomsPtr.bufferedBytes + this.samplesMask.bufferedBytes;
    for (const a of this.arrays.values()) total += a.bufferedBytes;
    return total;
  }

  /**
   * Appends one frame (all its systems become samples). Calls are serialised: a caller that does
   * not await may fire several, but awaiting keeps the queue — and memory — bounded.
   */
  append(frame: TrajectoryFrame): Promise<void> {
    let nSystems: number;
    try {
      if (this.closed) throw new Error('the trajectory writer is closed');
      nSystems = frameSize(frame).nSystems;
      for (const f of OPTIONAL_FIELDS) {
        if (this.arrays.has(f) && frame[f] === undefined) {
          throw new Error(`the trajectory stores ${f} but the frame has none`);
        }
      }
    } catch (e) {
      return Promise.reject(e);
    }
    const index = this.framesWritten++;
    const run = this.queue.then(() => this.write(frame, index, nSystems));
    this.queue = run.catch(() => {});
    return run;
  }

  private async write(frame: TrajectoryFrame, index: number, nSystems: number): Promise<void> {
    const base = this.atoms;
    const ptr = new Float64Array(nSystems);
    for (let k = 0; k < nSystems; k++) ptr[k] = base + frame.atomsPtr[k + 1]!;
    const perSample = (v: number) => new Float64Array(nSystems).fill(v);
    const values: Record<FieldName, ArrayLike<number> | undefined> = {
      positions: frame.positions,
      velocities: frame.velocities,
      forces: frame.forces,
      atomic_numbers: frame.atomicNumbers,
      energy: frame.energy,
      cell: frame.cells,
      pbc: frame.pbc,
      stress: frame.stress,
      status: frame.status,
      system_id: frame.systemIds,
      step: perSample(frame.step),
      time: perSample(frame.time),
      stage: perSample(frame.stage),
      stage_step: perSample(frame.stageStep),
      frame: perSample(index),
    };
    for (const [name, array] of this.arrays) await array.append(values[name]!);
    await this.atomsPtr.append(ptr);
    await this.samplesMask.append(new Uint8Array(nSystems).fill(1));
    if (this.flushEveryFrames > 0 && (index + 1) % this.flushEveryFrames === 0) await this.flushNow();
  }

  /** Makes the store complete up to the last appended frame; appending may continue. */
  flush(): Promise<void> {
    const run = this.queue.then(() => this.flushNow());
    this.queue = run.catch(() => {});
    return run;
  }

  /** Flushes and refuses further frames. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private async flushNow(): Promise<void> {
    for (const a of this.arrays.values()) await a.flush();
    await this.atomsPtr.flush();
    // meta/ last: a reader trusts atoms_ptr and samples_mask, so a store cut off mid-flush stays consistent.
    await this.samplesMask.flush();
  }
}
