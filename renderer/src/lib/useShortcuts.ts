import { useEffect, useRef } from 'react';

export interface ShortcutActions {
  newSession(): void;
  focusSearch(): void;
  openSettings(): void;
  /** Absent when no session is open. */
  openExport?(): void;
  /** Runs the newest Undo; false when there is nothing to undo. */
  undo(): boolean;
  focusMessage(): void;
}

function isEditable(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

/** The window's shortcuts (Cmd on macOS, Ctrl elsewhere); the latest actions are used at each keypress. */
export function useShortcuts(actions: ShortcutActions): void {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const a = latest.current;
      const key = e.key.toLowerCase();
      if (key === 'n' && !e.shiftKey) a.newSession();
      else if (key === 'k') a.focusSearch();
      else if (key === ',') a.openSettings();
      else if (key === 'e' && a.openExport) a.openExport();
      else if (key === 'j') a.focusMessage();
      // Undo the last undoable thing (a delete) from anywhere outside a text field.
      else if (key === 'z' && !e.shiftKey && !isEditable(e.target)) {
        if (!a.undo()) return;
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
