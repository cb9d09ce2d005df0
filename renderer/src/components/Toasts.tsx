export interface Toast {
  id: number;
  text: string;
  action?: { label: string; run(): void };
}

/** Short notices at the bottom of the window ("Deleted … Undo"); polite, never stealing focus. */
export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss(id: number): void }) {
  return (
    <div className="toasts" role="status" aria-live="polite" aria-label="Notifications">
      {toasts.map((t) => (
        <div key={t.id} className="toast">
          <span className="toast-text">{t.text}</span>
          {t.action ? <kbd className="toast-kbd">Ctrl Z</kbd> : null}
          {t.action ? (
            <button
              type="button"
              className="button button-small toast-action"
              onClick={() => {
                t.action!.run();
                onDismiss(t.id);
              }}
            >
              {t.action.label}
            </button>
          ) : null}
          <button type="button" className="icon-button" aria-label="Dismiss notification" onClick={() => onDismiss(t.id)}>
            <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
              <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
            </svg>
          </button>
        </div>
      ))}
    </div>
  );
}
