import { useInputsState } from '../hooks/useInputsState.ts';
import { useRunState } from '../hooks/useRunState.ts';
import { useSpecState } from '../hooks/useSpecState.ts';

const fmt = (x: number) => (Math.abs(x) < 5e-13 ? '0' : x.toFixed(3));

function counts(symbols: readonly string[]): string {
  const n = new Map<string, number>();
  for (const s of symbols) n.set(s, (n.get(s) ?? 0) + 1);
  return [...n].map(([el, c]) => `${el} ${c}`).join(', ');
}

/** Atom count, elements, cell and periodicity of the system in use. */
export function StructureSummary() {
  const upload = useInputsState((s) => s.structure);
  const loadedAtoms = useRunState((s) => s.nAtoms);
  const example = useSpecState((s) => s.draft.system);

  if (!upload) {
    if (example.kind !== 'fcc') return null;
    return (
      <dl className="readouts structure-summary" data-testid="structure-summary">
        <dt>Source</dt>
        <dd data-testid="structure-source">built-in example</dd>
        <dt>Atoms</dt>
        <dd data-testid="structure-atoms">{loadedAtoms > 0 ? loadedAtoms : '—'}</dd>
        <dt>Elements</dt>
        <dd data-testid="structure-elements">{example.element}</dd>
        <dt>Cell</dt>
        <dd>
          fcc, {example.repeat.join(' × ')} cells of {example.latticeConstant} Å
          {example.voidRadius ? `, void of radius ${example.voidRadius} Å` : ''}
        </dd>
        <dt>pbc</dt>
        <dd data-testid="structure-pbc">T T T</dd>
      </dl>
    );
  }
  const s = upload.structure;
  const rows = [0, 1, 2].map((k) => [s.cell[3 * k]!, s.cell[3 * k + 1]!, s.cell[3 * k + 2]!]);
  return (
    <dl className="readouts structure-summary" data-testid="structure-summary">
      <dt>Source</dt>
      <dd data-testid="structure-source">
        {upload.file}{' '}
        <span className="muted">
          ({upload.format === 'extxyz' ? 'XYZ/extXYZ' : 'LAMMPS data'}
          {upload.frames > 1 ? `, last of ${upload.frames} frames` : ''})
        </span>
      </dd>
      <dt>Atoms</dt>
      <dd data-testid="structure-atoms">{s.symbols.length}</dd>
      <dt>Elements</dt>
      <dd data-testid="structure-elements">{counts(s.symbols)}</dd>
      <dt>Cell (Å)</dt>
      <dd data-testid="structure-cell">
        {s.hasCell
          ? rows.map((r, k) => (
              <span key={'abc'[k]} className="cell-row">
                {'abc'[k]} = ({r.map(fmt).join(', ')})
              </span>
            ))
          : 'none in the file (a box with 10 Å of vacuum is used)'}
      </dd>
      <dt>pbc</dt>
      <dd data-testid="structure-pbc">{s.pbc.map((p) => (p ? 'T' : 'F')).join(' ')}</dd>
    </dl>
  );
}
