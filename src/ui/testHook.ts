/** Hooks that e2e tests (Playwright) call on `window`; nothing in the page uses them. */
import type { EngineClient } from './engine/engineClient.ts';

export interface MdTestHook {
  /** Destroys the worker's GPU device, as a driver reset would. */
  loseDevice(): void;
}

declare global {
  interface Window {
    __mdTest?: MdTestHook;
  }
}

/** Installs `window.__mdTest` for `client`; returns the function that removes it. */
export function installTestHook(client: EngineClient): () => void {
  window.__mdTest = { loseDevice: () => client.loseDeviceForTesting() };
  return () => {
    delete window.__mdTest;
  };
}
