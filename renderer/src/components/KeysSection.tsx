import { useEffect, useRef, useState } from 'react';
import type { ParleyApi } from '../../../shared/ipc';
import type { KeysStatus, ProviderKeyStatus } from '../../../shared/keys';
import type { KeyProvider } from '../../../shared/providers';
import { asParleyError } from '../../../shared/errors';
import { PROVIDER_NAMES } from '../lib/useProviderState';

const SOURCE_LABELS: Record<string, string> = {
  keychain: 'OS keychain',
  safeStorage: 'encrypted app storage',
  env: 'environment variable',
  memory: 'this session only',
};

/** What is missing and what to do, in one plain sentence for the user's OS. */
export function noKeychainSentence(platform: string | null): string {
  if (platform === 'darwin') return 'Parley cannot reach the macOS Keychain, so it cannot store API keys. Unlock your login keychain (Keychain Access), then reopen Settings.';
  if (platform === 'win32') return 'Parley cannot reach Windows Credential Manager, so it cannot store API keys. Sign in to Windows normally (not as a service), then reopen Settings.';
  return 'No keyring is running, so Parley cannot store API keys. Install and unlock GNOME Keyring or KWallet in your desktop session, then restart Parley.';
}

export interface KeysSectionProps {
  api: ParleyApi;
  keys: KeysStatus;
  platform: string | null;
  /** This provider's key field gets the focus (opened from "Add key"). */
  focusKey?: KeyProvider;
  onStatus(status: KeysStatus): void;
}

/** Where keys are kept, and one row per provider to set, test, replace or clear its key. */
export function KeysSection({ api, keys, platform, focusKey, onStatus }: KeysSectionProps) {
  const canStore = keys.backend !== 'none';
  const [sessionOnly, setSessionOnly] = useState(false);
  return (
    <>
      {canStore ? (
        <p className="keys-backend">
          Storage: {SOURCE_LABELS[keys.backend]}
          {keys.backendMessage ? ` — ${keys.backendMessage}` : ''}
        </p>
      ) : (
        <div className="keys-missing">
          <p className="keys-sentence">{noKeychainSentence(platform)} You can also set OPENAI_API_KEY or ANTHROPIC_API_KEY in the environment.</p>
          <label className="check">
            <input type="checkbox" checked={sessionOnly} onChange={(e) => setSessionOnly(e.target.checked)} />
            Use a key for this session only (kept in memory, never written, forgotten when Parley quits)
          </label>
          {keys.backendMessage ? (
            <details className="keys-details">
              <summary>Technical details</summary>
              <p>{keys.backendMessage}</p>
            </details>
          ) : null}
        </div>
      )}
      {keys.providers.map((p) => (
        <KeyRow key={p.provider} api={api} status={p} mode={canStore ? 'store' : sessionOnly ? 'session' : 'none'} autoFocus={focusKey === p.provider} onStatus={onStatus} />
      ))}
    </>
  );
}

type Mode = 'store' | 'session' | 'none';

function KeyRow({ api, status, mode, autoFocus, onStatus }: { api: ParleyApi; status: ProviderKeyStatus; mode: Mode; autoFocus: boolean; onStatus(s: KeysStatus): void }) {
  const name = status.provider === 'elevenlabs' ? 'ElevenLabs' : PROVIDER_NAMES[status.provider];
  const [key, setKey] = useState('');
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setNote(null);
    try {
      await work();
    } catch (e) {
      setNote({ ok: false, text: asParleyError(e).message });
    } finally {
      setBusy(false);
    }
  };
  const provider: KeyProvider = status.provider;
  const disabled = mode === 'none';
  // Opened from "Add key": the dialog's first focus ran before the key status arrived.
  const input = useRef<HTMLInputElement>(null);
  const focusOnce = useRef(autoFocus);
  useEffect(() => {
    if (focusOnce.current && !disabled) input.current?.focus();
    focusOnce.current = false;
  }, [disabled]);
  return (
    <div className="key-row" role="group" aria-label={`${name} API key`}>
      <div className="key-head">
        <strong>{name}</strong>
        <span className={`chip${status.set ? ' chip-ok' : ''}`}>
          {status.set ? `Set · ${status.source ? SOURCE_LABELS[status.source] : ''}${status.last4 ? ` · ends in ${status.last4}` : ''}` : 'Not set'}
        </span>
      </div>
      {status.readOnly ? (
        <p className="hint">This key comes from an environment variable; change it there.</p>
      ) : (
        <div className="key-controls">
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            aria-label={`${status.set ? 'Replace' : 'Set'} ${name} API key`}
            placeholder={disabled ? 'No keychain: see above' : status.set ? 'Paste a new key to replace it' : mode === 'session' ? 'Paste a key for this session' : 'Paste your API key'}
            value={key}
            disabled={disabled}
            ref={input}
            onChange={(e) => setKey(e.target.value)}
          />
          <button
            type="button"
            className="button button-small button-primary"
            disabled={disabled || busy || key.trim().length < 8}
            onClick={() =>
              void run(async () => {
                onStatus(await api.keys.set({ provider, key: key.trim(), ...(mode === 'session' ? { sessionOnly: true } : {}) }));
                setKey('');
                setNote({ ok: true, text: mode === 'session' ? 'Kept for this session.' : 'Saved.' });
              })
            }
          >
            {mode === 'session' ? 'Use for this session' : status.set ? 'Replace' : 'Save'}
          </button>
        </div>
      )}
      <div className="key-actions">
        <button
          type="button"
          className="button button-small"
          disabled={busy || (!status.set && key.trim().length < 8)}
          onClick={() =>
            void run(async () => {
              const r = await api.keys.test(key.trim().length >= 8 ? { provider, key: key.trim() } : { provider });
              setNote({ ok: r.ok, text: r.message });
            })
          }
        >
          Test
        </button>
        {status.set && !status.readOnly ? (
          <button type="button" className="button button-small button-ghost-danger" disabled={busy} onClick={() => void run(async () => onStatus(await api.keys.clear({ provider })))}>
            Clear
          </button>
        ) : null}
        {note ? <span className={note.ok ? 'saved-note' : 'field-error'}>{note.text}</span> : null}
      </div>
    </div>
  );
}
