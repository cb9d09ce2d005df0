import { useCallback, useEffect, useRef, useState } from 'react';
import type { Toast } from '../components/Toasts';

export interface ToastsApi {
  toasts: Toast[];
  toast(text: string, action?: Toast['action']): void;
  dismiss(id: number): void;
  /** Runs the newest toast's action (Ctrl+Z); false when nothing can be undone. */
  undoLast(): boolean;
}

/**
 * Short notices with an optional action. The list lives in a ref that `toast()` updates at once,
 * so a keypress that arrives before React renders the toast (Ctrl+Z right after a delete) still
 * finds it; state only mirrors the ref for rendering.
 */
export function useToasts(toastMs: number): ToastsApi {
  const list = useRef<Toast[]>([]);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(0);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());

  const set = useCallback((next: Toast[]) => {
    list.current = next;
    setToasts(next);
  }, []);

  const dismiss = useCallback((id: number) => set(list.current.filter((x) => x.id !== id)), [set]);

  const toast = useCallback(
    (text: string, action?: Toast['action']) => {
      const id = ++nextId.current;
      // The same notice again (a second download of the same file) replaces the first, not stacks.
      const others = list.current.filter((t) => t.action || action || t.text !== text);
      set([...others.slice(-2), { id, text, action }]);
      const timer = setTimeout(() => {
        timers.current.delete(timer);
        dismiss(id);
      }, toastMs);
      timers.current.add(timer);
    },
    [toastMs, set, dismiss],
  );

  const undoLast = useCallback(() => {
    const last = [...list.current].reverse().find((t) => t.action);
    if (!last) return false;
    dismiss(last.id);
    last.action!.run();
    return true;
  }, [dismiss]);

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach(clearTimeout);
  }, []);

  return { toasts, toast, dismiss, undoLast };
}
