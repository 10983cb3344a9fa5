import { useApp } from '../appContext.ts';
import type { InputsState } from '../inputs/inputsStore.ts';
import { useStore } from './useStore.ts';

/** A selected part of the uploads. */
export function useInputsState<U>(select: (state: InputsState) => U): U {
  return useStore(useApp().inputsStore, select);
}
