import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Session, Message, TurnUsage } from '../../../shared/session';
import type { IpcError } from '../../../shared/errors';
import { Markdown } from './Markdown';
import { Icon } from './Icon';
import { clockTime, STAGE_LABELS } from '../labels';

export interface RetryView {
  message: string;
  /** Epoch ms when the next attempt starts. */
  until: number | null;
  attempt?: number;
  maxAttempts?: number;
}

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
  onDraft(text: string): void;
  onSend(text: string): void;
  onStop(): void;
  onRetry(): void;
  /** Answers this session with the offline guided interviewer from now on, then retries. */
  onContinueOffline(): void;
  onOpenSettings(): void;
  onOpenExport(): void;
  onDismissError(): void;
}

/** What the user can do about each failure; every banner carries one next step. */
export function nextStep(error: IpcError): string {
  switch (error.code) {
    case 'PROVIDER_AUTH':
      return 'Check the API key in Settings, or continue this session with the offline interviewer.';
    case 'PROVIDER_UNAVAILABLE':
      return 'The AI provider could not be reached. Retry in a moment, continue offline, or switch provider in Settings.';
    case 'CANCELLED':
      return 'The reply was stopped. Send a message to continue.';
    case 'DISCONNECTED':
      return 'Parley lost its connection to the backend. Retry once it is back.';
    case 'SAVE_FAILED':
    case 'READ_ONLY':
      return 'Parley could not save. Check that the data folder (shown in Settings) is writable, then retry.';
    case 'NOT_FOUND':
      return 'This session no longer exists. Pick another one or start a new session.';
    case 'INVALID_INPUT':
      return 'Shorten or change the message and send it again.';
    default:
      return 'Retry. If it keeps failing, restart Parley.';
  }
}

type Action = 'retry' | 'offline' | 'settings';
function actionsFor(code: IpcError['code'], provider: Session['provider']): Action[] {
  const offline: Action[] = provider === 'offline' ? [] : ['offline'];
  switch (code) {
    case 'PROVIDER_AUTH':
      return [...offline, 'settings'];
    case 'PROVIDER_UNAVAILABLE':
      return ['retry', ...offline, 'settings'];
    case 'CANCELLED':
    case 'NOT_FOUND':
    case 'INVALID_INPUT':
      return [];
    case 'SAVE_FAILED':
    case 'READ_ONLY':
      return ['retry', 'settings'];
    default:
      return ['retry'];
  }
}

function usageLine(u: TurnUsage | undefined, m: Pick<Message, 'provider' | 'model'>): string | null {
  const provider = u?.provider ?? m.provider;
  if (!provider) return null;
  const parts = [`${provider}${(u?.model ?? m.model) ? ` · ${u?.model ?? m.model}` : ''}`];
  if (u) {
    parts.push(`${u.inputTokens + u.outputTokens} tokens`);
    if (u.costUsd !== undefined) parts.push(u.costUsd === 0 ? 'free' : `$${u.costUsd < 0.01 ? u.costUsd.toFixed(4) : u.costUsd.toFixed(2)}`);
    parts.push(`${(u.latencyMs / 1000).toFixed(1)} s`);
  }
  return parts.join(' · ');
}

function RetryNotice({ status }: { status: RetryView }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!status.until) return;
    const id = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(id);
  }, [status.until]);
  const seconds = status.until ? Math.max(0, Math.ceil((status.until - now) / 1000)) : null;
  const attempt = status.attempt && status.maxAttempts ? ` (attempt ${status.attempt} of ${status.maxAttempts})` : '';
  // The backend's message carries a fixed "retrying in N s"; show it counting down instead.
  const base = seconds === null ? status.message : status.message.replace(/[;,.]?\s*retrying in \d+\s*s\b.*$/i, '').replace(/[.\s]+$/, '');
  return (
    <p className="notice" role="status">
      <Icon name="info" />
      <span>{seconds === null ? status.message : `${base}. Retrying in ${seconds} s${attempt}.`}</span>
    </p>
  );
}

type Visible = Pick<Message, 'id' | 'role' | 'text' | 'createdAt' | 'status' | 'provider' | 'model' | 'turnId'> & { streaming?: boolean };

