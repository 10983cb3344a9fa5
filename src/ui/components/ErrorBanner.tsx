import { useApp } from '../appContext.ts';
import { useRunState } from '../hooks/useRunState.ts';
import { errorAdvice, reduceRunState } from '../state/runState.ts';

const titles: Record<string, string> = {
  nan: 'The simulation blew up (NaN)',
  error: 'The engine stopped with an error',
  call: 'The engine refused a request',
  init: 'The engine could not start',
  worker: 'A worker failed',
};

/** Engine errors (end 'error' / 'nan', rejected calls) with what to do about them. */
export function ErrorBanner() {
  const { runStore } = useApp();
  const error = useRunState((s) => s.error);
  if (!error) return null;
  return (
    <div className="banner error" role="alert" data-testid="error-banner">
      <p>
        <strong>{titles[error.reason] ?? 'Error'}</strong>
        {error.message ? `: ${error.message}` : ''}
      </p>
      <p>{error.advice ?? errorAdvice(error.reason)}</p>
      <button
        type="button"
        onClick={() => runStore.setState((s) => reduceRunState(s, { type: 'page/dismiss-error' }))}
      >
        Dismiss
      </button>
    </div>
  );
}
