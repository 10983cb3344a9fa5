import { useEffect, useRef, useState } from 'react';
import { useApp } from '../appContext.ts';
import { AtomViewer } from '../viewer/atomViewer.ts';
import { elementStyle } from '../viewer/elementStyle.ts';

/** The 3D view of the atoms; follows the engine's frames without going through React. */
export function AtomView() {
  const { client, workspace } = useApp();
  const [dragging, setDragging] = useState(false);
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
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping a file is a shortcut; the System panel has the labelled file input
    <div
      className={`viewer${dragging ? ' dropping' : ''}`}
      data-testid="viewer-drop"
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        const file = e.dataTransfer.files[0];
        if (file) void workspace.uploadStructure(file);
      }}
    >
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
