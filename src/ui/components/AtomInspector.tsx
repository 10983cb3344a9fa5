import { useStore } from '../hooks/useStore.ts';
import type { ViewController } from '../viewer/viewController.ts';

function vec(v: [number, number, number] | null, digits: number): string {
  return v ? v.map((x) => x.toFixed(digits)).join(', ') : '—';
}

/** What is known of the picked atom: system, index, element, position, velocity, |F|, stage. */
export function AtomInspector({ controller }: { controller: ViewController }) {
  const picked = useStore(controller.store, (s) => s.picked);
  if (!picked) return null;
  return (
    <section className="atom-inspector" aria-label="Picked atom" data-testid="atom-inspector">
      <header>
        <strong>
          <span data-testid="picked-symbol">{picked.symbol}</span> · atom{' '}
          <span data-testid="picked-atom">{picked.atomInSystem}</span> of {picked.systemAtoms}
        </strong>
        <button type="button" onClick={() => controller.select(-1)} title="Clear the pick (Escape)">
          ×
        </button>
      </header>
      <dl>
        <dt>System</dt>
        <dd data-testid="picked-system">{picked.systemId ?? '—'}</dd>
        <dt>Index shown</dt>
        <dd data-testid="picked-index">{picked.index}</dd>
        <dt>Position (Å)</dt>
        <dd data-testid="picked-position">{vec(picked.position, 3)}</dd>
        <dt>Velocity (Å/fs)</dt>
        <dd data-testid="picked-velocity">{vec(picked.velocity, 5)}</dd>
        <dt>|F| (eV/Å)</dt>
        <dd data-testid="picked-force">{picked.force === null ? '—' : picked.force.toFixed(5)}</dd>
        <dt>Stage</dt>
        <dd data-testid="picked-stage">{picked.stage}</dd>
      </dl>
      <p className="muted">← → step through the atoms of this system · Escape clears</p>
    </section>
  );
}
