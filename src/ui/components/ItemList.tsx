import { useApp } from '../appContext.ts';
import { useSpecState } from '../hooks/useSpecState.ts';
import { appendItem, removeItem } from '../state/pipelineEdits.ts';
import type { ItemForm } from '../state/segmentForms.ts';
import { issuesOf, type PathSegment, pathKey } from '../state/specFields.ts';
import { ParamInput } from './ParamInput.tsx';

interface Props {
  /** Heading, e.g. `Hooks`. */
  title: string;
  /** Singular noun for buttons and labels, e.g. `hook`. */
  noun: string;
  items: ItemForm[];
  /** Path of the list in the spec, e.g. ['stages', 0, 'hooks']. */
  path: PathSegment[];
  /** Kinds that can be added, with what each does. */
  kinds: Record<string, string>;
  /** A new item of a kind, every field filled. */
  create(kind: string): unknown;
}

/**
 * A stage's hooks or convergence criteria: each with its parameters (units, inline validation) and
 * a remove button; a menu adds one of any kind.
 */
export function ItemList({ title, noun, items, path, kinds, create }: Props) {
  const { specStore } = useApp();
  const validation = useSpecState((s) => s.validation);
  const structure = useSpecState((s) => s.structure);
  const key = pathKey(path);
  return (
    <div className="item-list" data-testid={`list-${key}`}>
      <div className="item-list-head">
        <span className="item-list-title">{title}</span>
        <select
          aria-label={`Add a ${noun}`}
          data-testid={`add-${key}`}
          value=""
          onChange={(e) => {
            const kind = e.target.value;
            if (kind) specStore.edit((d) => appendItem(d, path, create(kind)));
          }}
        >
          <option value="">+ add {noun}…</option>
          {Object.entries(kinds).map(([kind, label]) => (
            <option key={kind} value={kind}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {items.length === 0 && <p className="muted item-empty">none</p>}
      {items.map((item, j) => (
        <div key={`${structure}:${item.key}:${item.kind}`} className="item" data-testid={`item-${item.key}`}>
          <div className="item-head">
            <span className="item-kind" title={item.description}>
              {item.kind}
            </span>
            <button
              type="button"
              className="small"
              data-testid={`remove-${item.key}`}
              aria-label={`Remove ${noun} ${item.kind}`}
              title={`Remove this ${noun}`}
              onClick={() => specStore.edit((d) => removeItem(d, path, j))}
            >
              ✕
            </button>
          </div>
          {item.params.map((f) => (
            <ParamInput
              key={f.key}
              field={f}
              issues={issuesOf(validation, f)}
              set={(value) => specStore.setField(f.path, value)}
            />
          ))}
        </div>
      ))}
    </div>
  );
}
