import { useEffect, useRef } from 'react';
import { useApp } from '../appContext.ts';
import { AtomViewer } from '../viewer/atomViewer.ts';
import { elementStyle } from '../viewer/elementStyle.ts';

/** The 3D view of the atoms; follows the engine's frames without going through React. */
export function AtomView() {
  const { client } = useApp();
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const el = canvas.current;
    if (!el || !client) return;
    const viewer = new AtomViewer(el, { elementStyle });
    const fitToCanvas = () => viewer.setSize(el.clientWidth, el.clientHeight);
    fitToCanvas();
    const resize = new ResizeObserver(fitToCanvas);
    resize.observe(el);
    const removeView = client.addView({
      onLoaded: (e) => {
        viewer.setSystem(e.atomicNumbers, e.positions, e.cell);
        el.dataset.atoms = String(e.nAtoms);
      },
      onPositions: (p) => viewer.updatePositions(p),
    });
    return () => {
      removeView();
      resize.disconnect();
      viewer.dispose();
    };
  }, [client]);

  return (
    <div className="viewer">
      <canvas
        ref={canvas}
        data-testid="viewer-canvas"
        data-atoms="0"
        tabIndex={0}
        aria-label="3D view of the atoms: drag to rotate, scroll to zoom, right-drag or shift-drag to pan"
      />
    </div>
  );
}
