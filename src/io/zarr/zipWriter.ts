/**
 * Streams a Zarr store into a `.zarr.zip` archive (DESIGN §7): entries stored (no compression —
 * the chunks are compressed already, and readers can then seek straight into a chunk), ZIP64
 * records throughout (no 4 GiB limits), `zarr.json` at the archive root and first.
 */
import { crc32 } from './crc32.ts';
import type { StoreKey, ZarrStore } from './store.ts';

const ZIP64_VERSION = 45;
const UTF8_NAMES = 0x0800;
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;

interface CentralEntry {
  name: Uint8Array;
  crc: number;
  size: number;
  offset: number;
}

/** MS-DOS date and time fields of a date (local time, 2-second resolution, 1980 or later). */
function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getFullYear());
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

function localHeader(e: CentralEntry, dos: { time: number; date: number }): Uint8Array {
  const out = new Uint8Array(30 + e.name.length + 20);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x04034b50, true);
  v.setUint16(4, ZIP64_VERSION, true);
  v.setUint16(6, UTF8_NAMES, true);
  v.setUint16(8, 0, true); // stored
  v.setUint16(10, dos.time, true);
  v.setUint16(12, dos.date, true);
  v.setUint32(14, e.crc, true);
  v.setUint32(18, MAX32, true); // sizes in the ZIP64 extra field
  v.setUint32(22, MAX32, true);
  v.setUint16(26, e.name.length, true);
  v.setUint16(28, 20, true);
  out.set(e.name, 30);
  const x = 30 + e.name.length;
  v.setUint16(x, 0x0001, true);
  v.setUint16(x + 2, 16, true);
  v.setBigUint64(x + 4, BigInt(e.size), true); // uncompressed
  v.setBigUint64(x + 12, BigInt(e.size), true); // compressed
  return out;
}

function centralHeader(e: CentralEntry, dos: { time: number; date: number }): Uint8Array {
  const out = new Uint8Array(46 + e.name.length + 28);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x02014b50, true);
  v.setUint16(4, ZIP64_VERSION, true);
  v.setUint16(6, ZIP64_VERSION, true);
  v.setUint16(8, UTF8_NAMES, true);
  v.setUint16(10, 0, true);
  v.setUint16(12, dos.time, true);
  v.setUint16(14, dos.date, true);
  v.setUint32(16, e.crc, true);
  v.setUint32(20, MAX32, true);
  v.setUint32(24, MAX32, true);
  v.setUint16(28, e.name.length, true);
  v.setUint16(30, 28, true);
  // comment length, disk number, internal and external attributes: 0
  v.setUint32(42, MAX32, true); // offset in the ZIP64 extra field
  out.set(e.name, 46);
  const x = 46 + e.name.length;
  v.setUint16(x, 0x0001, true);
  v.setUint16(x + 2, 24, true);
  v.setBigUint64(x + 4, BigInt(e.size), true);
  v.setBigUint64(x + 12, BigInt(e.size), true);
  v.setBigUint64(x + 20, BigInt(e.offset), true);
  return out;
}

function endRecords(count: number, cdOffset: number, cdSize: number): Uint8Array {
  const out = new Uint8Array(56 + 20 + 22);
  const v = new DataView(out.buffer);
  // ZIP64 end of central directory record
  v.setUint32(0, 0x06064b50, true);
  v.setBigUint64(4, 44n, true);
  v.setUint16(12, ZIP64_VERSION, true);
  v.setUint16(14, ZIP64_VERSION, true);
  v.setBigUint64(24, BigInt(count), true);
  v.setBigUint64(32, BigInt(count), true);
  v.setBigUint64(40, BigInt(cdSize), true);
  v.setBigUint64(48, BigInt(cdOffset), true);
  // ZIP64 end of central directory locator
  v.setUint32(56, 0x07064b50, true);
  v.setBigUint64(56 + 8, BigInt(cdOffset + cdSize), true);
  v.setUint32(56 + 16, 1, true);
  // End of central directory record, every field deferring to the ZIP64 record
  const e = 76;
  v.setUint32(e, 0x06054b50, true);
  v.setUint16(e + 8, MAX16, true);
  v.setUint16(e + 10, MAX16, true);
  v.setUint32(e + 12, MAX32, true);
  v.setUint32(e + 16, MAX32, true);
  return out;
}

/** Keys of a store in archive order: the root `zarr.json` first, then the rest sorted. */
async function archiveOrder(store: ZarrStore): Promise<StoreKey[]> {
  const keys: StoreKey[] = [];
  for await (const k of store.keys()) keys.push(k);
  keys.sort((a, b) => (a === '/zarr.json' ? -1 : b === '/zarr.json' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  return keys;
}

/**
 * The archive as a sequence of byte blocks, one entry at a time: memory holds one entry (one
 * chunk) plus the central directory (about 100 bytes per entry).
 */
export async function* zarrZipBlocks(store: ZarrStore, date = new Date()): AsyncGenerator<Uint8Array> {
  const dos = dosDateTime(date);
  const encoder = new TextEncoder();
  const entries: CentralEntry[] = [];
  let offset = 0;
  for (const key of await archiveOrder(store)) {
    const data = await store.get(key);
    if (!data) continue;
    const entry = { name: encoder.encode(key.slice(1)), crc: crc32(data), size: data.length, offset };
    const header = localHeader(entry, dos);
    yield header;
    yield data;
    offset += header.length + data.length;
    entries.push(entry);
  }
  let cdSize = 0;
  for (const e of entries) {
    const h = centralHeader(e, dos);
    cdSize += h.length;
    yield h;
  }
  yield endRecords(entries.length, offset, cdSize);
}

/** The archive as a byte stream (for a download, a Response, or an OPFS writable). */
export function zarrZipStream(store: ZarrStore, date = new Date()): ReadableStream<Uint8Array> {
  const blocks = zarrZipBlocks(store, date);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await blocks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await blocks.return(undefined);
    },
  });
}
