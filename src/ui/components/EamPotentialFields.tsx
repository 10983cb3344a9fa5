import { useId } from 'react';
import type { EamStyle } from '../../io/lammpsPotential.ts';
import { useApp } from '../appContext.ts';
import { useInputsState } from '../hooks/useInputsState.ts';
import { useRunActive } from '../hooks/useRunActive.ts';
import { fileElements } from '../inputs/eamFiles.ts';
import { FilePicker } from './FilePicker.tsx';
import { UploadError } from './UploadError.tsx';

const styles: { value: EamStyle; label: string }[] = [
  { value: 'eam', label: 'eam (DYNAMO funcfl, one element per file)' },
  { value: 'eam/alloy', label: 'eam/alloy (setfl)' },
  { value: 'eam/fs', label: 'eam/fs (Finnis–Sinclair)' },
];

/** EAM: the potential file(s), the pair style (guessed from the file name, editable) and their elements. */
export function EamPotentialFields() {
  const { workspace } = useApp();
  const id = useId();
  const eam = useInputsState((s) => s.eam);
  const style = useInputsState((s) => s.eam?.style ?? s.eamStyle);
  const active = useRunActive();
  return (
    <div className="eam-fields">
      <FilePicker
        label="Potential file(s): .eam, .eam.alloy, .eam.fs (several funcfl files for several elements)"
        multiple
        testId="potential-input"
        disabled={active}
        onFiles={(files) => void workspace.uploadPotential(files)}
      />
      <UploadError target="potential" />
      <div className="field">
        <label htmlFor={`${id}-style`}>style</label>
        <select
          id={`${id}-style`}
          data-testid="eam-style"
          value={style}
          disabled={active}
          onChange={(e) => workspace.setEamStyle(e.target.value as EamStyle)}
        >
          {styles.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      {eam ? (
        <ul className="eam-files" data-testid="eam-files">
          {eam.files.map((f) => (
            <li key={f.file}>
              <strong>{f.file}</strong>: {fileElements(f).join(', ')}{' '}
              <span className="muted">
                (cutoff {f.cutoff} Å, {f.nr} r points, {f.nrho} ρ points)
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No potential file yet.</p>
      )}
    </div>
  );
}
