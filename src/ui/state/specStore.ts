/**
 * The spec being edited: the draft (what the form shows, possibly invalid), its validation, and
 * the last valid spec (kept so that nothing is lost while a field is invalid; Run uses it only
 * when the draft is valid, i.e. when the two agree).
 */
import { type PipelineSpec, type PipelineSpecInput, parseSpec } from '../../io/spec.ts';
import { createStore, type Store } from './createStore.ts';
import { type DraftValidation, type PathSegment, setAt, validateDraft } from './specFields.ts';

export interface SpecState {
  draft: PipelineSpecInput;
  validation: DraftValidation;
  lastValid: PipelineSpec;
  /**
   * Counts structural edits (segments, hooks or criteria added, removed or moved; an object
   * replaced). Forms key their inputs with it, so that an input never keeps the text typed into
   * the item that used to sit at its place.
   */
  structure: number;
}

export interface SpecStore extends Store<SpecState> {
  /** Sets one field of the draft (`undefined`: removes it) and revalidates. */
  setField(path: readonly PathSegment[], value: unknown): void;
  /** Replaces the draft by `edit(draft)` (a structural edit, see {@link SpecState.structure}) and revalidates. */
  edit(edit: (draft: PipelineSpecInput) => PipelineSpecInput): void;
}

/** `initial` must be valid; it is stored with the schema's defaults filled in, so every field shows. */
export function createSpecStore(initial: PipelineSpecInput): SpecStore {
  const spec = parseSpec(initial);
  const draft = structuredClone(spec) as PipelineSpecInput;
  const store = createStore<SpecState>({
    draft,
    validation: validateDraft(draft),
    lastValid: spec,
    structure: 0,
  });
  const commit = (next: PipelineSpecInput, structural: boolean) =>
    store.setState((s) => {
      if (next === s.draft) return s;
      const validation = validateDraft(next);
      const lastValid = validation.ok ? parseSpec(next) : s.lastValid;
      return { draft: next, validation, lastValid, structure: s.structure + (structural ? 1 : 0) };
    });
  return {
    ...store,
    setField(path, value) {
      commit(setAt(store.getState().draft, path, value), typeof value === 'object' && value !== null);
    },
    edit(edit) {
      commit(edit(store.getState().draft), true);
    },
  };
}
