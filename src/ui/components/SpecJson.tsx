import { useSpecState } from '../hooks/useSpecState.ts';

/** The spec as JSON (read-only): the contract the engine runs. */
export function SpecJson() {
  const draft = useSpecState((s) => s.draft);
  const valid = useSpecState((s) => s.validation.ok);
  return (
    <details className="panel spec-json">
      <summary>Pipeline spec (JSON){valid ? '' : ' — has errors'}</summary>
      <pre data-testid="spec-json">{JSON.stringify(draft, null, 2)}</pre>
    </details>
  );
}
