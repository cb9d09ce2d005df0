import { useEffect, useState } from 'react';
import type { Session } from '../../../shared/session';
import type { IpcError } from '../../../shared/errors';
import type { ProviderName } from '../../../shared/providers';
import { PROVIDER_NAMES, type ProviderState } from '../lib/useProviderState';
import { Icon } from './Icon';

export interface RetryView {
  message: string;
  /** Epoch ms when the next attempt starts. */
  until: number | null;
  attempt?: number;
  maxAttempts?: number;
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

export function RetryNotice({ status }: { status: RetryView }) {
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

/** Provider errors often carry their own next step; then the banner does not say it a second time. */
function hasNextStep(message: string): boolean {
  return /\b(try again|retry|in settings|check the)\b/i.test(message);
}

export interface ErrorBannerProps {
  error: IpcError;
  provider: Session['provider'];
  onRetry(): void;
  onContinueOffline(): void;
  onOpenSettings(): void;
  onDismiss(): void;
}

export function ErrorBanner({ error, provider, onRetry, onContinueOffline, onOpenSettings, onDismiss }: ErrorBannerProps) {
  const actions = actionsFor(error.code, provider);
  const quiet = error.code === 'CANCELLED';
  return (
    <div className={`banner${quiet ? ' banner-quiet' : ''}`} role="alert">
      <Icon name={quiet ? 'info' : 'warning'} className="banner-icon" />
      <div className="banner-text">
        {quiet ? null : <strong className="banner-title">{error.message}</strong>}
        {quiet || !hasNextStep(error.message) ? <span>{nextStep(error)}</span> : null}
      </div>
      <div className="banner-actions">
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
        <button type="button" className="button button-small button-ghost" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </div>
  );
}

/**
 * The provider the user chose cannot answer (no key, no endpoint): say so before a turn, and
 * offer the two ways on. Nothing switches without the user's say.
 */
export function ProviderBanner({ state, stage, onAddKey, onContinueOffline }: { state: ProviderState; stage: string; onAddKey(provider: ProviderName): void; onContinueOffline(): void }) {
  const { missing, answering } = state;
  if (!missing) return null;
  const wanted = PROVIDER_NAMES[missing.provider];
  const chosen = missing.via === 'session' ? `This session uses ${wanted}` : `Settings route ${stage} to ${wanted}`;
  return (
    <div className="banner banner-warn" role="region" aria-label="Provider not ready">
      <Icon name="warning" className="banner-icon" />
      <div className="banner-text">
        <strong className="banner-title">
          {chosen}, but {missing.what}.
        </strong>
        <span>Until then {answering.provider === 'offline' ? 'the offline interviewer' : answering.label} answers. Add the missing piece, or continue this session offline.</span>
      </div>
      <div className="banner-actions">
        <button type="button" className="button button-small button-primary" onClick={() => onAddKey(missing.provider)}>
          {missing.provider === 'local' ? 'Set up endpoint' : 'Add key'}
        </button>
        <button type="button" className="button button-small" onClick={onContinueOffline}>
          Continue offline
        </button>
      </div>
    </div>
  );
}
