import { useId } from 'react';
import { NULL_ELEMENT } from '../../io/spec.ts';
import { useApp } from '../appContext.ts';
import { useCurrentTypes } from '../hooks/useCurrentTypes.ts';
import { useInputsState } from '../hooks/useInputsState.ts';
import { useRunActive } from '../hooks/useRunActive.ts';
import { useSpecState } from '../hooks/useSpecState.ts';
import { offeredElements } from '../inputs/eamFiles.ts';
import { targetOf } from '../inputs/typeAssignment.ts';
import { systemElements } from '../inputs/workspace.ts';

/**
 * Element → potential type. Pair potentials: every element is type 0 unless made NULL. EAM (GNN):
 * each element maps to an element of the potential file (of the model) or to NULL; unknown ones are
 * named as problems.
 */
export function ElementMapping() {
  const { workspace } = useApp();
  const id = useId();
  const inputs = useInputsState((s) => s);
  const types = useCurrentTypes();
  const active = useRunActive();
  const system = useSpecState((s) => s.draft.system);
  const { elements } = systemElements(inputs, system);
  const gnnModel = useSpecState((s) => (s.draft.potential.kind === 'gnn' ? s.draft.potential.model : ''));
  const offered =
    types.kind === 'eam' && inputs.eam
      ? offeredElements(inputs.eam)
      : types.kind === 'gnn'
        ? [...(inputs.gnnModels[gnnModel]?.model.config.elements ?? [])]
        : [];
  const named = types.kind !== 'pair';

  return (
    <div className="element-mapping">
      <table aria-labelledby={`${id}-caption`}>
        <caption id={`${id}-caption`}>
          {types.kind === 'eam'
            ? 'Element → element of the potential file'
            : types.kind === 'gnn'
              ? 'Element → element of the GNN model'
              : 'Element → potential type'}
        </caption>
        <thead>
          <tr>
            <th scope="col">Element</th>
            <th scope="col">Type</th>
            <th scope="col">Seen by the potential as</th>
          </tr>
        </thead>
        <tbody>
          {elements.map((el) => {
            const target = targetOf(inputs.mapping, el);
            const t = types.typeMap.get(el) ?? 0;
            const isNull = target === NULL_ELEMENT;
            const options = named
              ? [...new Set([...offered, ...(isNull || offered.includes(target) ? [] : [target])])]
              : [el];
            return (
              <tr key={el}>
                <th scope="row">{el}</th>
                <td data-testid={`type-of-${el}`}>{isNull ? '−1 (NULL)' : named ? t : 0}</td>
                <td>
                  <select
                    aria-label={`Potential element for ${el}`}
                    data-testid={`mapping-${el}`}
                    value={target}
                    disabled={active}
                    onChange={(e) => workspace.setMapping(el, e.target.value)}
                  >
                    {options.map((o) => (
                      <option key={o} value={o}>
                        {named
                          ? offered.includes(o)
                            ? o
                            : `${o} (not in the ${types.kind === 'gnn' ? 'model' : 'file'})`
                          : 'type 0'}
                      </option>
                    ))}
                    <option value={NULL_ELEMENT}>NULL (ignored by the potential)</option>
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {types.problems.length > 0 && (
        <ul className="issues" data-testid="mapping-problems">
          {types.problems.map((p) => (
            <li key={p} role="alert">
              {p}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
