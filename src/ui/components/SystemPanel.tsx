import { useApp } from '../appContext.ts';
import { useInputsState } from '../hooks/useInputsState.ts';
import { useRunActive } from '../hooks/useRunActive.ts';
import { ElementMapping } from './ElementMapping.tsx';
import { FilePicker } from './FilePicker.tsx';
import { StructureSummary } from './StructureSummary.tsx';
import { UploadError } from './UploadError.tsx';

/** Accepted structure files (also by drag and drop onto the viewer). */
export const STRUCTURE_ACCEPT = '.xyz,.extxyz,.data,.lmp,.lammps,text/plain';

/** The atoms: the built-in example or an uploaded structure, its summary and its element mapping. */
export function SystemPanel() {
  const { workspace } = useApp();
  const uploaded = useInputsState((s) => s.structure !== null);
  const active = useRunActive();
  return (
    <section className="panel system-panel" aria-labelledby="system-title">
      <h2 id="system-title">System</h2>
      <FilePicker
        label="Upload structure (XYZ, extXYZ, LAMMPS data; or drop it on the view)"
        accept={STRUCTURE_ACCEPT}
        testId="structure-input"
        disabled={active}
        onFiles={(files) => void workspace.uploadStructure(files[0]!)}
      />
      <UploadError target="structure" />
      {uploaded && (
        <button
          type="button"
          data-testid="use-example"
          disabled={active}
          onClick={() => void workspace.chooseExample()}
        >
          Use the built-in example
        </button>
      )}
      {active && <p className="hint">Stop the run to change the system.</p>}
      <StructureSummary />
      <ElementMapping />
    </section>
  );
}
