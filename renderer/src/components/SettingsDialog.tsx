import { useEffect, useState, type ReactNode } from 'react';
import type { AppInfo, ParleyApi } from '../../../shared/ipc';
import { isInsecureRemote, type Settings, type SettingsPatch } from '../../../shared/settings';
import type { KeysStatus } from '../../../shared/keys';
import { STAGES } from '../../../shared/stages';
import { ProviderName, type KeyProvider } from '../../../shared/providers';
import { asParleyError } from '../../../shared/errors';
import { STAGE_LABELS } from '../labels';
import { Modal } from './Modal';
import { KeysSection } from './KeysSection';
import { PROVIDER_NAMES as PROVIDER_LABELS } from '../lib/useProviderState';

export interface SettingsDialogProps {
  api: ParleyApi;
  info: AppInfo | null;
  onClose(): void;
  /** Called with every saved settings object (the app applies the theme live). */
  onSaved(settings: Settings): void;
  /** Opened to add this provider's key: its field gets the focus. */
  focusKey?: KeyProvider;
}


/** API keys, routing, models and interview knobs, theme and data folder; every change saves at once. */
export function SettingsDialog({ api, info, onClose, onSaved, focusKey }: SettingsDialogProps) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [keys, setKeys] = useState<KeysStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    api.settings.get().then(setSettings, (e: unknown) => setError(asParleyError(e).message));
    api.keys.status().then(setKeys, (e: unknown) => setError(asParleyError(e).message));
  }, [api]);

  const save = async (patch: SettingsPatch, what: string) => {
    setError(null);
    // Shown at once (a radio or select must not spring back while the save runs); the answer, or the old value on failure, replaces it.
    const before = settings;
    setSettings((s) => (s ? { ...s, ...patch } : s));
    try {
      const next = await api.settings.set(patch);
      setSettings(next);
      onSaved(next);
      setSaved(`${what} saved.`);
    } catch (e) {
      setSettings(before);
      setError(`${what}: ${asParleyError(e).message}`);
    }
  };

  return (
    <Modal title="Settings" onClose={onClose} wide description="Changes are saved as you make them.">
      <div className="settings-status" role="status" aria-live="polite">
        {error ? <span className="field-error">{error}</span> : saved ? <span className="saved-note">{saved}</span> : null}
      </div>
      {!settings ? (
        <p className="panel-empty">Loading settings…</p>
      ) : (
        <div className="settings">
          <Section title="API keys" hint="Keys are stored by the operating system and never shown again; only their last four characters are.">
            {keys ? <KeysSection api={api} keys={keys} platform={info?.platform ?? null} focusKey={focusKey} onStatus={setKeys} /> : <p className="panel-empty">Checking keys…</p>}
          </Section>

          <RoutingSection settings={settings} save={save} />

          <Section title="Interview" hint="How the interviewer talks and how sure it must be before it fills a value in.">
            <div className="form-grid">
              <NumberSetting label="Temperature" min={0} max={2} step={0.1} value={settings.temperature} onCommit={(v) => save({ temperature: v }, 'Temperature')} />
              <NumberSetting label="Confidence threshold" min={0} max={1} step={0.05} value={settings.confidenceThreshold} onCommit={(v) => save({ confidenceThreshold: v }, 'Confidence threshold')} />
              <NumberSetting label="Context messages" min={1} max={200} step={1} value={settings.contextMessages} onCommit={(v) => save({ contextMessages: v }, 'Context messages')} />
              <NumberSetting label="Max reply tokens" min={64} max={32000} step={64} value={settings.maxTokens} onCommit={(v) => save({ maxTokens: v }, 'Max reply tokens')} />
              <NumberSetting label="Timeout (seconds)" min={1} max={600} step={1} value={settings.timeoutMs / 1000} onCommit={(v) => save({ timeoutMs: Math.round(v * 1000) }, 'Timeout')} />
            </div>
          </Section>

          <Section title="Local endpoint" hint="Any OpenAI-compatible server (Ollama, LM Studio, vLLM…). Leave the URL empty to turn it off.">
            <LocalEndpoint value={settings.localEndpoint} onCommit={(v) => save({ localEndpoint: v }, 'Local endpoint')} />
          </Section>

          <Section title="Appearance">
            <fieldset className="segmented">
              <legend className="visually-hidden">Theme</legend>
              {(['system', 'light', 'dark'] as const).map((t) => (
                <label key={t} className={settings.theme === t ? 'is-checked' : undefined}>
                  <input type="radio" name="theme" value={t} checked={settings.theme === t} onChange={() => void save({ theme: t }, 'Theme')} />
                  {t === 'system' ? 'System' : t === 'light' ? 'Light' : 'Dark'}
                </label>
              ))}
            </fieldset>
          </Section>

          <Section title="Data folder" hint="Sessions, settings and the trash live here. Back it up like any folder.">
            <div className="data-folder">
              <code className="data-path">{info?.dataDir ?? '…'}</code>
              <button
                type="button"
                className="button button-small"
                disabled={!info || typeof navigator === 'undefined' || !navigator.clipboard}
                onClick={() => info && void navigator.clipboard.writeText(info.dataDir).then(() => setSaved('Path copied.'), () => setError('Could not copy the path.'))}
              >
                Copy path
              </button>
              {info?.host === 'electron' ? (
                <button
                  type="button"
                  className="button button-small"
                  onClick={() =>
                    void api.app['reveal-data-dir']().then(
                      ({ revealed }) => (revealed ? setSaved('Opened in your file manager.') : setError('Your system did not open the folder; copy the path instead.')),
                      (e: unknown) => setError(asParleyError(e).message),
                    )
                  }
                >
                  Reveal
                </button>
              ) : null}
            </div>
          </Section>
        </div>
      )}
    </Modal>
  );
}

