import { useId } from 'react';

interface Props {
  label: string;
  accept?: string;
  multiple?: boolean;
  disabled?: boolean;
  testId: string;
  onFiles(files: File[]): void;
}

/** A labelled file input; the same file can be picked again after a failed attempt. */
export function FilePicker({ label, accept, multiple = false, disabled = false, testId, onFiles }: Props) {
  const id = useId();
  return (
    <div className="file-picker">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="file"
        data-testid={testId}
        {...(accept ? { accept } : {})}
        multiple={multiple}
        disabled={disabled}
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </div>
  );
}
