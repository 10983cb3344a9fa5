import { useEffect, useRef, useState } from 'react';
import type { EngineEvent, Frame, ViewOptions } from '../../engine/api.ts';
import { useApp } from '../appContext.ts';
import type { RunState } from '../state/runState.ts';
import { useTrajectoryView } from '../trajectory/trajectoryContext.ts';
import type { TrajectoryViewState } from '../trajectory/trajectoryView.ts';
import { AtomViewer } from '../viewer/atomViewer.ts';
import { elementStyle } from '../viewer/elementStyle.ts';
import { trajectoryViewData } from '../viewer/trajectoryData.ts';
import { ViewController, type ViewData } from '../viewer/viewController.ts';
import { installViewerTestHook } from '../viewer/viewerTestHook.ts';
import '../viewer/viewer.css';
import { AtomInspector } from './AtomInspector.tsx';
import { ColourBy } from './ColourBy.tsx';
import { FollowToggle } from './FollowToggle.tsx';

function sameValues(a: ArrayLike<number> | null, b: ArrayLike<number>): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Names of stages and sub-stages from the loaded pipeline. */
function stageNames(getRun: () => RunState) {
  return {
    subStages: (stage: number) => getRun().pipeline.segments[stage]?.subStages.map((s) => s.name) ?? [],
    stage: (stage: number, code: number | null) => {
      const run = getRun();
      if (run.stageIndex < 0 && run.phase !== 'ended') return 'not started';
      const segment = run.pipeline.segments[stage];
      if (!segment) return stage >= 0 ? `stage ${stage + 1}` : '—';
      if (code === null) return segment.name;
      const sub = code >= 0 && code < segment.exit ? segment.subStages[code] : undefined;
      if (!sub) return `${segment.name} (not stepping: waiting, left or parked)`;
      return segment.fused ? `${segment.name} › ${sub.name}` : segment.name;
    },
  };
}

/** Pointer moves shorter than this (CSS px) between down and up are clicks (pick), not drags (orbit). */
const CLICK_SLOP = 5;

/**
 * The 3D view of the atoms; follows the engine's frames without going through React, or shows the
 * frame chosen in a recorded trajectory (live frames then wait until the person goes back to them).
 * Colour by element, stage, worker or force; click an atom to inspect it (Escape clears, ← → step
 * through the atoms of its system).
 */
