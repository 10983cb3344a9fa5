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
}

export interface SpecStore extends Store<SpecState> {
  /** Sets one field of the draft and revalidates. */
  setField(path: readonly PathSegment[], value: unknown): void;
}

/** `initial` must be valid; it is stored with the schema's defaults filled in, so every field shows. */
export function createSpecStore(initial: PipelineSpecInput): SpecStore {
  const spec = parseSpec(initial);
  const draft = structuredClone(spec) as PipelineSpecInput;
  const store = createStore<SpecState>({ draft, validation: validateDraft(draft), lastValid: spec });
  return {
    ...store,
    setField(path, value) {
      store.setState((s) => {
        const next = setAt(s.draft, path, value);
        const validation = validateDraft(next);
        const lastValid = validation.ok ? parseSpec(next) : s.lastValid;
        return { draft: next, validation, lastValid };
      });
    },
  };
}
