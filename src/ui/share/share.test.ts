import { describe, expect, it } from 'vitest';
import { argonVoidSpec } from '../../io/examples.ts';
import type { PipelineSpecInput } from '../../io/spec.ts';
import { getAt } from '../state/specFields.ts';
import { createSpecStore } from '../state/specStore.ts';
import { createKeepShare, type KeepShareEnv } from './keepShare.ts';
import { readSession, SESSION_KEY, sessionText } from './session.ts';
import {
  decodeShareParam,
  encodeShareHash,
  fromBase64Url,
  MAX_SHARE_CHARS,
  sharedParam,
  toBase64Url,
} from './shareUrl.ts';
import { MAX_SPEC_DEPTH, readSpecText } from './specText.ts';

/** deflate-raw + base64url of arbitrary text, as a hostile link would carry it. */
async function packText(text: string): Promise<string> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

async function reason(param: string): Promise<string> {
  const r = await decodeShareParam(param);
  if (r.ok) throw new Error('expected the link to be refused');
  return r.reason;
}

const specText = (patch: (d: Record<string, unknown>) => void = () => {}) => {
  const d = structuredClone(argonVoidSpec) as unknown as Record<string, unknown>;
  patch(d);
  return JSON.stringify(d);
};

describe('share links', () => {
  it('round-trips a spec through the hash', async () => {
    const hash = await encodeShareHash(argonVoidSpec);
    expect(hash).toMatch(/^#spec=[A-Za-z0-9_-]+$/);
    expect(hash.length).toBeLessThan(1000);
    const r = await decodeShareParam(sharedParam(hash) ?? '');
    expect(r.ok && r.value.name).toBe(argonVoidSpec.name);
    expect(sharedParam('#x=1&spec=abc')).toBe('abc');
    expect(sharedParam('#nothing')).toBeNull();
  });

  it('base64url round-trips every byte value', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    expect(fromBase64Url('ab+c')).toBeNull();
  });

  it('refuses hostile or corrupted links with a reason', async () => {
    expect(await reason('alert(1)')).toBe('it is not base64url text');
    expect(await reason('')).toBe('it carries no spec');
    expect(await reason('A'.repeat(MAX_SHARE_CHARS + 4))).toMatch(/^it is too long/);
    expect(await reason(toBase64Url(new TextEncoder().encode('plain text, not deflate')))).toMatch(
      /^it is not deflate-compressed data/,
    );
    expect(await reason(await packText('{"version": 1, oops'))).toMatch(/^it is not valid JSON/);
    // A deflate bomb: 8 MiB of spaces compress to ~8 kB; inflating stops at 1 MiB.
    const bomb = await packText(' '.repeat(8 << 20));
    expect(bomb.length).toBeLessThan(MAX_SHARE_CHARS);
    expect(await reason(bomb)).toBe('it inflates to more than 1.0 MiB');
    expect(await reason(await packText('['.repeat(100_000)))).toBe(
      `it nests more than ${MAX_SPEC_DEPTH} levels deep`,
    );
    expect(await reason(await packText('[1, 2]'))).toBe('it is not a pipeline spec (expected a JSON object)');
    expect(
      await reason(await packText(specText((d) => ((d.stages as Array<{ dt: number }>)[0]!.dt = -1)))),
    ).toBe('it is not a valid pipeline spec (stages[0].dt: must be > 0 fs)');
    const pollute = `{"__proto__": {"polluted": true}, ${specText().slice(1)}`;
    expect(await reason(await packText(pollute))).toBe('it has the forbidden key "__proto__"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const nested = specText().replace('"kind":"fcc"', '"constructor":{"prototype":{}},"kind":"fcc"');
    expect(await reason(await packText(nested))).toBe('it has the forbidden key "system.constructor"');
    const notUtf8 = new Blob([new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])])
      .stream()
      .pipeThrough(new CompressionStream('deflate-raw'));
    const packed = toBase64Url(new Uint8Array(await new Response(notUtf8).arrayBuffer()));
    expect(await reason(packed)).toBe('it does not inflate to UTF-8 text');
  });

  it('keeps text that looks like code as plain data', async () => {
    const name = '<img src=x onerror="globalThis.pwned=1">"); globalThis.pwned = 1; //';
    const r = await decodeShareParam(await packText(specText((d) => (d.name = name))));
    expect(r.ok && r.value.name).toBe(name);
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
  });

  it('reads JSON files with the same checks', () => {
    expect(readSpecText('').ok).toBe(false);
    const wrongVersion = readSpecText(specText((d) => (d.version = 2)));
    expect(!wrongVersion.ok && wrongVersion.reason).toBe(
      'it is not a valid pipeline spec (version: unsupported spec version; this build reads version 1)',
    );
    const extra = readSpecText(specText((d) => (d.extra = 1)));
    expect(!extra.ok && extra.reason).toContain('Unrecognized key: "extra"');
  });
});

