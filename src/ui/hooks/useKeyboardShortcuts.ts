import { useEffect } from 'react';

/**
 * Every keyboard shortcut of the page, for the help dialog (`?`). `keys` as people read them; the
 * binding names (`mod+z`) are those of {@link useKeyboardShortcuts}.
 */
export const SHORTCUTS: ReadonlyArray<{ keys: string; action: string }> = [
  { keys: 'R', action: 'Run the chain of stages' },
  { keys: 'P', action: 'Pause or resume' },
  { keys: 'S', action: 'Stop the run' },
  { keys: 'Ctrl+Z (⌘Z)', action: 'Undo the last edit of the spec' },
  { keys: 'Ctrl+Shift+Z or Ctrl+Y (⌘⇧Z)', action: 'Redo' },
  { keys: 'Ctrl+S (⌘S)', action: 'Save the spec as JSON' },
  { keys: 'Ctrl+O (⌘O)', action: 'Load a spec from a JSON file' },
  { keys: '?', action: 'Show this list of shortcuts' },
];

/** Combos a text field keeps for itself (its own undo, copy and paste) while it has the focus. */
const TEXT_FIELD_COMBOS = new Set(['mod+z', 'mod+shift+z', 'mod+y', 'mod+a', 'mod+c', 'mod+v', 'mod+x']);

/** Whether `t` takes typed text (so single keys and its own combos belong to it). */
function isTextEntry(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable || t.tagName === 'TEXTAREA') return true;
  if (t.tagName !== 'INPUT') return false;
  const type = (t as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color'].includes(type);
}

/** The binding name of a key event: `r`, `?`, `mod+z`, `mod+shift+z` (Ctrl or ⌘ is `mod`); null with Alt. */
export function shortcutName(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>) {
  // Chrome sends key events without a key for autofill.
  if (e.altKey || typeof e.key !== 'string' || e.key === '') return null;
  const key = e.key.toLowerCase();
  if (e.ctrlKey || e.metaKey) return `mod+${e.shiftKey ? 'shift+' : ''}${key}`;
  return key;
}

/**
 * Shortcuts on the whole page. Single keys (`r`, `?`) are ignored while typing in a field or in a
 * select, and when repeated, so they never take keys from a form. Ctrl/⌘ combos (`mod+s`,
 * `mod+shift+z`) work everywhere, except the ones a text field keeps (its own undo, copy, paste)
 * while it has the focus; a bound combo's browser default (e.g. saving the page) is prevented.
 */
export function useKeyboardShortcuts(bindings: Record<string, () => void>): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const name = shortcutName(e);
      if (name === null) return;
      const combo = name.startsWith('mod+');
      const t = e.target;
      if (combo) {
        if (TEXT_FIELD_COMBOS.has(name) && isTextEntry(t)) return;
      } else {
        if (e.repeat) return;
        if (t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)))
          return;
      }
      const action = bindings[name];
      if (action) {
        e.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [bindings]);
}
