import { type RefObject, useMemo, useRef, useState } from 'react';
import { examples } from '../../io/examples.ts';
import { useApp } from '../appContext.ts';
import { SHORTCUTS, useKeyboardShortcuts } from '../hooks/useKeyboardShortcuts.ts';
import { useRunActive } from '../hooks/useRunActive.ts';
import { useSpecState } from '../hooks/useSpecState.ts';
import { useStore } from '../hooks/useStore.ts';
import { type KeepShareState, keepShareOf } from '../share/keepShare.ts';
import { createStore } from '../state/createStore.ts';
import '../share/share.css';

const idle = createStore<KeepShareState>({ message: null, shareLink: null });

/** The dialog listing every keyboard shortcut (opened with `?` or its button; Escape closes it). */
function ShortcutHelp({ dialog }: { dialog: RefObject<HTMLDialogElement | null> }) {
  return (
    <dialog
      ref={dialog}
      className="shortcut-help"
      aria-labelledby="shortcut-help-title"
      data-testid="shortcut-help"
    >
      <h2 id="shortcut-help-title">Keyboard shortcuts</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <td>
                <kbd>{s.keys}</kbd>
              </td>
              <td>{s.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Single keys do nothing while a field has the focus; Escape closes this list.</p>
      <form method="dialog">
        <button type="submit" data-testid="shortcut-help-close">
          Close
        </button>
      </form>
    </dialog>
  );
}

/**
 * Undo, Redo, Save JSON, Load JSON, Copy share link and the shortcut list, with their keyboard
 * shortcuts, and what keep-and-share has to say (a link that could not be opened, a file that could
 * not be loaded, a session that could not be restored).
 */
export function SpecToolbar() {
  const { specStore, workspace } = useApp();
  const keep = keepShareOf(specStore);
  const active = useRunActive();
  const canUndo = useSpecState((s) => s.canUndo);
  const canRedo = useSpecState((s) => s.canRedo);
  const valid = useSpecState((s) => s.validation.ok);
  const { message, shareLink } = useStore(keep?.state ?? idle, (s) => s);
  const fileInput = useRef<HTMLInputElement>(null);
  const help = useRef<HTMLDialogElement>(null);
  const [copying, setCopying] = useState(false);

  const bindings = useMemo(
    () => ({
      'mod+z': () => specStore.undo(),
      'mod+shift+z': () => specStore.redo(),
      'mod+y': () => specStore.redo(),
      'mod+s': () => keep?.saveFile(),
      'mod+o': () => fileInput.current?.click(),
      '?': () => {
        if (!help.current?.open) help.current?.showModal();
      },
    }),
    [specStore, keep],
  );
  useKeyboardShortcuts(bindings);

  const copyLink = async () => {
    setCopying(true);
    try {
      await keep?.copyShareLink();
    } finally {
      setCopying(false);
    }
  };
  const fixFirst = 'Fix the invalid parameters first';
  const openExample = async (id: string) => {
    const example = examples.find((e) => e.id === id);
    if (!example) return;
    if (await workspace.openExample(example.spec))
      keep?.say('info', `Opened the example “${example.spec.name}” (Undo goes back).`);
  };

  return (
    <>
      <fieldset className="spec-toolbar">
        <legend className="visually-hidden">Spec: examples, undo, save and share</legend>
        <label className="example-picker">
          <span className="visually-hidden">Open an example</span>
          <select
            data-testid="example-select"
            value=""
            disabled={active}
            title={
              active
                ? 'Stop the run to open an example'
                : 'Replace the spec by a built-in example (Undo goes back)'
            }
            onChange={(e) => void openExample(e.target.value)}
          >
            <option value="">Examples…</option>
            {examples.map((e) => (
              <option key={e.id} value={e.id}>
                {e.spec.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          data-testid="undo"
          onClick={() => specStore.undo()}
          disabled={!canUndo}
          aria-keyshortcuts="Control+Z Meta+Z"
          title="Undo the last edit (Ctrl+Z)"
        >
          Undo
        </button>
        <button
          type="button"
          data-testid="redo"
          onClick={() => specStore.redo()}
          disabled={!canRedo}
          aria-keyshortcuts="Control+Shift+Z Control+Y Meta+Shift+Z"
          title="Redo (Ctrl+Shift+Z or Ctrl+Y)"
        >
          Redo
        </button>
        <button
          type="button"
          data-testid="save-spec"
          onClick={() => keep?.saveFile()}
          disabled={!valid || !keep}
          aria-keyshortcuts="Control+S Meta+S"
          title={valid ? 'Save the spec as a JSON file (Ctrl+S)' : fixFirst}
        >
          Save JSON
        </button>
        <button
          type="button"
          data-testid="load-spec"
          onClick={() => fileInput.current?.click()}
          disabled={!keep}
          aria-keyshortcuts="Control+O Meta+O"
          title="Load a spec from a JSON file (Ctrl+O); Undo goes back"
        >
          Load JSON…
        </button>
        <input
          ref={fileInput}
          type="file"
          hidden
          accept=".json,application/json"
          data-testid="load-spec-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void keep?.loadFile(file);
          }}
        />
        <button
          type="button"
          data-testid="copy-share-link"
          onClick={() => void copyLink()}
          disabled={!valid || !keep || copying}
          title={valid ? 'Copy a link that opens this spec (the spec travels in the link)' : fixFirst}
        >
          Copy share link
        </button>
        <button
          type="button"
          data-testid="show-shortcuts"
          onClick={() => help.current?.showModal()}
          aria-keyshortcuts="?"
          title="List the keyboard shortcuts (?)"
        >
          Shortcuts (?)
        </button>
      </fieldset>
      {message && (
        <div
          className={`banner spec-message ${message.kind === 'error' ? 'error' : 'info'}`}
          role={message.kind === 'error' ? 'alert' : 'status'}
          data-testid="spec-message"
          data-kind={message.kind}
          key={message.id}
        >
          <p data-testid="spec-message-text">{message.text}</p>
          {message.kind === 'info' && shareLink && (
            <label className="share-link">
              Share link{' '}
              <input
                type="text"
                readOnly
                value={shareLink}
                data-testid="share-link"
                onFocus={(e) => e.target.select()}
              />
            </label>
          )}
          <button type="button" onClick={() => keep?.dismiss()} data-testid="spec-message-dismiss">
            Dismiss
          </button>
        </div>
      )}
      <ShortcutHelp dialog={help} />
    </>
  );
}
