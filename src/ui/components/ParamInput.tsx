import { useId, useState } from 'react';
import type { SpecIssue } from '../../io/spec.ts';
import { type ParamField, parseListInput } from '../state/specFields.ts';
import { NumberField } from './NumberField.tsx';

interface Props {
  field: ParamField;
  issues: SpecIssue[];
  /** Sets the field's value in the draft (`undefined`: removes an optional field). */
  set(value: unknown): void;
  disabled?: boolean;
}

function IssueText({ id, field, issues }: { id: string; field: ParamField; issues: SpecIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <span id={`${id}-issue`} className="issue" role="alert" data-testid={`issue-${field.key}`}>
      {issues.map((i) => `${i.path}: ${i.message}`).join('; ')}
    </span>
  );
}

/**
 * Any spec parameter with its unit: a number, a choice, a switch, a list of whole numbers or a
 * text, validated by the schema as it is typed (the messages show inline, naming the field).
 */
export function ParamInput({ field, issues, set, disabled = false }: Props) {
  const id = useId();
  const [text, setText] = useState(() =>
    field.type === 'list' ? field.value.join(', ') : field.type === 'text' ? field.value : '',
  );
  const invalid = issues.length > 0;
  const common = {
    id,
    'data-testid': `field-${field.key}`,
    'aria-invalid': invalid,
    'aria-describedby': invalid ? `${id}-issue` : undefined,
    title: field.title,
    disabled,
  };
  switch (field.type) {
    case 'number':
      return (
        <NumberField
          field={field}
          issues={issues}
          disabled={disabled}
          onChange={(value, typed) => set(field.optional && typed.trim() === '' ? undefined : value)}
        />
      );
    case 'enum':
      return (
        <div className={`field${invalid ? ' invalid' : ''}`}>
          <label htmlFor={id} title={field.title}>
            {field.label}
          </label>
          <select {...common} value={field.value} onChange={(e) => set(e.target.value)}>
            {field.options.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
          <span className="unit" />
          <IssueText id={id} field={field} issues={issues} />
        </div>
      );
    case 'boolean':
      return (
        <div className={`field${invalid ? ' invalid' : ''}`}>
          <label htmlFor={id} title={field.title}>
            {field.label}
          </label>
          <input {...common} type="checkbox" checked={field.value} onChange={(e) => set(e.target.checked)} />
          <span className="unit" />
          <IssueText id={id} field={field} issues={issues} />
        </div>
      );
    case 'text':
    case 'list':
      return (
        <div className={`field${invalid ? ' invalid' : ''}`}>
          <label htmlFor={id} title={field.title}>
            {field.label}
          </label>
          <input
            {...common}
            type="text"
            value={text}
            placeholder={field.type === 'list' ? 'e.g. 0, 4, 7' : field.optional ? '(default)' : ''}
            onChange={(e) => {
              const typed = e.target.value;
              setText(typed);
              if (field.type === 'list') set(parseListInput(typed));
              else set(field.optional && typed.trim() === '' ? undefined : typed);
            }}
          />
          <span className="unit">{field.type === 'list' ? field.unit : ''}</span>
          <IssueText id={id} field={field} issues={issues} />
        </div>
      );
  }
}