export function AtomView() {
  const { client, workspace, runStore } = useApp();
  const trajectory = useTrajectoryView();
  const [dragging, setDragging] = useState(false);
  const [controller, setController] = useState<ViewController | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const el = canvas.current;
    if (!el || !client) return;
    const viewer = new AtomViewer(el, { elementStyle });
    const ctl = new ViewController(viewer, stageNames(runStore.getState));
    setController(ctl);
    const removeTestHook = installViewerTestHook(viewer, ctl);
    const fitToCanvas = () => viewer.setSize(el.clientWidth, el.clientHeight);
    fitToCanvas();
    const resize = new ResizeObserver(fitToCanvas);
    resize.observe(el);

    // What frames must carry: forces to colour by them, forces and velocities for a picked atom.
    let sentOptions = '';
    const syncViewOptions = (force = false) => {
      const s = ctl.store.getState();
      const options: ViewOptions = {
        forces: s.mode === 'force' || s.picked !== null,
        velocities: s.picked !== null,
      };
      const key = JSON.stringify(options);
      if (key === sentOptions && !force) return;
      sentOptions = key;
      void client.setViewOptions(options);
    };
    const unsubscribeOptions = ctl.store.subscribe(() => syncViewOptions());

    let live = true;
    let liveData: ViewData | null = null;
    const liveView = {
      onLoaded: (e: Extract<EngineEvent, { type: 'loaded' }>) => {
        liveData = {
          atomicNumbers: e.atomicNumbers,
          positions: e.positions,
          cell: e.cell,
          slots: null,
          forces: null,
          velocities: null,
          stage: 0,
          rank: null,
          step: 0,
        };
        if (!live) return;
        ctl.show(liveData, true);
        el.dataset.atoms = String(e.nAtoms);
        // The engine answers with a frame at once: slots (stage colours, picking) and any forces.
        syncViewOptions(true);
      },
      onPositions: () => {},
      onFrame: (frame: Frame) => {
        if (!liveData) return;
        // A frame without its own atoms moves the loaded ones: one of another size is stale.
        if (!frame.atomicNumbers && frame.positions.length !== 3 * liveData.atomicNumbers.length) return;
        liveData = {
          ...liveData,
          atomicNumbers: frame.atomicNumbers ?? liveData.atomicNumbers,
          positions: frame.positions,
          slots: frame.slots ?? liveData.slots,
          forces: frame.forces ?? null,
          velocities: frame.velocities ?? null,
          stage: frame.stage,
          rank: frame.rank ?? null,
          // Domain runs: the owner of each atom (atoms migrate; a frame without it keeps the last).
          owner:
            frame.owner ?? (liveData.owner?.length === frame.positions.length / 3 ? liveData.owner : null),
          step: frame.step,
        };
        if (live) ctl.show(liveData, false);
      },
    };
    let removeView = client.addView(liveView);
    // Recorded frames: the same atoms and cell as the frame shown before only move them (the camera stays).
    let shownNumbers: ArrayLike<number> | null = null;
    let shownCell: ArrayLike<number> | null = null;
    const showTrajectory = (state: TrajectoryViewState) => {
      const data = trajectoryViewData(state);
      el.dataset.source = data ? 'trajectory' : 'live';
      if (!data) {
        if (!live) {
          live = true;
          shownNumbers = null;
          shownCell = null;
          // Re-registering replays the loaded atoms and the latest live frame.
          removeView();
          removeView = client.addView(liveView);
        }
        return;
      }
      live = false;
      const same = sameValues(shownNumbers, data.atomicNumbers) && sameValues(shownCell, data.cell);
      ctl.show(data, !same);
      shownNumbers = data.atomicNumbers;
      shownCell = data.cell;
      el.dataset.atoms = String(data.atomicNumbers.length);
    };
    const unsubscribe = trajectory?.store.subscribe(showTrajectory);
    if (trajectory) showTrajectory(trajectory.store.getState());
    return () => {
      unsubscribe?.();
      unsubscribeOptions();
      removeView();
      removeTestHook();
      resize.disconnect();
      viewer.dispose();
      setController(null);
    };
  }, [client, trajectory, runStore]);

  const down = useRef<{ x: number; y: number } | null>(null);

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
      onKeyDown={(e) => {
        if (!controller || controller.picked < 0) return;
        if (e.key === 'Escape') controller.select(-1);
        else if (e.key === 'ArrowRight' || e.key === ']') controller.stepPick(1);
        else if (e.key === 'ArrowLeft' || e.key === '[') controller.stepPick(-1);
        else return;
        e.preventDefault();
      }}
    >
      {controller && (
        <div className="viewer-toolbar">
          <ColourBy controller={controller} />
          <FollowToggle />
        </div>
      )}
      <div className="viewer-stage">
        <canvas
          ref={canvas}
          data-testid="viewer-canvas"
          data-atoms="0"
          data-source="live"
          tabIndex={0}
          aria-label="3D view of the atoms: drag to rotate, scroll to zoom, right-drag or shift-drag to pan, click an atom to inspect it (Escape clears, arrow keys step through its system)"
          onPointerDown={(e) => {
            down.current = { x: e.clientX, y: e.clientY };
          }}
          onPointerUp={(e) => {
            const d = down.current;
            down.current = null;
            if (!controller || !d || e.button !== 0) return;
            if (Math.hypot(e.clientX - d.x, e.clientY - d.y) > CLICK_SLOP) return;
            controller.pickAt(e.clientX, e.clientY);
          }}
        />
        {controller && <AtomInspector controller={controller} />}
      </div>
    </div>
  );
}
