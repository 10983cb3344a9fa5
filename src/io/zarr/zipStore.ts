/**
 * A read-only Zarr store over a `.zarr.zip` archive held in a Blob (a File the user picked, or a
 * download): the central directory is read once; each chunk is then sliced out of the Blob on
 * demand, so an archive larger than memory can be opened. Stored entries only (as Zarr's zip
 * convention and {@link zarrZipBlocks} write them), ZIP64 or not.
 */
import type { StoreKey } from './store.ts';

interface Entry {
  size: number;
  offset: number;
}

const MAX32 = 0xffffffff;
const MAX16 = 0xffff;

async function bytesAt(blob: Blob, start: number, length: number): Promise<DataView> {
  if (start < 0 || start + length > blob.size) throw new Error('not a zip archive: truncated record');
  return new DataView(await blob.slice(start, start + length).arrayBuffer());
}

/** A .zarr.zip archive as a store zarrita (and {@link readTrajectory}) can read. */
export class ZipStore {
  private constructor(
    private readonly blob: Blob,
    private readonly entries: ReadonlyMap<string, Entry>,
  ) {}

  /** Reads the archive's central directory. */
  static async open(blob: Blob): Promise<ZipStore> {
    // The end-of-central-directory record is in the last 22 + 65,535 (comment) bytes.
    const tailStart = Math.max(0, blob.size - (22 + MAX16));
    const tail = await bytesAt(blob, tailStart, blob.size - tailStart);
    let eocd = -1;
    for (let i = tail.byteLength - 22; i >= 0; i--) {
      if (tail.getUint32(i, true) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error('not a zip archive: no end-of-central-directory record');
    let count = tail.getUint16(eocd + 10, true);
    let cdSize = tail.getUint32(eocd + 12, true);
    let cdOffset = tail.getUint32(eocd + 16, true);
    if (count === MAX16 || cdSize === MAX32 || cdOffset === MAX32) {
      const locator = await bytesAt(blob, tailStart + eocd - 20, 20);
      if (locator.getUint32(0, true) !== 0x07064b50) throw new Error('not a zip archive: no ZIP64 locator');
      const record = await bytesAt(blob, Number(locator.getBigUint64(8, true)), 56);
      if (record.getUint32(0, true) !== 0x06064b50) throw new Error('not a zip archive: no ZIP64 end record');
      count = Number(record.getBigUint64(32, true));
      cdSize = Number(record.getBigUint64(40, true));
      cdOffset = Number(record.getBigUint64(48, true));
    }
    const cd = await bytesAt(blob, cdOffset, cdSize);
    const decoder = new TextDecoder();
    const entries = new Map<string, Entry>();
    let p = 0;
    for (let k = 0; k < count; k++) {
      if (cd.getUint32(p, true) !== 0x02014b50) throw new Error('not a zip archive: bad central directory');
      const method = cd.getUint16(p + 10, true);
      let compressed = cd.getUint32(p + 20, true);
      let size = cd.getUint32(p + 24, true);
      const nameLength = cd.getUint16(p + 28, true);
      const extraLength = cd.getUint16(p + 30, true);
      const commentLength = cd.getUint16(p + 32, true);
      let offset = cd.getUint32(p + 42, true);
      const name = decoder.decode(new Uint8Array(cd.buffer, p + 46, nameLength));
      // ZIP64 extra field: the 64-bit values of the fields that hold 0xFFFFFFFF, in this order.
      for (let x = p + 46 + nameLength; x < p + 46 + nameLength + extraLength; ) {
        const id = cd.getUint16(x, true);
        const length = cd.getUint16(x + 2, true);
        if (id === 0x0001) {
          let q = x + 4;
          const next = () => {
            const v = Number(cd.getBigUint64(q, true));
            q += 8;
            return v;
          };
          if (size === MAX32) size = next();
          if (compressed === MAX32) compressed = next();
          if (offset === MAX32) offset = next();
        }
        x += 4 + length;
      }
      if (method !== 0 || compressed !== size) {
        throw new Error(`${name}: compressed zip entries are not supported (a .zarr.zip stores its entries)`);
      }
      if (!name.endsWith('/')) entries.set(name, { size, offset });
      p += 46 + nameLength + extraLength + commentLength;
    }
    return new ZipStore(blob, entries);
  }

  /** Keys of the archive's files. */
  keys(): StoreKey[] {
    return [...this.entries.keys()].map((k): StoreKey => `/${k}`);
  }

  async get(key: StoreKey): Promise<Uint8Array | undefined> {
    const entry = this.entries.get(key.slice(1));
    if (!entry) return undefined;
    const local = await bytesAt(this.blob, entry.offset, 30);
    if (local.getUint32(0, true) !== 0x04034b50) throw new Error(`${key}: bad local file header`);
    const start = entry.offset + 30 + local.getUint16(26, true) + local.getUint16(28, true);
    return new Uint8Array(await this.blob.slice(start, start + entry.size).arrayBuffer());
  }
}