describe('sessions', () => {
  it('restores an invalid draft with its malformed numbers', () => {
    const d = structuredClone(argonVoidSpec);
    (d.stages[0] as { dt: number }).dt = Number.NaN;
    (d.stages[1] as { temperature: number }).temperature = -5;
    const r = readSession(sessionText(d));
    if (r.kind !== 'ok') throw new Error(JSON.stringify(r));
    expect(getAt(r.draft, ['stages', 0, 'dt'])).toBeNaN();
    expect(getAt(r.draft, ['stages', 1, 'temperature'])).toBe(-5);
  });

  it('refuses stored entries it cannot show, saying why', () => {
    const bad = (text: string) => {
      const r = readSession(text);
      if (r.kind !== 'bad') throw new Error(`expected a refusal of ${text.slice(0, 60)}`);
      return r.reason;
    };
    expect(readSession(null).kind).toBe('none');
    expect(bad('{not json')).toMatch(/^it is not valid JSON/);
    expect(bad('{"app":"other"}')).toBe('it is not a saved session of this page');
    const wrap = (draft: unknown) => JSON.stringify({ app: 'md-workbench', format: 1, draft });
    expect(bad(wrap({ ...argonVoidSpec, version: 7 }))).toBe(
      'it was saved for spec version 7; this build reads version 1',
    );
    expect(bad(wrap({ ...argonVoidSpec, potential: 'lj' }))).toMatch(
      /^it is not a spec this page can show \(potential:/,
    );
    expect(bad(wrap({ ...argonVoidSpec, stages: [{ kind: 'warp' }] }))).toMatch(/stages\[0\]/);
    expect(bad(wrap({ ...argonVoidSpec, extra: 1 }))).toMatch(/Unrecognized key/);
  });
});

/** An environment with memory storage, a fake URL and recorded downloads. */
function fakeEnv(hash = '') {
  const items = new Map<string, string>();
  const storage = {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
  } as unknown as Storage;
  const downloads: Array<{ name: string; text: Promise<string> }> = [];
  const env: KeepShareEnv & { urls: string[] } = {
    storage,
    location: { hash, href: `http://localhost/${hash}` },
    urls: [],
    replaceUrl: (url) => void env.urls.push(url),
    copyText: async () => {},
    download: (blob, name) => void downloads.push({ name, text: blob.text() }),
  };
  return { env, items, downloads };
}

describe('keep and share controller', () => {
  it('stores edits and restores them into a new page; a corrupted entry keeps the example', () => {
    const { env, items } = fakeEnv();
    const first = createSpecStore(argonVoidSpec);
    createKeepShare(first, env);
    first.setField(['stages', 0, 'dt'], -2);
    const second = createSpecStore(argonVoidSpec);
    const keep = createKeepShare(second, env);
    expect(getAt(second.getState().draft, ['stages', 0, 'dt'])).toBe(-2);
    expect(second.getState().validation.byKey.get('stages[0].dt')?.[0]?.message).toBe('must be > 0 fs');
    expect(second.getState().canUndo).toBe(false);
    expect(keep.state.getState().message).toBeNull();

    items.set(SESSION_KEY, '{"app":"md-workbench","format":1,"draft":{"version":1,"stages":"x"');
    const third = createSpecStore(argonVoidSpec);
    const k3 = createKeepShare(third, env);
    expect(k3.state.getState().message?.text).toMatch(
      /^The last session could not be restored: it is not valid JSON/,
    );
    expect(getAt(third.getState().draft, ['stages', 0, 'dt'])).toBe(5);
  });

  it('opens a shared link as one undo step and drops the hash; a bad link changes nothing', async () => {
    const other = structuredClone(argonVoidSpec) as PipelineSpecInput;
    other.name = 'shared';
    const hash = await encodeShareHash(other);
    const { env } = fakeEnv(hash);
    const store = createSpecStore(argonVoidSpec);
    const keep = createKeepShare(store, env);
    store.setField(['stages', 0, 'dt'], 3);
    await keep.openHash(hash);
    expect(store.getState().lastValid.name).toBe('shared');
    expect(env.urls).toEqual(['http://localhost/']);
    store.undo();
    expect(getAt(store.getState().draft, ['stages', 0, 'dt'])).toBe(3);

    const before = store.getState().draft;
    await keep.openHash('#spec=%%%');
    expect(store.getState().draft).toBe(before);
    expect(keep.state.getState().message).toMatchObject({
      kind: 'error',
      text: 'The shared link could not be opened: it is not base64url text. Nothing was changed.',
    });
  });

  it('saves the draft as JSON and loads it back; bad files change nothing', async () => {
    const { env, downloads } = fakeEnv();
    const store = createSpecStore(argonVoidSpec);
    const keep = createKeepShare(store, env);
    store.setField(['name'], 'saved run');
    keep.saveFile();
    expect(downloads[0]?.name).toBe('saved-run.spec.json');
    const text = (await downloads[0]?.text) ?? '';
    store.setField(['name'], 'changed');
    await keep.loadFile(new File([text], 'saved-run.spec.json'));
    expect(store.getState().lastValid.name).toBe('saved run');

    const before = store.getState().draft;
    await keep.loadFile(new File(['{"version":1}'], 'bad.json'));
    expect(store.getState().draft).toBe(before);
    expect(keep.state.getState().message?.text).toMatch(
      /^The file bad\.json could not be loaded: it is not a valid pipeline spec \(system: /,
    );
    store.setField(['stages', 0, 'dt'], -1);
    keep.saveFile();
    expect(downloads).toHaveLength(1);
    expect(keep.state.getState().message?.text).toMatch(/^The spec was not saved: the spec has 1 error/);
  });
});
