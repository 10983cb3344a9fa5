/**
 * A Zarr v3 array that grows along its first axis, written chunk by chunk: it holds one chunk in
 * memory whatever its length, so a trajectory of any length is written in bounded memory.
 */
import { gzip } from './gzip.ts';
import { type ArrayMetadata, arrayMetadata, encodeJson, type ZarrDataType } from './metadata.ts';
import type { StoreKey, ZarrStore } from './store.ts';

type ChunkBuffer = Uint8Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) {
  // The `bytes` codec declares little-endian; typed arrays are written as they lie in memory.
  throw new Error('the Zarr writer needs a little-endian platform');
}

function allocate(dataType: ZarrDataType, length: number): ChunkBuffer {
  switch (dataType) {
    case 'bool':
    case 'uint8':
      return new Uint8Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'int64':
      return new BigInt64Array(length);
    case 'float32':
      return new Float32Array(length);
    case 'float64':
      return new Float64Array(length);
  }
}

/** What an appendable array is: data type, shape of one row, rows per chunk, axis names, attributes. */
export interface AppendableArraySpec {
  dataType: ZarrDataType;
  /** Shape of one row (the dimensions after the first); [] for a 1-D array. */
  rowShape: readonly number[];
  /** Rows per chunk along the first axis. */
  chunkRows: number;
  /** Names of all dimensions, first axis first. */
  dimensionNames: readonly string[];
  attributes?: Record<string, unknown>;
}

export class AppendableArray {
  /** Values per row. */
  readonly rowSize: number;
  private readonly buffer: ChunkBuffer;
  private rowsInChunk = 0;
  private chunkIndex = 0;
  private readonly metadata: ArrayMetadata;
  private readonly innerChunkKey: string;

  private constructor(
    private readonly store: ZarrStore,
    /** Absolute path of the array in the hierarchy, e.g. `/core/positions`. */
    readonly path: StoreKey,
    readonly spec: AppendableArraySpec,
  ) {
    if (!Number.isInteger(spec.chunkRows) || spec.chunkRows < 1) {
      throw new RangeError(`chunkRows must be a positive integer, got ${spec.chunkRows}`);
    }
    this.rowSize = spec.rowShape.reduce((a, b) => a * b, 1);
    this.buffer = allocate(spec.dataType, spec.chunkRows * this.rowSize);
    this.metadata = arrayMetadata({
      shape: [0, ...spec.rowShape],
      chunkShape: [spec.chunkRows, ...spec.rowShape],
      dataType: spec.dataType,
      dimensionNames: spec.dimensionNames,
      ...(spec.attributes ? { attributes: spec.attributes } : {}),
    });
    this.innerChunkKey = spec.rowShape.map(() => '/0').join('');
  }

  /** Creates the array (with zero rows) in `store` at `path`. */
  static async create(store: ZarrStore, path: StoreKey, spec: AppendableArraySpec): Promise<AppendableArray> {
    const array = new AppendableArray(store, path, spec);
    await array.writeMetadata();
    return array;
  }

  /** Rows appended so far. */
  get length(): number {
    return this.chunkIndex * this.spec.chunkRows + this.rowsInChunk;
  }

  /** Bytes held in memory (one chunk). */
  get bufferedBytes(): number {
    return this.buffer.byteLength;
  }

  /** Appends `values.length / rowSize` rows (row-major; int64 arrays take numbers, exact below 2^53); writes each chunk to the store as soon as it is full. */
  async append(values: ArrayLike<number>): Promise<void> {
    if (values.length % this.rowSize !== 0) {
      throw new Error(
        `${this.path}: ${values.length} values is not a whole number of rows of ${this.rowSize}`,
      );
    }
    const rows = values.length / this.rowSize;
    let done = 0;
    while (done < rows) {
      const take = Math.min(rows - done, this.spec.chunkRows - this.rowsInChunk);
      this.copy(values, done * this.rowSize, take * this.rowSize, this.rowsInChunk * this.rowSize);
      this.rowsInChunk += take;
      done += take;
      if (this.rowsInChunk === this.spec.chunkRows) {
        await this.writeChunk();
        this.chunkIndex++;
        this.rowsInChunk = 0;
        if (this.buffer instanceof BigInt64Array) this.buffer.fill(0n);
        else this.buffer.fill(0);
      }
    }
  }

  /**
   * Makes the store complete up to now: writes the partial last chunk (padded with the fill value)
   * and the metadata with the current shape. Appending may continue afterwards.
   */
  async flush(): Promise<void> {
    if (this.rowsInChunk > 0) await this.writeChunk();
    await this.writeMetadata();
  }

  private copy(values: ArrayLike<number>, from: number, count: number, to: number): void {
    const b = this.buffer;
    if (b instanceof BigInt64Array) {
      for (let i = 0; i < count; i++) b[to + i] = BigInt(values[from + i]!);
    } else if (ArrayBuffer.isView(values) && !(values instanceof DataView)) {
      const typed = values as unknown as Float64Array;
      b.set(typed.subarray(from, from + count), to);
    } else {
      for (let i = 0; i < count; i++) b[to + i] = values[from + i]!;
    }
  }

  private async writeChunk(): Promise<void> {
    const bytes = new Uint8Array(this.buffer.buffer, 0, this.buffer.byteLength);
    await this.store.set(`${this.path}/c/${this.chunkIndex}${this.innerChunkKey}`, await gzip(bytes));
  }

  private async writeMetadata(): Promise<void> {
    this.metadata.shape[0] = this.length;
    await this.store.set(`${this.path}/zarr.json`, encodeJson(this.metadata));
  }
}
