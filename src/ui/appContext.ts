/** What every component of the page shares: the stores and the engine client. */
import { createContext, useContext } from 'react';
import type { EngineClient } from './engine/engineClient.ts';
import type { InputsStore } from './inputs/inputsStore.ts';
import type { Workspace } from './inputs/workspace.ts';
import type { Store } from './state/createStore.ts';
import type { RunState } from './state/runState.ts';
import type { SpecStore } from './state/specStore.ts';

export interface AppServices {
  runStore: Store<RunState>;
  specStore: SpecStore;
  /** Uploaded structure and potential files. */
  inputsStore: InputsStore;
  /** Uploads, potential choice, Run and export, tying the stores to the engine. */
  workspace: Workspace;
  /** Null until the page has started it. */
  client: EngineClient | null;
}

export const AppContext = createContext<AppServices | null>(null);

export function useApp(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('useApp outside <AppContext.Provider>');
  return services;
}
