import { useApp } from '../appContext.ts';
import { useRunState } from '../hooks/useRunState.ts';
import { exportFileName, frameToExtXyz } from '../inputs/exportFrame.ts';
import { saveBlob } from '../trajectory/saveBlob.ts';
import { useTrajectoryState, useTrajectoryView } from '../trajectory/trajectoryContext.ts';
import { shownFrame } from '../trajectory/trajectoryView.ts';

/**
 * Saves the frame the view shows as extXYZ (positions, cell, pbc, step and time): the live frame, or
 * the frame (and system) chosen in a loaded trajectory.
 */
export function DownloadExtXyz() {
  const { workspace } = useApp();
  const view = useTrajectoryView();
  const loaded = useRunState((s) => s.nAtoms > 0);
  const scrubbing = useTrajectoryState((s) => s.trajectory !== null);
  const exportShown = (): { name: string; text: string } | null => {
    const state = view?.store.getState();
    const shown = state && shownFrame(state);
    if (!state?.trajectory || !shown) return workspace.exportExtXyz();
    return {
      name: exportFileName(state.trajectory.name.replace(/\.zarr\.zip$/i, ''), shown.step),
      text: frameToExtXyz({ symbols: null, ...shown }),
    };
  };
  const download = () => {
    const file = exportShown();
    if (file) saveBlob(new Blob([file.text], { type: 'chemical/x-extxyz' }), file.name);
  };
  return (
    <button
      type="button"
      data-testid="download-extxyz"
      disabled={!loaded && !scrubbing}
      onClick={download}
      title="Download the atoms shown as extXYZ"
    >
      Download extXYZ
    </button>
  );
}
