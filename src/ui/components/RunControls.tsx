import { useMemo } from 'react';
import { useCurrentTypes } from '../hooks/useCurrentTypes.ts';
import { useKeyboardShortcuts } from '../hooks/useKeyboardShortcuts.ts';
import { useRunCommands } from '../hooks/useRunCommands.ts';
import { useRunState } from '../hooks/useRunState.ts';
import { useSpecState } from '../hooks/useSpecState.ts';
import { Icon } from './Icon.tsx';

/** Run / Pause (Resume) / Step (one step while paused) / Stop, with keyboard shortcuts r, p, n and s. */
export function RunControls() {
  const phase = useRunState((s) => s.phase);
  const specValid = useSpecState((s) => s.validation.ok);
  const inputsReady = useCurrentTypes().problems.length === 0;
  const commands = useRunCommands();
  const active = phase === 'running' || phase === 'paused';
  const canRun = specValid && inputsReady && (phase === 'ready' || phase === 'ended');
  const bindings = useMemo(
    () => ({
      r: () => canRun && commands.run(),
      p: () => active && commands.togglePause(),
      s: () => active && commands.stop(),
      n: () => phase === 'paused' && commands.step(),
    }),
    [canRun, active, phase, commands],
  );
  useKeyboardShortcuts(bindings);

  return (
    <fieldset className="run-controls">
      <legend className="visually-hidden">Run controls</legend>
      <button
        type="button"
        data-testid="run"
        onClick={commands.run}
        disabled={!canRun}
        aria-keyshortcuts="r"
        title={specValid && inputsReady ? 'Run the chain of stages (r)' : 'Fix the invalid parameters first'}
      >
        <Icon name="run" /> Run
      </button>
      <button
        type="button"
        data-testid="pause"
        onClick={commands.togglePause}
        disabled={!active}
        aria-keyshortcuts="p"
        aria-pressed={phase === 'paused'}
        title="Pause or resume (p)"
      >
        {phase === 'paused' ? (
          <>
            <Icon name="run" /> Resume
          </>
        ) : (
          <>
            <Icon name="pause" /> Pause
          </>
        )}
      </button>
      <button
        type="button"
        data-testid="step-once"
        onClick={commands.step}
        disabled={phase !== 'paused'}
        aria-keyshortcuts="n"
        title={
          phase === 'paused' ? 'Run exactly one step, then stay paused (n)' : 'Pause the run to step it (n)'
        }
      >
        <Icon name="step" /> Step
      </button>
      <button
        type="button"
        data-testid="stop"
        onClick={commands.stop}
        disabled={!active}
        aria-keyshortcuts="s"
        title="Stop the run (s)"
      >
        <Icon name="stop" /> Stop
      </button>
      {!specValid && (
        <span className="hint" role="status">
          Run is disabled: the parameters below have errors.
        </span>
      )}
      {specValid && !inputsReady && (
        <span className="hint" role="status">
          Run is disabled: map the elements of the system to the potential (System panel).
        </span>
      )}
    </fieldset>
  );
}
