import { useId, useState } from 'react';
import type { SpecIssue } from '../../io/spec.ts';
import { parseNumberInput, type StageField } from '../state/specFields.ts';

interface Props {
  field: StageField;
  issues: SpecIssue[];
  /** The parsed number (NaN for empty or malformed text) and the text as typed. */
  onChange(value: number, text: string): void;
  disabled?: boolean;
}

/**
 * A numeric spec field with its unit. Keeps the text as typed (so "1e" or "-" can be finished),
 * reports the parsed number, and shows the schema's messages inline, naming the field.
 */
export function NumberField({ field, issues, onChange, disabled = false }: Props) {
  const id = useId();
  const [text, setText] = useState(() => (Number.isNaN(field.value) ? '' : String(field.value)));
  const invalid = issues.length > 0;
  return (
    <div className={`field${invalid ? ' invalid' : ''}`}>
      <label htmlFor={id} title={field.title}>
        {field.label}
      </label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        data-testid={`field-${field.key}`}
        value={text}
        aria-invalid={invalid}
        aria-describedby={invalid ? `${id}-issue` : undefined}
        title={field.title}
        disabled={disabled}
        onChange={(e) => {
          setText(e.target.value);
          onChange(parseNumberInput(e.target.value), e.target.value);
        }}
      />
      <span className="unit">{field.unit}</span>
      {invalid && (
        <span id={`${id}-issue`} className="issue" role="alert" data-testid={`issue-${field.key}`}>
          {issues.map((i) => `${i.path}: ${i.message}`).join('; ')}
        </span>
      )}
    </div>
  );
}
