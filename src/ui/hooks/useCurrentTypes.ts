import { useMemo } from 'react';
import { useApp } from '../appContext.ts';
import { currentTypes } from '../inputs/workspace.ts';
import { useInputsState } from './useInputsState.ts';
import { useSpecState } from './useSpecState.ts';

/** Element → type of the current system under the chosen potential, with what keeps it from running. */
export function useCurrentTypes() {
  const { workspace } = useApp();
  const inputs = useInputsState((s) => s);
  const kind = useSpecState((s) => s.draft.potential.kind);
  return useMemo(() => currentTypes(inputs, workspace.example, kind), [inputs, workspace, kind]);
}
