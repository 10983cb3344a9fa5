import { useApp } from '../appContext.ts';
import { useInputsState } from '../hooks/useInputsState.ts';
import type { UploadTarget } from '../inputs/inputsStore.ts';

/** The parser's message (file, line, problem) for a rejected upload, next to its file input. */
export function UploadError({ target }: { target: UploadTarget }) {
  const { inputsStore } = useApp();
  const error = useInputsState((s) => s.uploadError);
  if (error?.target !== target) return null;
  return (
    <div className="banner error upload-error" role="alert" data-testid={`upload-error-${target}`}>
      <p>
        <strong>The file was not loaded:</strong>{' '}
        <span data-testid="upload-error-message">{error.message}</span>
      </p>
      <p className="muted">Nothing else changed: the current system and potential are still in use.</p>
      <button type="button" onClick={() => inputsStore.dismissUploadError()}>
        Dismiss
      </button>
    </div>
  );
}
