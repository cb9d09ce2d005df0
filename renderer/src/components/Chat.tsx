import { memo, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Session, Message } from '../../../shared/session';
import type { IpcError } from '../../../shared/errors';
import type { ProviderName } from '../../../shared/providers';
import type { ProviderState } from '../lib/useProviderState';
import type { Drawer } from '../lib/useLayout';
import { usageLine } from '../lib/usage';
import { Markdown } from './Markdown';
import { Icon } from './Icon';
import { ErrorBanner, ProviderBanner, RetryNotice, type RetryView } from './ChatBanners';
import { clockTime, STAGE_LABELS } from '../labels';

export { nextStep } from './ChatBanners';
export type { RetryView } from './ChatBanners';

export interface TurnView {
  /** The user's message as sent, shown until the saved session comes back. */
  pendingUser: string | null;
  /** The reply so far, streamed from turn:delta. */
  text: string;
  /** From turn:status while a provider call is retried or falls back. */
  status: RetryView | null;
  /** Known once turn:send answered; Stop needs it. */
  turnId: string | null;
}

export interface ChatProps {
  session: Session;
  turn: TurnView | null;
  error: IpcError | null;
  draft: string;
  /** A message to scroll to and flash (from a spec value's source link). */
  highlight: string | null;
  /** Who answers, and whether the chosen provider is missing a key (null while loading). */
  provider?: ProviderState | null;
  /** Put the cursor in the message box when the chat opens (not after a delete from the list). */
  autoFocus?: boolean;
  /** Below 1200 px: the side panels are drawers, toggled from the header. */
  narrow?: boolean;
  onToggleDrawer?(drawer: Exclude<Drawer, null>): void;
  onDraft(text: string): void;
  onSend(text: string): void;
  onStop(): void;
  onRetry(): void;
  /** Answers this session with the offline guided interviewer from now on; `retry` re-sends the failed message. */
  onContinueOffline(retry: boolean): void;
  onAddKey?(provider: ProviderName): void;
  onOpenSettings(): void;
  onOpenExport(): void;
  /** Opens the session's versions (absent: no Versions button). */
  onOpenVersions?(): void;
  onDismissError(): void;
}

/** Longer messages show their start and a "Show all" (a huge unbroken paste must not stall the window). */
export const MESSAGE_DISPLAY_LIMIT = 20_000;

type Visible = Pick<Message, 'id' | 'role' | 'text' | 'createdAt' | 'status' | 'provider' | 'model' | 'turnId'> & { streaming?: boolean };

