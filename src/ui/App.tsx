import { useEffect, useMemo, useState } from 'react';
import { argonVoidSpec } from '../io/examples.ts';
import { AppContext, type AppServices } from './appContext.ts';
import { WebGpuUnavailable } from './components/WebGpuUnavailable.tsx';
import { Workbench } from './components/Workbench.tsx';
import { createEngineWorker } from './engine/createEngineWorker.ts';
import { EngineClient } from './engine/engineClient.ts';
import { useStore } from './hooks/useStore.ts';
import { createInputsStore } from './inputs/inputsStore.ts';
import { Workspace } from './inputs/workspace.ts';
import { browserEnv, startKeepShare } from './share/keepShare.ts';
import { sessionStorageArea } from './share/session.ts';
import { createStore } from './state/createStore.ts';
import { initialRunState } from './state/runState.ts';
import { createSpecStore } from './state/specStore.ts';
import { installTestHook } from './testHook.ts';

/** The page: detects WebGPU, starts the engine worker with the default example, shows the workbench. */
export function App() {
  const [stores] = useState(() => {
    const runStore = createStore(initialRunState);
    const specStore = createSpecStore(argonVoidSpec);
    const inputsStore = createInputsStore();
    const clientRef: { current: EngineClient | null } = { current: null };
    const workspace = new Workspace(specStore, inputsStore, runStore, () => clientRef.current);
    startKeepShare(specStore, browserEnv(sessionStorageArea())); // restore the last session, open a shared link
    void workspace.restoreGnnModels(); // uploaded GNN models kept from earlier visits; a shipped one the draft names
    return { runStore, specStore, inputsStore, workspace, clientRef };
  });
  const [client, setClient] = useState<EngineClient | null>(null);

  useEffect(() => {
    const c = new EngineClient(stores.runStore, createEngineWorker);
    stores.clientRef.current = c;
    setClient(c);
    const removeHook = installTestHook(c);
    void c.start(stores.specStore.getState().lastValid).then(() => stores.workspace.onEngineReady());
    return () => {
      removeHook();
      stores.clientRef.current = null;
      c.dispose();
    };
  }, [stores]);

  const phase = useStore(stores.runStore, (s) => s.phase);
  const reason = useStore(stores.runStore, (s) => s.unsupportedReason);
  const title = useStore(stores.specStore, (s) => s.lastValid.name);
  const services: AppServices = useMemo(
    () => ({
      runStore: stores.runStore,
      specStore: stores.specStore,
      inputsStore: stores.inputsStore,
      workspace: stores.workspace,
      client,
    }),
    [stores, client],
  );

  return (
    <AppContext.Provider value={services}>
      {phase === 'unsupported' ? <WebGpuUnavailable reason={reason ?? ''} /> : <Workbench title={title} />}
    </AppContext.Provider>
  );
}
