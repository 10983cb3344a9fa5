import { useEffect, useRef, useState } from 'react';
import { useApp } from '../appContext.ts';
import { useTrajectoryView } from '../trajectory/trajectoryContext.ts';
import { shownFrame, type TrajectoryViewState } from '../trajectory/trajectoryView.ts';
import { AtomViewer } from '../viewer/atomViewer.ts';
import { elementStyle } from '../viewer/elementStyle.ts';

function sameValues(a: ArrayLike<number> | null, b: ArrayLike<number>): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The 3D view of the atoms; follows the engine's frames without going through React, or shows the
 * frame chosen in a loaded trajectory (live frames then wait until the person goes back to them).
 */
export function AtomView() {
  const { client, workspace } = useApp();
  const trajectory = useTrajectoryView();
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
    let live = true;
    const liveView = {
      onLoaded: (e: {
        atomicNumbers: Int32Array;
        positions: Float32Array;
        cell: Float64Array;
        nAtoms: number;
      }) => {
        if (!live) return;
        viewer.setSystem(e.atomicNumbers, e.positions, e.cell);
        el.dataset.atoms = String(e.nAtoms);
      },
      onPositions: (p: Float32Array) => {
        if (live) viewer.updatePositions(p);
      },
    };
    let removeView = client.addView(liveView);
    // Trajectory frames: the same atoms and cell as the frame shown before only move them (the camera stays).
    let shownNumbers: Int32Array | null = null;
    let shownCell: Float64Array | null = null;
    const showTrajectory = (state: TrajectoryViewState) => {
      const shown = shownFrame(state);
      el.dataset.source = shown ? 'trajectory' : 'live';
      if (!shown) {
        if (!live) {
          live = true;
          shownNumbers = null;
          shownCell = null;
          // Re-registering replays the loaded atoms and the latest live positions.
          removeView();
          removeView = client.addView(liveView);
        }
        return;
      }
      live = false;
      if (sameValues(shownNumbers, shown.atomicNumbers) && sameValues(shownCell, shown.cell)) {
        viewer.updatePositions(shown.positions);
      } else {
        viewer.setSystem(shown.atomicNumbers, shown.positions, shown.cell);
        shownNumbers = shown.atomicNumbers;
        shownCell = shown.cell;
        el.dataset.atoms = String(shown.atomicNumbers.length);
      }
    };
    const unsubscribe = trajectory?.store.subscribe(showTrajectory);
    if (trajectory) showTrajectory(trajectory.store.getState());
    return () => {
      unsubscribe?.();
      removeView();
      resize.disconnect();
      viewer.dispose();
    };
  }, [client, trajectory]);

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
        data-source="live"
        tabIndex={0}
        aria-label="3D view of the atoms: drag to rotate, scroll to zoom, right-drag or shift-drag to pan"
      />
    </div>
  );
}
