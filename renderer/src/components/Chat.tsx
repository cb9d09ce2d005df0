import { useEffect, useRef, type FormEvent, type KeyboardEvent } from 'react';
import type { Session, Message } from '../../../shared/session';
import type { IpcError } from '../../../shared/errors';
import { Markdown } from './Markdown';
import { clockTime, STAGE_LABELS } from '../labels';

export interface TurnView {
  /** The user's message as sent, shown until the saved session comes back. */
  pendingUser: string | null;
  /** The reply so far, streamed from turn:delta. */
  text: string;
  /** "Retrying in 4 s…" from turn:status. */
  status: string | null;
  /** Known once turn:send answered; Stop needs it. */
  turnId: string | null;
}

export interface ChatProps {
  session: Session;
  turn: TurnView | null;
  error: IpcError | null;
  draft: string;
  onDraft(text: string): void;
  onSend(text: string): void;
  onStop(): void;
  onDismissError(): void;
}

/** What the user can do about each failure; every banner carries one next step. */
export function nextStep(error: IpcError): string {
  switch (error.code) {
    case 'PROVIDER_AUTH':
      return 'Check the API key in Settings, or start a new session with the offline interviewer.';
    case 'PROVIDER_UNAVAILABLE':
      return 'The AI provider could not be reached. Send your message again in a moment, or use the offline interviewer.';
    case 'CANCELLED':
      return 'The reply was stopped. Send a message to continue.';
    case 'SAVE_FAILED':
    case 'READ_ONLY':
      return 'Parley could not save. Check that the data folder (shown at the bottom) is writable, then try again.';
    case 'NOT_FOUND':
      return 'This session no longer exists. Pick another one or start a new session.';
    case 'INVALID_INPUT':
      return 'Shorten or change the message and send it again.';
    default:
      return 'Try again. If it keeps failing, restart Parley.';
  }
}

export function Chat({ session, turn, error, draft, onDraft, onSend, onStop, onDismissError }: ChatProps) {
  const logRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const running = turn !== null;
  const visible: Array<Pick<Message, 'id' | 'role' | 'text' | 'createdAt' | 'status' | 'provider' | 'model'> & { streaming?: boolean }> = [...session.messages];
  if (turn?.pendingUser) visible.push({ id: 'pending-user', role: 'user', text: turn.pendingUser, createdAt: new Date().toISOString(), status: 'complete' });
  if (turn && turn.text) visible.push({ id: 'streaming', role: 'assistant', text: turn.text, createdAt: new Date().toISOString(), status: 'partial', streaming: true });

  // A chat is mounted per session (keyed by id): opening or creating one puts the cursor in the message box.
  useEffect(() => inputRef.current?.focus(), []);

  // Follow the conversation while it grows, as chat apps do.
  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [visible.length, turn?.text]);

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const text = draft.trim();
    if (!text || running) return;
    onSend(text);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <section className="chat" aria-label="Chat">
      <header className="chat-head">
        <h1 className="chat-title">{session.title || 'Untitled session'}</h1>
        <span className="chat-stage">{STAGE_LABELS[session.stage]}</span>
      </header>
      <div className="messages" ref={logRef} role="log" aria-label="Conversation" aria-live="polite" aria-busy={running}>
        <ol className="message-list">
          {visible.map((m) => (
            <li key={m.id} className={`message message-${m.role}${m.streaming ? ' is-streaming' : ''}${m.status === 'error' ? ' is-error' : ''}`}>
              <div className="message-meta">
                <span className="message-author">{m.role === 'user' ? 'You' : m.role === 'assistant' ? 'Parley' : 'Note'}</span>
                {m.streaming ? null : (
                  <time dateTime={m.createdAt} title={m.provider ? `Answered by ${m.provider}${m.model ? ` (${m.model})` : ''}` : undefined}>
                    {clockTime(m.createdAt)}
                  </time>
                )}
                {m.status === 'partial' && !m.streaming ? <span className="message-flag">stopped</span> : null}
              </div>
              <div className="message-body">
                <Markdown text={m.text} />
              </div>
            </li>
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
      {turn?.status ? (
        <p className="notice" role="status">
          {turn.status}
        </p>
      ) : null}
      {error ? (
        <div className={`banner${error.code === 'CANCELLED' ? ' banner-quiet' : ''}`} role="alert">
          <div className="banner-text">
            {error.code === 'CANCELLED' ? null : <strong className="banner-title">{error.message}</strong>}
            <span>{nextStep(error)}</span>
          </div>
          <button type="button" className="button" onClick={onDismissError}>
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
          placeholder="Describe the voice agent you want…"
          rows={2}
          value={draft}
          onChange={(e) => onDraft(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <span id="composer-hint" className="visually-hidden">
          Enter sends, Shift+Enter adds a new line.
        </span>
        {running ? (
          <button type="button" className="button button-stop" onClick={onStop} disabled={!turn.turnId}>
            Stop
          </button>
        ) : (
          <button type="submit" className="button button-primary" disabled={!draft.trim()}>
            Send
          </button>
        )}
      </form>
    </section>
  );
}