export function Chat(props: ChatProps) {
  const { session, turn, error, draft, highlight, provider = null, autoFocus = true, narrow = false, onToggleDrawer } = props;
  const logRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const running = turn !== null;
  const visible: Visible[] = [...session.messages];
  if (turn?.pendingUser) visible.push({ id: 'pending-user', role: 'user', text: turn.pendingUser, createdAt: new Date().toISOString(), status: 'complete' });
  if (turn && turn.text) visible.push({ id: 'streaming', role: 'assistant', text: turn.text, createdAt: new Date().toISOString(), status: 'partial', streaming: true });
  const usage = new Map(session.usage.map((u) => [u.turnId, u]));

  // A chat is mounted per session (keyed by id): opening or creating one puts the cursor in the message box.
  const focusOnMount = useRef(autoFocus);
  useEffect(() => {
    if (focusOnMount.current) inputRef.current?.focus();
  }, []);

  // Follow the conversation while it grows (new messages, streamed text, a banner that shrinks the
  // log, the usage line that appears when a turn is saved), unless the user scrolled up to read.
  const pinned = useRef(true);
  const lastTop = useRef(0);
  const highlightRef = useRef(highlight);
  highlightRef.current = highlight;
  useEffect(() => {
    const log = logRef.current;
    const list = listRef.current;
    if (!log || !list) return;
    const follow = () => {
      if (pinned.current && !highlightRef.current) log.scrollTop = log.scrollHeight;
    };
    follow();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(follow);
    ro.observe(list);
    ro.observe(log);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    const log = logRef.current;
    if (log && pinned.current && !highlight) log.scrollTop = log.scrollHeight;
  }, [visible.length, turn?.text, highlight]);

  useEffect(() => {
    if (!highlight) return;
    const target = [...(logRef.current?.querySelectorAll<HTMLElement>('[data-message-id]') ?? [])].find((el) => el.dataset.messageId === highlight);
    target?.scrollIntoView?.({ block: 'center', behavior: 'smooth' });
    target?.focus({ preventScroll: true });
  }, [highlight]);

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const text = draft.trim();
    if (!text || running) return;
    pinned.current = true;
    props.onSend(text);
  };
  return (
    <section className="chat" aria-label="Chat" id="chat">
      <ChatHeader session={session} provider={provider} narrow={narrow} onToggleDrawer={onToggleDrawer} onOpenExport={props.onOpenExport} onOpenSettings={props.onOpenSettings} onOpenVersions={props.onOpenVersions} />
      <div
        className="messages"
        ref={logRef}
        role="log"
        aria-label="Conversation"
        aria-live="polite"
        aria-busy={running}
        tabIndex={0}
        onScroll={(e) => {
          // Only the user scrolling up unpins; a resize or new content that moves the bottom does not.
          const el = e.currentTarget;
          const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
          if (atBottom) pinned.current = true;
          else if (el.scrollTop < lastTop.current - 1) pinned.current = false;
          lastTop.current = el.scrollTop;
        }}
      >
        {session.messages.length === 0 && !running ? (
          <p className="chat-intro">
            This session starts from a copy of another design: the spec on the right is kept, the conversation starts fresh. Say what to change, or export it as it is.
          </p>
        ) : null}
        <ol className="message-list" ref={listRef}>
          {visible.map((m) => (
            <MessageItem key={m.id} m={m} detail={m.role === 'assistant' ? usageLine(m.turnId ? usage.get(m.turnId) : undefined, m) : null} highlighted={highlight === m.id} />
          ))}
          {running && !turn.text ? (
            <li className="message message-assistant is-working" aria-label="Parley is thinking">
              <span className="dots" aria-hidden="true">
                <span />
                <span />
                <span />
              </span>
            </li>
          ) : null}
        </ol>
      </div>
      {turn?.status ? <RetryNotice status={turn.status} /> : null}
      {provider?.missing && session.provider !== 'offline' && !error ? (
        <ProviderBanner state={provider} stage={STAGE_LABELS[session.stage]} onAddKey={(p) => props.onAddKey?.(p)} onContinueOffline={() => props.onContinueOffline(false)} />
      ) : null}
      {error ? (
        <ErrorBanner
          error={error}
          provider={session.provider}
          onRetry={props.onRetry}
          onContinueOffline={() => props.onContinueOffline(true)}
          onOpenSettings={props.onOpenSettings}
          onDismiss={props.onDismissError}
        />
      ) : null}
      <Composer ref={inputRef} session={session} draft={draft} running={running} canStop={!!turn?.turnId} onDraft={props.onDraft} onSubmit={submit} onStop={props.onStop} />
    </section>
  );
}

/** One message; memoised so a streamed delta re-renders only the streaming one. */
const MessageItem = memo(function MessageItem({ m, detail, highlighted }: { m: Visible; detail: string | null; highlighted: boolean }) {
  const [all, setAll] = useState(false);
  const long = m.text.length > MESSAGE_DISPLAY_LIMIT;
  const text = long && !all ? `${m.text.slice(0, MESSAGE_DISPLAY_LIMIT)}…` : m.text;
  return (
    <li
      data-message-id={m.id}
      tabIndex={-1}
      className={`message message-${m.role}${m.streaming ? ' is-streaming' : ''}${m.status === 'error' ? ' is-error' : ''}${highlighted ? ' is-highlighted' : ''}`}
    >
      <div className="message-meta">
        <span className="message-author">{m.role === 'user' ? 'You' : m.role === 'assistant' ? 'Parley' : 'Note'}</span>
        {m.streaming ? null : (
          <time dateTime={m.createdAt} title={new Date(m.createdAt).toLocaleString()}>
            {clockTime(m.createdAt)}
          </time>
        )}
        {m.status === 'partial' && !m.streaming ? <span className="message-flag">stopped</span> : null}
        {detail ? <span className="message-detail">{detail}</span> : null}
      </div>
      <div className={`message-body${long ? ' is-long' : ''}`}>
        {/* Markdown of a huge paste would cost seconds: past the limit it is shown as plain text. */}
        {long ? <p className="plain-text">{text}</p> : <Markdown text={text} />}
      </div>
      {long ? (
        <button type="button" className="link-button show-all" onClick={() => setAll((a) => !a)}>
          {all ? 'Show less' : `Show all ${m.text.length.toLocaleString('en-US')} characters`}
        </button>
      ) : null}
    </li>
  );
});

