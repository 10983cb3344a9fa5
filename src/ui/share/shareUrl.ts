/**
 * Share by URL: the spec as JSON, deflate-raw compressed, base64url in the hash (`#spec=…`).
 * Decoding treats the hash as hostile: strict base64url, a cap on the compressed and the inflated
 * size (a deflate bomb stops at {@link MAX_INFLATED_BYTES}), strict UTF-8, then {@link readSpecText}.
 * The hash is data only: it never reaches `eval`, `Function` or the DOM as markup.
 */
import type { PipelineSpec, PipelineSpecInput } from '../../io/spec.ts';
import { formatSize, MAX_SPEC_CHARS, type Read, readSpecText } from './specText.ts';

/** The hash parameter that carries a shared spec. */
export const SHARE_PARAM = 'spec';
/** Most characters of base64url accepted in a link (about 48 kB compressed). */
export const MAX_SHARE_CHARS = 64 * 1024;
/** Most bytes a shared spec may inflate to. */
export const MAX_INFLATED_BYTES = MAX_SPEC_CHARS;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Bytes as base64url without padding (RFC 4648 §5). */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** base64url (padding optional) as bytes, or null when it is not base64url. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return null;
  const b64 = text.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (text.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(b64);
  } catch {
    return null;
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

async function collect(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | null> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Compresses `text` (UTF-8) with deflate-raw. */
async function deflate(text: string): Promise<Uint8Array> {
  const input = new Blob([new TextEncoder().encode(text)]).stream();
  const out = await collect(
    input.pipeThrough(new CompressionStream('deflate-raw')),
    Number.POSITIVE_INFINITY,
  );
  return out!;
}

/** Inflates deflate-raw data, stopping once more than `limit` bytes come out. */
async function inflate(bytes: Uint8Array, limit: number): Promise<Read<Uint8Array>> {
  const ds = new DecompressionStream('deflate-raw');
  const writer = ds.writable.getWriter();
  // Errors surface on the readable side; the writer's promises are awaited there too.
  const written = writer
    .write(bytes as Uint8Array<ArrayBuffer>)
    .then(() => writer.close())
    .catch(() => undefined);
  try {
    const out = await collect(ds.readable, limit);
    await written;
    if (out === null) return { ok: false, reason: `it inflates to more than ${formatSize(limit)}` };
    return { ok: true, value: out };
  } catch (e) {
    await written;
    return {
      ok: false,
      reason: `it is not deflate-compressed data (${e instanceof Error ? e.message : String(e)})`,
    };
  }
}

/** The hash (`#spec=…`) that shares `spec`. */
export async function encodeShareHash(spec: PipelineSpec | PipelineSpecInput): Promise<string> {
  return `#${SHARE_PARAM}=${toBase64Url(await deflate(JSON.stringify(spec)))}`;
}

/** The `spec` parameter of a hash (`#spec=…`, `#a=b&spec=…`), or null when it has none. */
export function sharedParam(hash: string): string | null {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  for (const part of h.split('&')) {
    const eq = part.indexOf('=');
    if (eq >= 0 && part.slice(0, eq) === SHARE_PARAM) return part.slice(eq + 1);
  }
  return null;
}

/** Decodes the value of a `#spec=` parameter into a valid spec, or says why it cannot. */
export async function decodeShareParam(param: string): Promise<Read<PipelineSpec>> {
  if (param === '') return { ok: false, reason: 'it carries no spec' };
  if (param.length > MAX_SHARE_CHARS)
    return { ok: false, reason: `it is too long (${param.length} characters; at most ${MAX_SHARE_CHARS})` };
  const bytes = fromBase64Url(param);
  if (bytes === null) return { ok: false, reason: 'it is not base64url text' };
  const inflated = await inflate(bytes, MAX_INFLATED_BYTES);
  if (!inflated.ok) return inflated;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(inflated.value);
  } catch {
    return { ok: false, reason: 'it does not inflate to UTF-8 text' };
  }
  return readSpecText(text);
}
