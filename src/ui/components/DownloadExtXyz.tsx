import { useApp } from '../appContext.ts';
import { useRunState } from '../hooks/useRunState.ts';

/** Saves the frame the view shows as extXYZ (positions, cell, pbc, step and time). */
export function DownloadExtXyz() {
  const { workspace } = useApp();
  const loaded = useRunState((s) => s.nAtoms > 0);
  const download = () => {
    const file = workspace.exportExtXyz();
    if (!file) return;
    const url = URL.createObjectURL(new Blob([file.text], { type: 'chemical/x-extxyz' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = file.name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };
  return (
    <button
      type="button"
      data-testid="download-extxyz"
      disabled={!loaded}
      onClick={download}
      title="Download the atoms shown as extXYZ"
    >
      Download extXYZ
    </button>
  );
}
