/**
 * Keep and share: restores the last session's draft on start and stores every edit; opens a shared
 * link (`#spec=…`) on start and when the hash changes; saves and loads the spec as a JSON file;
 * makes share links. Whatever fails leaves the draft untouched and says why in {@link KeepShareState}.
 * Framework-free (the page's SpecToolbar shows it), so it can be tested without React.
 */
import type { PipelineSpecInput } from '../../io/spec.ts';
import { createStore, type Store } from '../state/createStore.ts';
import type { SpecStore } from '../state/specStore.ts';
import { fileBase, saveBlob } from '../trajectory/saveBlob.ts';
import { loadSession, saveSession } from './session.ts';
import { decodeShareParam, encodeShareHash, MAX_SHARE_CHARS, SHARE_PARAM, sharedParam } from './shareUrl.ts';
import { formatSize, MAX_SPEC_CHARS, readSpecText } from './specText.ts';

/** A message for the person: an error (nothing changed) or news (something was done). */
export interface KeepShareMessage {
  kind: 'error' | 'info';
  text: string;
  /** Grows with every message, so the same text said twice is still announced. */
  id: number;
}

export interface KeepShareState {
  message: KeepShareMessage | null;
  /** The last share link made, shown so it can be copied by hand too. */
  shareLink: string | null;
}

/** What the controller needs from the page (the real `window` parts in the app; fakes in tests). */
export interface KeepShareEnv {
  storage: Storage | null;
  /** The page's URL (read) and a way to drop the hash from it without a reload. */
  location: Pick<Location, 'hash' | 'href'>;
  replaceUrl(url: string): void;
  copyText(text: string): Promise<void>;
  download(blob: Blob, name: string): void;
}

export interface KeepShare {
  readonly state: Store<KeepShareState>;
  /** Opens the shared spec in `hash` if it carries one (`#spec=…`). */
  openHash(hash: string): Promise<void>;
  /** Reads a JSON file as the draft (one undo step); on failure the draft is untouched. */
  loadFile(file: File): Promise<void>;
  /** Offers the draft as a JSON file. */
  saveFile(): void;
  /** Makes a share link of the draft and copies it to the clipboard. */
  copyShareLink(): Promise<void>;
  say(kind: KeepShareMessage['kind'], text: string): void;
  dismiss(): void;
  dispose(): void;
}

let messageIds = 0;

/** The page's environment. */
export function browserEnv(storage: Storage | null): KeepShareEnv {
  return {
    storage,
    location: window.location,
    replaceUrl: (url) => window.history.replaceState(window.history.state, '', url),
    copyText: (text) => navigator.clipboard.writeText(text),
    download: saveBlob,
  };
}

/** Why the draft cannot be saved or shared, or null. */
function invalidDraftReason(specStore: SpecStore): string | null {
  const v = specStore.getState().validation;
  if (v.ok) return null;
  return `the spec has ${v.issues.length} error${v.issues.length === 1 ? '' : 's'} (first: ${v.issues[0]?.path}: ${v.issues[0]?.message}); fix ${v.issues.length === 1 ? 'it' : 'them'} first`;
}

/**
 * Restores the stored session into `specStore` (no undo step: the history starts there), then
 * stores every later edit. Does not open the hash: call {@link KeepShare.openHash} for that.
 */
