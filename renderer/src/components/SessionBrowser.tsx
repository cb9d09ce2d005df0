import { useState } from 'react';
import type { SessionSummary } from '../../../shared/session';
import { STAGE_LABELS, timeAgo } from '../labels';

export interface SessionBrowserProps {
  items: SessionSummary[];
  total: number;
  selectedId: string | null;
  search: string;
  loading: boolean;
  onSearch(text: string): void;
  onOpen(id: string): void;
  onNew(): void;
  onDelete(id: string): void;
}

/** Every session, newest first, with search, open and delete (confirmed inline). */
export function SessionBrowser({ items, total, selectedId, search, loading, onSearch, onOpen, onNew, onDelete }: SessionBrowserProps) {
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <section className="sessions" aria-labelledby="sessions-title">
      <div className="sessions-head">
        <h2 id="sessions-title" className="panel-title">
          Sessions
        </h2>
        <button type="button" className="button button-primary" onClick={onNew}>
          New session
        </button>
      </div>
      <input
        type="search"
        className="search"
        aria-label="Search sessions"
        placeholder="Search sessions"
        value={search}
        onChange={(e) => onSearch(e.target.value)}
      />
      {items.length === 0 ? (
        <p className="sessions-empty">{loading ? 'Loading…' : search ? `No sessions match “${search}”.` : 'No sessions yet.'}</p>
      ) : (
        <ul className="session-list" aria-label="Sessions">
          {items.map((s) => {
            const title = s.title || 'Untitled session';
            const metaId = `session-meta-${s.id}`;
            return (
              <li key={s.id} className={`session-item${s.id === selectedId ? ' is-selected' : ''}`}>
                {confirming === s.id ? (
                  <div className="session-confirm" role="group" aria-label={`Delete “${title}”?`}>
                    <span>Delete “{title}”?</span>
                    <div className="session-confirm-actions">
                      <button
                        type="button"
                        className="button button-danger"
                        onClick={() => {
                          setConfirming(null);
                          onDelete(s.id);
                        }}
                      >
                        Confirm delete
                      </button>
                      <button type="button" className="button" autoFocus onClick={() => setConfirming(null)}>
                        Cancel
                      </button>
                    </div>
                  </div>
                ) : (
                  <>
                    <button
                      type="button"
                      className="session-open"
                      aria-current={s.id === selectedId ? 'true' : undefined}
                      aria-describedby={metaId}
                      onClick={() => onOpen(s.id)}
                    >
                      {title}
                    </button>
                    <span id={metaId} className="session-meta">
                      {s.agentType ? `${s.agentType} · ` : ''}
                      {STAGE_LABELS[s.stage]} · <time dateTime={s.updatedAt}>{timeAgo(s.updatedAt)}</time>
                    </span>
                    <button type="button" className="icon-button session-delete" aria-label={`Delete “${title}”`} title="Delete" onClick={() => setConfirming(s.id)}>
                      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
                        <path d="M3 4h10M6.5 4V2.5h3V4M4.5 4l.6 9.5h5.8l.6-9.5" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" strokeLinejoin="round" />
                      </svg>
                    </button>
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {total > items.length ? <p className="sessions-more">Showing {items.length} of {total}. Search to narrow down.</p> : null}
    </section>
  );
}
