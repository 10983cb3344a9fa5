/**
 * What the composer shows besides the spec: the selected node (the inspector's subject), the last
 * announcement for screen readers, and the node to focus after an edit moved it. The spec itself
 * stays in the spec store (the one document).
 */
import { createContext, useContext, useState } from 'react';
import type { PipelineSpecInput } from '../../io/spec.ts';
import { useStore } from '../hooks/useStore.ts';
import { createStore, type Store } from '../state/createStore.ts';
import { stageAddresses, stageAt } from '../state/pipelineEdits.ts';
import { isFusedSegment, type Selection } from './model.ts';

export interface ComposerState {
  /** Null: nothing chosen yet (the first stage is shown). */
  selected: Selection | null;
  /** Last change, read out by the live region. */
  announcement: string;
  /** Node key (`stages[0]`, `link[1]`, …) to focus after the next render. */
  focus: string | null;
}

export type ComposerStore = Store<ComposerState>;

export function createComposerStore(): ComposerStore {
  return createStore<ComposerState>({ selected: null, announcement: '', focus: null });
}

export const ComposerContext = createContext<ComposerStore | null>(null);

/** A new composer store for the provider (one per page). */
export function useNewComposerStore(): ComposerStore {
  const [store] = useState(createComposerStore);
  return store;
}

export function useComposerStore(): ComposerStore {
  const store = useContext(ComposerContext);
  if (!store) throw new Error('composer component outside <ComposerContext.Provider>');
  return store;
}

export function useComposerState<U>(select: (s: ComposerState) => U): U {
  return useStore(useComposerStore(), select);
}

/**
 * The selection as it applies to `draft`: the chosen node when it still exists, else the first
 * stage (null for an empty pipeline).
 */
export function effectiveSelection(draft: PipelineSpecInput, selected: Selection | null): Selection | null {
  const n = Array.isArray(draft.stages) ? draft.stages.length : 0;
  if (selected?.type === 'stage' && stageAt(draft, selected.address) !== undefined) return selected;
  if (selected?.type === 'group' && isFusedSegment(draft, selected.segment)) return selected;
  if (selected?.type === 'link' && selected.index >= 0 && selected.index < n - 1) return selected;
  const first = stageAddresses(draft)[0];
  return first ? { type: 'stage', address: first } : null;
}