export function createKeepShare(specStore: SpecStore, env: KeepShareEnv): KeepShare {
  const state = createStore<KeepShareState>({ message: null, shareLink: null });
  const say = (kind: KeepShareMessage['kind'], text: string) =>
    state.setState((s) => ({ ...s, message: { kind, text, id: ++messageIds } }));

  const stored = loadSession(env.storage);
  if (stored.kind === 'ok') {
    specStore.replace(stored.draft);
    specStore.clearHistory();
  } else if (stored.kind === 'bad') {
    say('error', `The last session could not be restored: ${stored.reason}. The example is shown instead.`);
  }

  let saveFailed = false;
  const unsubscribe = specStore.subscribe((s, previous) => {
    if (s.draft === previous.draft) return;
    const r = saveSession(env.storage, s.draft);
    if (!r.ok && !saveFailed) say('error', `Edits are not kept for the next visit: ${r.reason}.`);
    saveFailed = !r.ok;
  });

  const dropHash = () => {
    const url = env.location.href;
    const at = url.indexOf('#');
    if (at >= 0) env.replaceUrl(url.slice(0, at));
  };

  return {
    state,
    say,
    dismiss: () => state.setState((s) => ({ ...s, message: null })),
    async openHash(hash) {
      const param = sharedParam(hash);
      if (param === null) return;
      const r = await decodeShareParam(param);
      // The link is read once: a reload shows the session as edited since, not the link again.
      dropHash();
      if (!r.ok) {
        say('error', `The shared link could not be opened: ${r.reason}. Nothing was changed.`);
        return;
      }
      specStore.replace(structuredClone(r.value) as PipelineSpecInput);
      say('info', `Opened the shared spec “${r.value.name}” (Undo goes back).`);
    },
    async loadFile(file) {
      const fail = (reason: string) =>
        say('error', `The file ${file.name} could not be loaded: ${reason}. Nothing was changed.`);
      if (file.size > MAX_SPEC_CHARS)
        return fail(`it is too large (${formatSize(file.size)}; at most ${formatSize(MAX_SPEC_CHARS)})`);
      let text: string;
      try {
        text = await file.text();
      } catch (e) {
        return fail(`the browser could not read it (${e instanceof Error ? e.message : String(e)})`);
      }
      const r = readSpecText(text);
      if (!r.ok) return fail(r.reason);
      specStore.replace(structuredClone(r.value) as PipelineSpecInput);
      say('info', `Loaded “${r.value.name}” from ${file.name} (Undo goes back).`);
    },
    saveFile() {
      const why = invalidDraftReason(specStore);
      if (why) return say('error', `The spec was not saved: ${why}.`);
      const spec = specStore.getState().lastValid;
      env.download(
        new Blob([`${JSON.stringify(specStore.getState().draft, null, 2)}\n`], { type: 'application/json' }),
        `${fileBase(spec.name)}.spec.json`,
      );
      say('info', `Saved the spec as ${fileBase(spec.name)}.spec.json.`);
    },
    async copyShareLink() {
      const why = invalidDraftReason(specStore);
      if (why) return say('error', `No share link was made: ${why}.`);
      const hash = await encodeShareHash(specStore.getState().draft);
      if (hash.length - SHARE_PARAM.length - 2 > MAX_SHARE_CHARS)
        return say('error', 'The spec is too large to share by link: save it as JSON instead.');
      const base = env.location.href.split('#')[0] ?? '';
      const link = `${base}${hash}`;
      state.setState((s) => ({ ...s, shareLink: link }));
      try {
        await env.copyText(link);
        say('info', 'Share link copied to the clipboard.');
      } catch (e) {
        say(
          'info',
          `The browser did not let the page copy (${e instanceof Error ? e.message : String(e)}): copy the link below.`,
        );
      }
    },
    dispose: unsubscribe,
  };
}

const registry = new WeakMap<SpecStore, KeepShare>();

/**
 * Starts keep-and-share for the page's spec store (once per store): restores the last session,
 * opens a shared link in the URL, and follows later hash changes. {@link keepShareOf} finds it.
 */
export function startKeepShare(specStore: SpecStore, env: KeepShareEnv): KeepShare {
  const existing = registry.get(specStore);
  if (existing) return existing;
  const keep = createKeepShare(specStore, env);
  registry.set(specStore, keep);
  void keep.openHash(env.location.hash);
  window.addEventListener('hashchange', () => void keep.openHash(env.location.hash));
  return keep;
}

/** The keep-and-share controller started for `specStore`, if any. */
export function keepShareOf(specStore: SpecStore): KeepShare | null {
  return registry.get(specStore) ?? null;
}