function ChatHeader({ session, provider, narrow, onToggleDrawer, onOpenExport, onOpenSettings, onOpenVersions }: Pick<ChatProps, 'session' | 'onToggleDrawer' | 'onOpenExport' | 'onOpenSettings' | 'onOpenVersions'> & { provider: ProviderState | null; narrow: boolean }) {
  return (
    <header className="chat-head">
      {narrow ? (
        <button type="button" className="icon-button icon-large" aria-label="Sessions" title="Sessions" onClick={() => onToggleDrawer?.('sessions')}>
          <Icon name="list" />
        </button>
      ) : null}
      <div className="chat-heading">
        <h1 className="chat-title">{session.title || 'Untitled session'}</h1>
        <span className="chat-stage">{STAGE_LABELS[session.stage]}</span>
      </div>
      <div className="chat-tools">
        {provider ? (
          <span className={`chip provider-chip provider-${provider.answering.provider}`} data-testid="answering" title="Who answers the next message">
            <span className="visually-hidden">Answering: </span>
            {provider.answering.label}
          </span>
        ) : null}
        <button type="button" className="button button-small" onClick={onOpenExport} aria-keyshortcuts="Control+E Meta+E" title="Export (Ctrl+E)">
          <Icon name="export" />
          Export
        </button>
        {onOpenVersions ? (
          <button type="button" className="button button-small" onClick={onOpenVersions}>
            Versions
          </button>
        ) : null}
        {narrow ? (
          <button type="button" className="icon-button icon-large" aria-label="Spec and workflow" title="Spec and workflow" onClick={() => onToggleDrawer?.('inspector')}>
            <Icon name="panel" />
          </button>
        ) : null}
        <button type="button" className="icon-button icon-large has-tip" aria-label="Settings" aria-keyshortcuts="Control+, Meta+," data-tip="Settings (Ctrl+,)" onClick={onOpenSettings}>
          <Icon name="settings" />
        </button>
      </div>
    </header>
  );
}

interface ComposerProps {
  ref: React.Ref<HTMLTextAreaElement>;
  session: Session;
  draft: string;
  running: boolean;
  canStop: boolean;
  onDraft(text: string): void;
  onSubmit(e?: FormEvent): void;
  onStop(): void;
}

/** The message box: Enter sends, Shift+Enter is a new line, Escape stops a running turn. */
function Composer({ ref, session, draft, running, canStop, onDraft, onSubmit, onStop }: ComposerProps) {
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      onSubmit();
    } else if (e.key === 'Escape' && running && canStop) {
      e.preventDefault();
      onStop();
    }
  };
  return (
    <form className="composer" onSubmit={onSubmit}>
      <textarea
        ref={ref}
        className="composer-input"
        aria-label="Message"
        aria-describedby="composer-hint"
        placeholder={session.stage === 'COMPLETED' ? 'Ask for changes, or export…' : 'Type your answer…'}
        rows={2}
        value={draft}
        onChange={(e) => onDraft(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="composer-side">
        <span id="composer-hint" className="composer-hint">
          Enter to send · Shift+Enter for a new line
        </span>
        {running ? (
          <button type="button" className="button button-stop" onClick={onStop} disabled={!canStop} aria-keyshortcuts="Escape">
            Stop
          </button>
        ) : (
          <button type="submit" className="button button-primary" disabled={!draft.trim()}>
            Send
          </button>
        )}
      </div>
    </form>
  );
}
