import { useEffect, useRef, useState } from 'react';
import type { ParleyApi } from '../../../shared/ipc';
import type { Session } from '../../../shared/session';
import type { ToolSpec } from '../../../shared/spec';
import type { TryResult, TrySecret } from '../../../shared/workbench';
import { asParleyError } from '../../../shared/errors';
import { Modal } from './Modal';

export interface ToolTryDialogProps {
  api: ParleyApi;
  sessionId: string;
  index: number;
  tool: ToolSpec;
  onClose(): void;
  /** Stores a value by hand (the proposed output schema). */
  onEdit(path: string, value: unknown): Promise<void>;
  onSaved(session: Session): void;
}

function newTryId(): string {
  const c = globalThis.crypto;
  return typeof c?.randomUUID === 'function' ? c.randomUUID() : `try-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`;
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} bytes`;
}

/**
 * Test-fire a tool: example inputs from its schema (editable JSON), the real request sent by main
 * with the tool's secret (never seen here), the answer, and what it says about the output schema.
 */
export function ToolTryDialog({ api, sessionId, index, tool, onClose, onEdit, onSaved }: ToolTryDialogProps) {
  const name = tool.name?.value ?? `tool ${index + 1}`;
  const [input, setInput] = useState('');
  const [result, setResult] = useState<TryResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState<string | null>(null);
  const [allowPrivate, setAllowPrivate] = useState(tool.workbench?.allow_private_network === true);
  const [note, setNote] = useState<string | null>(null);
  const [secret, setSecret] = useState<TrySecret | null>(null);
  const [secretValue, setSecretValue] = useState('');
  const lastTry = useRef<string | null>(null);

  useEffect(() => {
    let live = true;
    api.tools['example-input']({ sessionId, tool: index }).then(
      ({ input: example, secret: needed }) => {
        if (!live) return;
        setInput(JSON.stringify(example, null, 2));
        setSecret(needed);
      },
      (e: unknown) => live && setError(asParleyError(e).message),
    );
    return () => {
      live = false;
    };
  }, [api, sessionId, index]);

  const send = async (confirmHost: boolean) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(input || '{}');
    } catch {
      return setError('The inputs are not valid JSON.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return setError('The inputs must be a JSON object.');
    const tryId = newTryId();
    setRunning(tryId);
    setError(null);
    setNote(null);
    const typed = secretValue.trim();
    try {
      const r = await api.tools.try({ sessionId, tool: index, tryId, input: parsed as Record<string, unknown>, confirmHost, allowPrivate, ...(typed ? { secret: typed } : {}) });
      // Past the host question, a typed secret is in the keychain: the field empties, the label says so.
      if (typed && r.kind !== 'confirm-host') {
        setSecretValue('');
        setSecret((s) => (s ? { ...s, stored: true } : s));
      }
      setResult(r);
      if (r.kind === 'response') lastTry.current = tryId;
    } catch (e) {
      setError(asParleyError(e).message);
    } finally {
      setRunning(null);
    }
  };

  const cancel = () => {
    if (running) void api.tools['cancel-try']({ tryId: running });
  };

  const accept = async (schema: Record<string, unknown>) => {
    try {
      await onEdit(`tools[${index}].output_schema`, schema);
      setNote('Output schema updated.');
    } catch (e) {
      setError(asParleyError(e).message);
    }
  };

  const save = async () => {
    if (!lastTry.current) return;
    try {
      onSaved(await api.tools['save-example']({ sessionId, tool: index, tryId: lastTry.current }));
      setNote('Saved as a fixture on the tool.');
    } catch (e) {
      setError(asParleyError(e).message);
    }
  };

  const footer = (
    <>
      <button type="button" className="button" onClick={onClose}>
        Close
      </button>
      {running ? (
        <button type="button" className="button" onClick={cancel}>
          Cancel request
        </button>
      ) : (
        <button type="button" className="button button-primary" onClick={() => void send(false)}>
          Send request
        </button>
      )}
    </>
  );

  return (
    <Modal title={`Test-fire ${name}`} wide onClose={onClose} footer={footer} description="Sends a real request from this computer with the tool's stored secret.">
      <div className="workbench">
        <p className="hint">
          <code>{tool.method?.value ?? 'GET'}</code> {tool.endpoint?.value ?? '(no endpoint yet)'}
          {tool.auth?.value.secret_name ? ` · secret ${tool.auth.value.secret_name}` : ''}
        </p>
        <label className="field-label">
          Inputs (JSON)
          <textarea className="code-input" rows={8} value={input} onChange={(e) => setInput(e.currentTarget.value)} data-autofocus />
        </label>
        {secret ? <SecretField secret={secret} value={secretValue} onChange={setSecretValue} /> : null}
        <label className="check">
          <input type="checkbox" checked={allowPrivate} onChange={(e) => setAllowPrivate(e.currentTarget.checked)} /> Allow loopback and private addresses for this tool
        </label>
        <TryNotices running={running !== null} error={error} note={note} result={result} onConfirm={() => void send(true)} />
        {result?.kind === 'response' ? <ResponseView result={result} onAccept={(schema) => void accept(schema)} onSave={() => void save()} /> : null}
      </div>
    </Modal>
  );
}

/** The tool's secret, typed here once when the keychain has none (or to replace a wrong one). */
function SecretField({ secret, value, onChange }: { secret: TrySecret; value: string; onChange(value: string): void }) {
  return (
    <>
      <label className="form-field">
        <span>
          <strong>Secret {secret.label}</strong> ({secret.holds})
        </span>
        <input
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={value}
          placeholder={secret.stored ? 'Stored in the keychain; type to replace' : 'Not in the keychain: type it to send it'}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      </label>
      <p className="hint">Kept in your keychain for test-fires and Publish; never saved in the design or its exports.</p>
    </>
  );
}

interface ResponseViewProps {
  result: Extract<TryResult, { kind: 'response' }>;
  onAccept(schema: Record<string, unknown>): void;
  onSave(): void;
}

function ResponseView({ result, onAccept, onSave }: ResponseViewProps) {
  return (
    <section className="workbench-response" aria-label="Response">
      <p className="workbench-status" role="status">
        <strong>
          {result.status} {result.statusText}
        </strong>{' '}
        · {result.latencyMs} ms · {size(result.size)}
      </p>
      <p className="hint">
        {result.request.method} {result.request.url}
      </p>
      {result.problem ? <p className="field-error">{result.problem}</p> : null}
      {result.notice ? <p className="hint">{result.notice}</p> : null}
      <details>
        <summary>Headers ({Object.keys(result.headers).length})</summary>
        <pre className="code-view">{Object.entries(result.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}</pre>
      </details>
      <pre className="code-view" tabIndex={0} aria-label="Response body">
        {result.body || '(no body)'}
      </pre>
      <div className="workbench-schema">
        <h3 className="export-heading">Output schema</h3>
        {result.schema.matches ? <p className="hint">The body fits the tool's output schema.</p> : null}
        {result.schema.changes.length ? (
          <ul>
            {result.schema.changes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        ) : null}
        {result.schema.proposed ? (
          <>
            <details>
              <summary>Proposed schema</summary>
              <pre className="code-view">{JSON.stringify(result.schema.proposed, null, 2)}</pre>
            </details>
            <button type="button" className="button button-primary" onClick={() => onAccept(result.schema.proposed!)}>
              Accept proposed output schema
            </button>
          </>
        ) : null}
        <button type="button" className="button" onClick={onSave}>
          Save as fixture
        </button>
      </div>
    </section>
  );
}

interface TryNoticesProps {
  running: boolean;
  error: string | null;
  note: string | null;
  result: TryResult | null;
  onConfirm(): void;
}

/** Progress, failures and the question before a first call to a host. */
function TryNotices({ running, error, note, result, onConfirm }: TryNoticesProps) {
  return (
    <>
    {running ? (
      <p className="hint" role="status">
        Calling…
      </p>
    ) : null}
    {error ? (
      <p className="field-error" role="alert">
        {error}
      </p>
    ) : null}
    {note ? <p role="status">{note}</p> : null}
    {result?.kind === 'confirm-host' ? (
      <div role="alert" className="workbench-confirm">
        <p>{result.message}</p>
        <button type="button" className="button button-primary" onClick={onConfirm}>
          Send to {result.host}
        </button>
      </div>
    ) : null}
    {result?.kind === 'error' ? (
      <p className="field-error" role="alert">
        {result.message}
      </p>
    ) : null}
    </>
  );
}
