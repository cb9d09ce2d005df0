import { forwardRef, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import type { QuarantinedFile, SessionSummary } from '../../../shared/session';
import { STAGE_LABELS, timeAgo } from '../labels';
import { Icon } from './Icon';
import { HiddenFileInput } from './HiddenFileInput';

export interface SessionBrowserProps {
  /** Sparse, newest first; undefined rows are still loading. */
  items: Array<SessionSummary | undefined>;
  total: number;
  quarantined: QuarantinedFile[];
  selectedId: string | null;
  search: string;
  /** The search the shown results answer; while it differs from `search`, a search is running. */
  query?: string;
  loading: boolean;
  onSearch(text: string): void;
  /** The rows on screen changed: load their pages. */
  onRange(start: number, end: number): void;
  onOpen(id: string): void;
  onNew(): void;
  /** Import an ElevenLabs agent or Parley session file; absent → no import button. */
  onImport?(file: File): void;
  onRename(id: string, title: string): void;
  /** "Save as template": the session's design, without its conversation. */
  onSaveAsTemplate(id: string, title: string): void;
  onDelete(id: string, title: string): void;
  /** Opens the template gallery; absent → no button. */
  onNewFromTemplate?(): void;
}

export const ROW_HEIGHT = 58;
const OVERSCAN = 6;
/** jsdom and hidden panes report 0; render a screenful anyway. */
const FALLBACK_HEIGHT = 640;

/**
 * Every session, newest first, in a virtual list (only the rows on screen exist in the DOM, so
 * 10,000 sessions scroll as smoothly as ten). Keyboard: ↑/↓/Home/End move, Enter opens, F2
 * renames, Delete deletes (with Undo), Ctrl/Cmd+D saves it as a template.
 */
export const SessionBrowser = forwardRef<HTMLInputElement, SessionBrowserProps>(function SessionBrowser(props, searchRef) {
  const { items, total, quarantined, selectedId, search, query = search, loading, onSearch, onRange, onOpen, onNew, onImport, onRename, onSaveAsTemplate, onDelete, onNewFromTemplate } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  const newButton = useRef<HTMLButtonElement>(null);
  /** A row being deleted: once it leaves the list, focus goes to the row that took its place. */
  const deleting = useRef<{ id: string; index: number } | null>(null);

  const { start, end, height, setScrollTop, scrollIntoView } = useVirtualRows(scroller, total, search, onRange);

  // Keyboard focus follows an index, since the row it lands on may not be rendered yet.
  useEffect(() => {
    if (focusIndex === null) return;
    const btn = scroller.current?.querySelector<HTMLElement>(`[data-index="${focusIndex}"] .session-open`);
    if (btn) {
      btn.focus();
      setFocusIndex(null);
    }
  });

  const deleteAt = (id: string, title: string, index: number) => {
    deleting.current = { id, index };
    onDelete(id, title);
  };
  useEffect(() => {
    const gone = deleting.current;
    if (!gone || loading || items.some((s) => s?.id === gone.id)) return;
    deleting.current = null;
    if (total > 0) moveTo(Math.min(gone.index, total - 1));
    else newButton.current?.focus();
  });

  const moveTo = (index: number) => {
    const i = Math.max(0, Math.min(total - 1, index));
    scrollIntoView(i);
    setFocusIndex(i);
  };

  const onRowKey = (e: KeyboardEvent, index: number, s: SessionSummary, title: string) => {
    if (renaming) return;
    const mod = e.ctrlKey || e.metaKey;
    if (e.key === 'ArrowDown') moveTo(index + 1);
    else if (e.key === 'ArrowUp') moveTo(index - 1);
    else if (e.key === 'Home') moveTo(0);
    else if (e.key === 'End') moveTo(total - 1);
    else if (e.key === 'PageDown') moveTo(index + Math.floor(height / ROW_HEIGHT));
    else if (e.key === 'PageUp') moveTo(index - Math.floor(height / ROW_HEIGHT));
    else if (e.key === 'F2') setRenaming(s.id);
    else if (e.key === 'Delete') deleteAt(s.id, title, index);
    else if (mod && e.key.toLowerCase() === 'd') onSaveAsTemplate(s.id, title);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  const rows = [];
  for (let i = start; i < end; i++) {
    const s = items[i];
    if (!s) {
      rows.push(
        <li key={`loading-${i}`} className="session-item is-loading" data-index={i} aria-setsize={total} aria-posinset={i + 1} style={{ transform: `translateY(${i * ROW_HEIGHT}px)` }}>
          <span className="skeleton" />
          <span className="skeleton skeleton-short" />
        </li>,
      );
      continue;
    }
    rows.push(
      <SessionRow
        key={s.id}
        s={s}
        index={i}
        total={total}
        selected={s.id === selectedId}
        tabbable={s.id === selectedId || (!selectedId && i === 0)}
        renaming={renaming === s.id}
        onOpen={() => onOpen(s.id)}
        onKeyDown={(e, title) => onRowKey(e, i, s, title)}
        onStartRename={() => setRenaming(s.id)}
        onRenamed={(title, next) => {
          setRenaming(null);
          setFocusIndex(i);
          if (next && next !== title) onRename(s.id, next);
        }}
        onSaveAsTemplate={(title) => onSaveAsTemplate(s.id, title)}
        onDelete={(title) => deleteAt(s.id, title, i)}
      />,
    );
  }

  return (
    <section className="sessions" aria-labelledby="sessions-title">
      <SessionsHead ref={searchRef} newButton={newButton} search={search} query={query} total={total} loading={loading} onSearch={onSearch} onNew={onNew} onImport={onImport} onNewFromTemplate={onNewFromTemplate} onFirstRow={() => moveTo(0)} />
      <div className="session-scroller" ref={scroller} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        {total === 0 && !loading ? (
          <p className="sessions-empty">{query ? `No sessions match “${query}”.` : 'No sessions yet.'}</p>
        ) : (
          <ul className="session-list" aria-label="Sessions" style={{ height: total * ROW_HEIGHT }}>
            {rows}
          </ul>
        )}
      </div>
      {quarantined.length ? <Quarantine files={quarantined} /> : null}
    </section>
  );
});

function RenameField({ title, onDone }: { title: string; onDone(next: string | null): void }) {
  const [value, setValue] = useState(title);
  const done = useRef(false);
  const finish = (next: string | null) => {
    if (done.current) return;
    done.current = true;
    onDone(next);
  };
  return (
    <input
      className="rename-input"
      aria-label={`New title for “${title}”`}
      value={value}
      autoFocus
      maxLength={200}
      onFocus={(e) => e.currentTarget.select()}
      onChange={(e) => setValue(e.target.value)}
      onBlur={() => finish(value.trim() || null)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          finish(value.trim() || null);
        } else if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          finish(null);
        }
      }}
    />
  );
}

