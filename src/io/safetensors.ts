/**
 * The safetensors container (https://huggingface.co/docs/safetensors): an 8-byte little-endian
 * unsigned header length N, N bytes of UTF-8 JSON `{ name: { dtype, shape, data_offsets: [begin, end] },
 * "__metadata__"?: { string: string } }`, then the data buffer; offsets are bytes from the start of
 * the data buffer, values little-endian. Only the float dtypes the GNN weights use (F32, F64) are
 * read. Every problem is a `ParseError` naming the file.
 */
import { ParseError } from './parseError.ts';

/** One tensor, values widened to f64, row-major. */
export interface Tensor {
  /** dtype as stored in the file. */
  dtype: 'F32' | 'F64';
  /** Shape, row-major (an empty shape is a scalar). */
  shape: number[];
  /** Values, row-major. */
  data: Float64Array;
}

/** The contents of a safetensors file. */
export interface SafetensorsFile {
  /** Tensors by name, in header order. */
  tensors: Map<string, Tensor>;
  /** The optional `__metadata__` string map. */
  metadata: Record<string, string>;
}

const itemSize = { F32: 4, F64: 8 } as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses safetensors bytes.
 * @param bytes The whole file.
 * @param file File name for messages.
 * @throws ParseError for a truncated file, a header that is not JSON, an entry without dtype/shape/offsets,
 *   an unsupported dtype, offsets outside the data buffer or not matching the shape, overlapping tensors.
 */
export function parseSafetensors(bytes: Uint8Array, file: string): SafetensorsFile {
  const fail = (problem: string): never => {
    throw new ParseError(file, 0, problem);
  };
  if (bytes.length < 8)
    fail(`not a safetensors file: ${bytes.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) {
    fail(`bad header: header length ${headerLength} exceeds the ${bytes.length - 8} bytes after it`);
  }
  const n = Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    fail(`bad header: not UTF-8 JSON (${(e as Error).message})`);
  }
  if (!isRecord(header)) return fail('bad header: the JSON header is not an object');
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const tensors = new Map<string, Tensor>();
  let metadata: Record<string, string> = {};
  const spans: [number, number, string][] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (!isRecord(entry) || !Object.values(entry).every((v) => typeof v === 'string')) {
        fail('bad header: __metadata__ must map strings to strings');
      }
      metadata = entry as Record<string, string>;
      continue;
    }
    if (!isRecord(entry)) return fail(`bad header: entry "${name}" is not an object`);
    const { dtype, shape, data_offsets: offsets } = entry;
    if (dtype !== 'F32' && dtype !== 'F64') {
      return fail(`tensor "${name}": dtype ${JSON.stringify(dtype)} is not supported (F32 or F64)`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      return fail(`tensor "${name}": shape must be a list of non-negative integers`);
    }
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isInteger(o) && o >= 0) ||
      offsets[1] < offsets[0]
    ) {
      return fail(`tensor "${name}": data_offsets must be [begin, end] with 0 ≤ begin ≤ end`);
    }
    const [begin, end] = offsets as [number, number];
    if (end > dataLength) {
      fail(
        `tensor "${name}": data_offsets end ${end} is past the ${dataLength}-byte data buffer (truncated?)`,
      );
    }
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    const size = itemSize[dtype];
    if (end - begin !== count * size) {
      fail(
        `tensor "${name}": shape [${shape.join(', ')}] of ${dtype} needs ${count * size} bytes, data_offsets span ${end - begin}`,
      );
    }
    const data = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const at = dataStart + begin + k * size;
      data[k] = dtype === 'F32' ? view.getFloat32(at, true) : view.getFloat64(at, true);
    }
    spans.push([begin, end, name]);
    tensors.set(name, { dtype, shape: shape as number[], data });
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let k = 1; k < spans.length; k++) {
    if (spans[k]![0] < spans[k - 1]![1]) {
      fail(`bad header: tensors "${spans[k - 1]![2]}" and "${spans[k]![2]}" overlap in the data buffer`);
    }
  }
  return { tensors, metadata };
}

/**
 * Writes tensors as safetensors bytes (header padded with spaces to a multiple of 8 bytes, as the
 * reference implementation does; tensors in the given order, contiguous).
 * @param tensors Name → { dtype, shape, data }; data length must equal the product of the shape.
 * @param metadata Optional `__metadata__` string map.
 */
export function writeSafetensors(
  tensors: ReadonlyMap<string, Tensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  const entries = [...tensors.entries()];
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of entries) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) {
      throw new Error(`tensor "${name}": ${t.data.length} values for shape [${t.shape.join(', ')}]`);
    }
    const bytes = count * itemSize[t.dtype];
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const [, t] of entries) {
    for (const v of t.data) {
      if (t.dtype === 'F32') view.setFloat32(at, v, true);
      else view.setFloat64(at, v, true);
      at += itemSize[t.dtype];
    }
  }
  return out;
}