function Section({ title, hint, children }: { title: string; hint?: string; children: ReactNode }) {
  const id = `settings-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <section className="settings-section" aria-labelledby={id}>
      <h3 id={id} className="settings-title">
        {title}
      </h3>
      {hint ? <p className="hint">{hint}</p> : null}
      {children}
    </section>
  );
}

function TextSetting({ label, value, onCommit }: { label: string; value: string; onCommit(v: string): void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const commit = () => text.trim() && text.trim() !== value && onCommit(text.trim());
  return (
    <label className="form-field">
      <span>{label}</span>
      <input value={text} onChange={(e) => setText(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} />
    </label>
  );
}

function NumberSetting({ label, value, min, max, step, onCommit }: { label: string; value: number; min: number; max: number; step: number; onCommit(v: number): void }) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const n = Number(text);
  const invalid = text.trim() === '' || Number.isNaN(n) || n < min || n > max;
  const commit = () => !invalid && n !== value && onCommit(n);
  return (
    <label className="form-field">
      <span>{label}</span>
      <input
        type="number"
        min={min}
        max={max}
        step={step}
        value={text}
        aria-invalid={invalid}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
      {invalid ? <span className="field-error">Between {min} and {max}.</span> : null}
    </label>
  );
}

function LocalEndpoint({ value, onCommit }: { value: Settings['localEndpoint']; onCommit(v: Settings['localEndpoint']): void }) {
  const [url, setUrl] = useState(value?.baseURL ?? '');
  const [model, setModel] = useState(value?.model ?? '');
  /** A plain-http URL to another machine, waiting for the user to confirm it. */
  const [unconfirmed, setUnconfirmed] = useState<string | null>(null);
  const commit = (confirmed = false) => {
    if (!url.trim()) return value && onCommit(null);
    if (!model.trim()) return;
    const next = { baseURL: url.trim(), model: model.trim() };
    const insecure = isInsecureRemote(next.baseURL);
    if (insecure && !confirmed && !(value?.allowInsecureRemote && value.baseURL === next.baseURL)) return setUnconfirmed(next.baseURL);
    setUnconfirmed(null);
    if (next.baseURL !== value?.baseURL || next.model !== value?.model || confirmed) onCommit(insecure ? { ...next, allowInsecureRemote: true } : next);
  };
  return (
    <div className="form-grid">
      <label className="form-field">
        <span>Base URL</span>
        <input value={url} placeholder="http://127.0.0.1:11434/v1" onChange={(e) => setUrl(e.target.value)} onBlur={() => commit()} onKeyDown={(e) => e.key === 'Enter' && commit()} />
      </label>
      <label className="form-field">
        <span>Model</span>
        <input value={model} placeholder="llama3.1" onChange={(e) => setModel(e.target.value)} onBlur={() => commit()} onKeyDown={(e) => e.key === 'Enter' && commit()} />
      </label>
      {unconfirmed ? (
        <div role="alert" className="field-error">
          <p>{unconfirmed} is plain http to another machine: the conversation would travel unencrypted. Use https if the server offers it.</p>
          <button type="button" className="button button-small" onClick={() => commit(true)}>
            Use plain http
          </button>{' '}
          <button type="button" className="button button-small" onClick={() => setUnconfirmed(null)}>
            Cancel
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** Models, and which provider answers each stage. */
function RoutingSection({ settings, save }: { settings: Settings; save(patch: SettingsPatch, what: string): Promise<void> }) {
  return (
    <Section title="Models and routing" hint="Which provider answers each stage of the interview. Without a key, Parley falls back to the offline interviewer.">
      <div className="form-grid">
        <TextSetting label="OpenAI model" value={settings.models.openai} onCommit={(v) => save({ models: { ...settings.models, openai: v } }, 'OpenAI model')} />
        <TextSetting label="Anthropic model" value={settings.models.anthropic} onCommit={(v) => save({ models: { ...settings.models, anthropic: v } }, 'Anthropic model')} />
      </div>
      <table className="routing">
        <caption className="visually-hidden">Provider per stage</caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">Provider</th>
          </tr>
        </thead>
        <tbody>
          {STAGES.map((stage) => (
            <tr key={stage}>
              <th scope="row">{STAGE_LABELS[stage]}</th>
              <td>
                <select
                  aria-label={`Provider for ${STAGE_LABELS[stage]}`}
                  value={settings.routing[stage]}
                  onChange={(e) => void save({ routing: { ...settings.routing, [stage]: ProviderName.parse(e.target.value) } }, `Routing for ${STAGE_LABELS[stage]}`)}
                >
                  {ProviderName.options.map((p) => (
                    <option key={p} value={p}>
                      {PROVIDER_LABELS[p]}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}
