import { useMemo } from 'react';
import { currentTypes } from '../inputs/workspace.ts';
import { useInputsState } from './useInputsState.ts';
import { useSpecState } from './useSpecState.ts';

/** Element → type of the current system under the chosen potential, with what keeps it from running. */
export function useCurrentTypes() {
  const inputs = useInputsState((s) => s);
  const kind = useSpecState((s) => s.draft.potential.kind);
  const model = useSpecState((s) => (s.draft.potential.kind === 'gnn' ? s.draft.potential.model : ''));
  const system = useSpecState((s) => s.draft.system);
  return useMemo(() => currentTypes(inputs, system, kind, model), [inputs, system, kind, model]);
}
