/**
 * The spec being edited: the draft (what the form shows, possibly invalid), its validation, and
 * the last valid spec (kept so that nothing is lost while a field is invalid; Run uses it only
 * when the draft is valid, i.e. when the two agree).
 *
 * Every edit made through {@link SpecStore.setField}, {@link SpecStore.edit} or
 * {@link SpecStore.replace} is recorded for undo/redo: the history holds whole drafts (they are
 * small, a few kB), consecutive typing into one field within {@link COALESCE_MS} is one step, and
 * the depth is capped (the oldest steps are dropped).
 */
import { type PipelineSpec, type PipelineSpecInput, parseSpec } from '../../io/spec.ts';
import { createStore, type Store } from './createStore.ts';
import {
  type DraftValidation,
  getAt,
  type PathSegment,
  pathKey,
  setAt,
  validateDraft,
} from './specFields.ts';

export interface SpecState {
  draft: PipelineSpecInput;
  validation: DraftValidation;
  lastValid: PipelineSpec;
  /**
   * Counts structural edits (segments, hooks or criteria added, removed or moved; an object
   * replaced; undo and redo). Forms key their inputs with it, so that an input never keeps the
   * text typed into the item that used to sit at its place.
   */
  structure: number;
  /** Whether {@link SpecStore.undo} has a step to take back. */
  canUndo: boolean;
  /** Whether {@link SpecStore.redo} has a step to take again (cleared by any new edit). */
  canRedo: boolean;
}

export interface SpecStore extends Store<SpecState> {
  /** Sets one field of the draft (`undefined`: removes it) and revalidates. */
  setField(path: readonly PathSegment[], value: unknown): void;
  /** Replaces the draft by `edit(draft)` (a structural edit, see {@link SpecState.structure}) and revalidates. */
  edit(edit: (draft: PipelineSpecInput) => PipelineSpecInput): void;
  /** Replaces the whole draft (a loaded file, a shared link, a restored session); one undo step. */
  replace(draft: PipelineSpecInput): void;
  /** Takes back the last edit; no-op without one. */
  undo(): void;
  /** Takes again the last undone edit; no-op without one. */
  redo(): void;
  /** Forgets every undo and redo step (the history starts at the current draft, e.g. a restored session). */
  clearHistory(): void;
}

/** Most undo steps kept. */
export const HISTORY_DEPTH = 200;
/** Keystrokes into one field less than this apart (ms) are one undo step. */
export const COALESCE_MS = 1500;

export interface SpecStoreOptions {
  /** Most undo steps kept (default {@link HISTORY_DEPTH}). */
  depth?: number | undefined;
  /** Clock in ms (default `performance.now`); tests pass their own. */
  now?: () => number;
}

/** Deep equality of JSON-like values (numbers by `Object.is`, so NaN equals NaN). */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => Object.hasOwn(rb, k) && sameValue(ra[k], rb[k]));
}

/**
 * `initial` must be valid; it is stored with the schema's defaults filled in, so every field shows.
 * @throws SpecError when `initial` is not a valid spec.
 */
export function createSpecStore(initial: PipelineSpecInput, options: SpecStoreOptions = {}): SpecStore {
  const depth = Math.max(1, options.depth ?? HISTORY_DEPTH);
  const now = options.now ?? (() => performance.now());
  const spec = parseSpec(initial);
  const draft = structuredClone(spec) as PipelineSpecInput;
  const store = createStore<SpecState>({
    draft,
    validation: validateDraft(draft),
    lastValid: spec,
    structure: 0,
    canUndo: false,
    canRedo: false,
  });
  /** Drafts before each recorded edit, oldest first. */
  const past: PipelineSpecInput[] = [];
  /** Drafts taken back by undo, most recently undone last. */
  const future: PipelineSpecInput[] = [];
  /** The field last typed into and when, while its keystrokes still join one step. */
  let typing: { key: string; at: number } | null = null;

  const apply = (next: PipelineSpecInput, structural: boolean) =>
    store.setState((s) => {
      const validation = validateDraft(next);
      const lastValid = validation.ok ? parseSpec(next) : s.lastValid;
      return {
        draft: next,
        validation,
        lastValid,
        structure: s.structure + (structural ? 1 : 0),
        canUndo: past.length > 0,
        canRedo: future.length > 0,
      };
    });

  /** Records the current draft as an undo step (unless `coalesceKey` continues the typing) and applies `next`. */
  const commit = (next: PipelineSpecInput, structural: boolean, coalesceKey: string | null) => {
    const current = store.getState().draft;
    if (next === current) return;
    const t = now();
    const continues = coalesceKey !== null && typing?.key === coalesceKey && t - typing.at < COALESCE_MS;
    if (!continues) {
      past.push(current);
      if (past.length > depth) past.splice(0, past.length - depth);
    }
    typing = coalesceKey === null ? null : { key: coalesceKey, at: t };
    future.length = 0;
    apply(next, structural);
  };

  return {
    ...store,
    setField(path, value) {
      const current = store.getState().draft;
      if (sameValue(getAt(current, path), value)) return;
      const structural = typeof value === 'object' && value !== null;
      commit(setAt(current, path, value), structural, structural ? null : pathKey(path));
    },
    edit(edit) {
      commit(edit(store.getState().draft), true, null);
    },
    replace(next) {
      if (sameValue(store.getState().draft, next)) return;
      commit(structuredClone(next), true, null);
    },
    undo() {
      const previous = past.pop();
      if (previous === undefined) return;
      future.push(store.getState().draft);
      typing = null;
      apply(previous, true);
    },
    redo() {
      const next = future.pop();
      if (next === undefined) return;
      past.push(store.getState().draft);
      typing = null;
      apply(next, true);
    },
    clearHistory() {
      past.length = 0;
      future.length = 0;
      typing = null;
      store.setState((s) => (s.canUndo || s.canRedo ? { ...s, canUndo: false, canRedo: false } : s));
    },
  };
}