interface SessionRowProps {
  s: SessionSummary;
  index: number;
  total: number;
  selected: boolean;
  /** The one row in the tab order (roving tabindex). */
  tabbable: boolean;
  renaming: boolean;
  onOpen(): void;
  onKeyDown(e: KeyboardEvent, title: string): void;
  onStartRename(): void;
  onRenamed(title: string, next: string | null): void;
  onSaveAsTemplate(title: string): void;
  onDelete(title: string): void;
}

function SessionRow({ s, index, total, selected, tabbable, renaming, onOpen, onKeyDown, onStartRename, onRenamed, onSaveAsTemplate, onDelete }: SessionRowProps) {
  const title = s.title || 'Untitled session';
  const metaId = `session-meta-${s.id}`;
  return (
    <li className={`session-item${selected ? ' is-selected' : ''}`} data-index={index} aria-setsize={total} aria-posinset={index + 1} style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}>
      {renaming ? (
        <RenameField title={title} onDone={(next) => onRenamed(title, next)} />
      ) : (
        <>
          <button
            type="button"
            className="session-open"
            aria-current={selected ? 'true' : undefined}
            aria-describedby={metaId}
            aria-keyshortcuts="F2 Delete Control+D"
            tabIndex={tabbable ? 0 : -1}
            onClick={onOpen}
            onKeyDown={(e) => onKeyDown(e, title)}
          >
            {title}
          </button>
          <span id={metaId} className="session-meta">
            {s.readOnly ? <span className="chip chip-warn">read-only</span> : null}
            {s.agentType ? <span className="session-type">{s.agentType}</span> : null}
            <span className={`session-stage stage-dot-${s.stage.toLowerCase()}`}>{STAGE_LABELS[s.stage]}</span>
            <time dateTime={s.updatedAt}>{timeAgo(s.updatedAt)}</time>
          </span>
          <span className="session-actions">
            <button type="button" className="icon-button" aria-label={`Rename “${title}”`} title="Rename (F2)" tabIndex={-1} onClick={onStartRename}>
              <Icon name="edit" />
            </button>
            <button type="button" className="icon-button" aria-label={`Save “${title}” as template`} title="Save as template, without the conversation (Ctrl+D)" tabIndex={-1} onClick={() => onSaveAsTemplate(title)}>
              <Icon name="copy" />
            </button>
            <button type="button" className="icon-button icon-danger" aria-label={`Delete “${title}”`} title="Delete (Del)" tabIndex={-1} onClick={() => onDelete(title)}>
              <Icon name="trash" />
            </button>
          </span>
        </>
      )}
    </li>
  );
}

