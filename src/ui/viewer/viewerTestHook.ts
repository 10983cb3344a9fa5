/** What e2e tests (Playwright) read from the viewer on `window`; nothing in the page uses it. */
import type { AtomViewer } from './atomViewer.ts';
import type { ViewController } from './viewController.ts';

export interface MdViewerTestHook {
  /** The atom nearest the camera whose centre projects inside the canvas, with that point (client px). */
  frontAtom(): { index: number; x: number; y: number; position: [number, number, number] } | null;
  /** Index of the picked atom (−1: none). */
  picked(): number;
}

declare global {
  interface Window {
    __mdViewer?: MdViewerTestHook;
  }
}

/** Installs `window.__mdViewer`; returns the function that removes it. */
export function installViewerTestHook(viewer: AtomViewer, controller: ViewController): () => void {
  const hook: MdViewerTestHook = {
    frontAtom: () => viewer.frontAtom(),
    picked: () => controller.picked,
  };
  window.__mdViewer = hook;
  return () => {
    if (window.__mdViewer === hook) delete window.__mdViewer;
  };
}