export function Chat(props: ChatProps) {
  const { session, turn, error, draft, highlight, onDraft, onSend, onStop, onRetry, onContinueOffline, onOpenSettings, onOpenExport, onDismissError } = props;
  const logRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const running = turn !== null;
  const visible: Visible[] = [...session.messages];
  if (turn?.pendingUser) visible.push({ id: 'pending-user', role: 'user', text: turn.pendingUser, createdAt: new Date().toISOString(), status: 'complete' });
  if (turn && turn.text) visible.push({ id: 'streaming', role: 'assistant', text: turn.text, createdAt: new Date().toISOString(), status: 'partial', streaming: true });
  const usage = new Map(session.usage.map((u) => [u.turnId, u]));

  // A chat is mounted per session (keyed by id): opening or creating one puts the cursor in the message box.
  useEffect(() => inputRef.current?.focus(), []);

  // Follow the conversation while it grows, unless the user scrolled up to read.
  const pinned = useRef(true);
  useEffect(() => {
    const el = logRef.current;
    if (el && pinned.current && !highlight) el.scrollTop = el.scrollHeight;
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
    onSend(text);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    } else if (e.key === 'Escape' && running && turn?.turnId) {
      e.preventDefault();
      onStop();
    }
  };

  const actions = error ? actionsFor(error.code, session.provider) : [];
  return (
    <section className="chat" aria-label="Chat">
      <header className="chat-head">
        <div className="chat-heading">
          <h1 className="chat-title">{session.title || 'Untitled session'}</h1>
          <span className="chat-stage">{STAGE_LABELS[session.stage]}</span>
        </div>
        <div className="chat-tools">
          <button type="button" className="button button-small" onClick={onOpenExport} aria-keyshortcuts="Control+E Meta+E" title="Export (Ctrl+E)">
            <Icon name="export" />
            Export
          </button>
          <button type="button" className="icon-button icon-large" onClick={onOpenSettings} aria-label="Settings" aria-keyshortcuts="Control+, Meta+," title="Settings (Ctrl+,)">
            <Icon name="settings" />
          </button>
        </div>
      </header>
      <div
        className="messages"
        ref={logRef}
        role="log"
        aria-label="Conversation"
        aria-live="polite"
        aria-busy={running}
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        <ol className="message-list">
          {visible.map((m) => {
            const detail = m.role === 'assistant' ? usageLine(m.turnId ? usage.get(m.turnId) : undefined, m) : null;
            return (
              <li
                key={m.id}
                data-message-id={m.id}
                tabIndex={-1}
                className={`message message-${m.role}${m.streaming ? ' is-streaming' : ''}${m.status === 'error' ? ' is-error' : ''}${highlight === m.id ? ' is-highlighted' : ''}`}
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
                <div className="message-body">
                  <Markdown text={m.text} />
                </div>
              </li>
            );
          })}
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
      {error ? (
        <div className={`banner${error.code === 'CANCELLED' ? ' banner-quiet' : ''}`} role="alert">
          <Icon name={error.code === 'CANCELLED' ? 'info' : 'warning'} className="banner-icon" />
          <div className="banner-text">
            {error.code === 'CANCELLED' ? null : <strong className="banner-title">{error.message}</strong>}
            <span>{nextStep(error)}</span>
          </div>
          {actions.includes('retry') ? (
            <button type="button" className="button button-small" onClick={onRetry}>
              Retry
            </button>
          ) : null}
          {actions.includes('offline') ? (
            <button type="button" className="button button-small" onClick={onContinueOffline}>
              Continue offline
            </button>
          ) : null}
          {actions.includes('settings') ? (
            <button type="button" className="button button-small" onClick={onOpenSettings}>
              Open Settings
            </button>
          ) : null}
          <button type="button" className="button button-small button-ghost" onClick={onDismissError}>
            Dismiss
          </button>
        </div>
      ) : null}
      <form className="composer" onSubmit={submit}>
        <textarea
          ref={inputRef}
          className="composer-input"
          aria-label="Message"
          aria-describedby="composer-hint"
          placeholder={session.stage === 'COMPLETED' ? 'Ask for changes, or export the agent…' : 'Type your answer…'}
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
            <button type="button" className="button button-stop" onClick={onStop} disabled={!turn.turnId} aria-keyshortcuts="Escape">
              Stop
            </button>
          ) : (
            <button type="submit" className="button button-primary" disabled={!draft.trim()}>
              Send
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