/** Which rows of a virtual list are on screen (plus overscan), following scroll and resize. */
function useVirtualRows(scroller: RefObject<HTMLDivElement | null>, total: number, search: string, onRange: (start: number, end: number) => void) {
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(FALLBACK_HEIGHT);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight || FALLBACK_HEIGHT);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [scroller]);

  // A new search starts at the top.
  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
  }, [search, scroller]);

  const start = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const end = Math.min(total, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  useEffect(() => {
    onRange(start, end);
  }, [start, end, onRange]);

  const scrollIntoView = (i: number) => {
    const el = scroller.current;
    if (!el) return;
    const top = i * ROW_HEIGHT;
    const view = el.clientHeight || FALLBACK_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + view) el.scrollTop = top + ROW_HEIGHT - view;
    setScrollTop(el.scrollTop);
  };
  return { start, end, height, setScrollTop, scrollIntoView };
}

function Quarantine({ files }: { files: QuarantinedFile[] }) {
  return (
    <details className="quarantine">
      <summary>
        <Icon name="warning" />
        {files.length} {files.length === 1 ? 'file' : 'files'} could not be opened
      </summary>
      <ul aria-label="Files that could not be opened">
        {files.map((q) => (
          <li key={q.file}>
            <code className="quarantine-file">{q.file}</code>
            <span className="quarantine-reason">{q.reason}</span>
          </li>
        ))}
      </ul>
      <p className="quarantine-hint">They were moved aside unchanged; nothing was deleted.</p>
    </details>
  );
}

interface SessionsHeadProps {
  ref: React.Ref<HTMLInputElement>;
  newButton: RefObject<HTMLButtonElement | null>;
  search: string;
  query: string;
  total: number;
  loading: boolean;
  onSearch(text: string): void;
  onNew(): void;
  onImport?(file: File): void;
  onNewFromTemplate?(): void;
  /** ArrowDown in the search box: into the list. */
  onFirstRow(): void;
}

/** Title, import and New session, the search box and the count. */
function SessionsHead({ ref, newButton, search, query, total, loading, onSearch, onNew, onImport, onNewFromTemplate, onFirstRow }: SessionsHeadProps) {
  const fileInput = useRef<HTMLInputElement>(null);
  return (
    <>
      <div className="sessions-head">
        <h2 id="sessions-title" className="panel-title">
          Sessions
        </h2>
        <span className="sessions-actions">
          {onImport ? (
            <>
              <button type="button" className="icon-button icon-large" aria-label="Import agent…" title="Import an ElevenLabs agent or Parley file" onClick={() => fileInput.current?.click()}>
                <Icon name="import" />
              </button>
              <HiddenFileInput ref={fileInput} accept=".json,application/json,.zip,application/zip" onFile={onImport} />
            </>
          ) : null}
          <button ref={newButton} type="button" className="button button-primary button-small" onClick={onNew} aria-keyshortcuts="Control+N Meta+N" title="New session (Ctrl+N)">
            <Icon name="plus" />
            New session
          </button>
        </span>
      </div>
      <div className="search-wrap">
        <Icon name="search" className="search-icon" />
        <input
          ref={ref}
          type="search"
          className="search"
          aria-label="Search sessions"
          aria-keyshortcuts="Control+K Meta+K"
          placeholder="Search sessions"
          value={search}
          onChange={(e) => onSearch(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && total > 0) {
              e.preventDefault();
              onFirstRow();
            } else if (e.key === 'Escape' && search) {
              e.preventDefault();
              onSearch('');
            }
          }}
        />
        <kbd className="search-kbd" aria-hidden="true">
          Ctrl K
        </kbd>
      </div>
      <div className="sessions-count-row">
        <p className="sessions-count" aria-live="polite">
          {loading ? 'Loading…' : search.trim() !== query ? 'Searching…' : query ? `${total} ${total === 1 ? 'match' : 'matches'}` : `${total} ${total === 1 ? 'session' : 'sessions'}`}
        </p>
        {onNewFromTemplate ? (
          <button type="button" className="link-button" title="Start a new session from a template" onClick={onNewFromTemplate}>
            New from template…
          </button>
        ) : null}
      </div>
    </>
  );
}
