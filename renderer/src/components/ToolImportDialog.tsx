import { useState } from 'react';
import type { ParleyApi } from '../../../shared/ipc';
import type { Session } from '../../../shared/session';
import type { ImportPreview, ImportSource } from '../../../shared/workbench';
import { asParleyError } from '../../../shared/errors';
import { Modal } from './Modal';

export interface ToolImportDialogProps {
  api: ParleyApi;
  sessionId: string;
  onClose(): void;
  /** The session with the imported tools, and the summary the interview added. */
  onImported(session: Session, summary: string): void;
}

/**
 * Import tools from an API description: a file, pasted text (OpenAPI/Swagger, Postman, curl) or
 * an address main fetches. The operations are listed to pick from; each picked one becomes a tool.
 */
export function ToolImportDialog({ api, sessionId, onClose, onImported }: ToolImportDialogProps) {
  const [text, setText] = useState('');
  const [url, setUrl] = useState('');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [allowPrivate, setAllowPrivate] = useState(false);

  const source = (): ImportSource | null => (text.trim() ? { text } : url.trim() ? { url: url.trim(), ...(allowPrivate ? { allowPrivate } : {}) } : null);

  const list = async () => {
    const from = source();
    if (!from) return setError('Paste a description, choose a file or give an address first.');
    setBusy(true);
    setError(null);
    try {
      const result = await api.tools['parse-import'](from);
      setPreview(result);
      setPicked(new Set(result.operations.length <= 5 ? result.operations.map((o) => o.id) : []));
    } catch (e) {
      setPreview(null);
      setError(asParleyError(e).message);
    } finally {
      setBusy(false);
    }
  };

  const importPicked = async () => {
    const from = source();
    if (!from || picked.size === 0) return;
    setBusy(true);
    setError(null);
    try {
      const result = await api.tools.import({ sessionId, source: from, operations: [...picked] });
      onImported(result.session, result.summary);
      onClose();
    } catch (e) {
      setError(asParleyError(e).message);
    } finally {
      setBusy(false);
    }
  };

  const footer = (
    <>
      <span className="foot-note">{preview ? `${picked.size} of ${preview.operations.length} picked` : null}</span>
      <button type="button" className="button" onClick={onClose}>
        Cancel
      </button>
      {preview ? (
        <button type="button" className="button button-primary" disabled={busy || picked.size === 0} onClick={() => void importPicked()}>
          Import {picked.size} tool{picked.size === 1 ? '' : 's'}
        </button>
      ) : (
        <button type="button" className="button button-primary" disabled={busy} onClick={() => void list()}>
          List operations
        </button>
      )}
    </>
  );

  return (
    <Modal title="Import tools from an API" wide onClose={onClose} footer={footer} description="An OpenAPI or Swagger document, a Postman collection or a curl command; each operation you pick becomes a tool.">
      <div className="workbench">
        <SourceFields
          text={text}
          url={url}
          allowPrivate={allowPrivate}
          onText={(t) => {
            setText(t);
            setPreview(null);
          }}
          onUrl={(u) => {
            setUrl(u);
            setPreview(null);
          }}
          onAllowPrivate={setAllowPrivate}
        />
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        {preview ? <OperationPicker preview={preview} picked={picked} onPick={setPicked} /> : null}
      </div>
    </Modal>
  );
}

interface SourceFieldsProps {
  text: string;
  url: string;
  allowPrivate: boolean;
  onText(text: string): void;
  onUrl(url: string): void;
  onAllowPrivate(allow: boolean): void;
}

function SourceFields({ text, url, allowPrivate, onText, onUrl, onAllowPrivate }: SourceFieldsProps) {
  return (
    <>
      <label className="field-label">
        API description file
        <input
          type="file"
          accept=".json,.yaml,.yml,.txt,.curl,.sh"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (!file) return;
            void file.text().then(onText);
          }}
        />
      </label>
      <label className="field-label">
        Or paste it
        <textarea
          className="code-input"
          rows={8}
          value={text}
          data-autofocus
          onChange={(e) => onText(e.currentTarget.value)}
          placeholder="openapi: 3.1.0 … or curl https://api.example.com/orders/42 -H 'Authorization: Bearer …'"
        />
      </label>
      <label className="field-label">
        Or its address
        <input
          type="url"
          value={url}
          onChange={(e) => onUrl(e.currentTarget.value)}
          placeholder="https://api.example.com/openapi.json"
        />
      </label>
      {url.trim() ? (
        <label className="check">
          <input type="checkbox" checked={allowPrivate} onChange={(e) => onAllowPrivate(e.currentTarget.checked)} /> The address is on this computer or a private network
        </label>
      ) : null}
    </>
  );
}

function OperationPicker({ preview, picked, onPick }: { preview: ImportPreview; picked: Set<string>; onPick(next: Set<string>): void }) {
  const toggle = (id: string) => {
    const next = new Set(picked);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onPick(next);
  };
  const all = picked.size === preview.operations.length;
  return (
    <fieldset className="workbench-ops">
      <legend>
        {preview.title} ({preview.kind}): {preview.operations.length} operation{preview.operations.length === 1 ? '' : 's'}
      </legend>
      <button type="button" className="button" onClick={() => onPick(new Set(all ? [] : preview.operations.map((o) => o.id)))}>
        {all ? 'Pick none' : 'Pick all'}
      </button>
      <ul className="workbench-op-list">
        {preview.operations.map((op) => (
          <li key={op.id}>
            <label>
              <input type="checkbox" checked={picked.has(op.id)} onChange={() => toggle(op.id)} />
              <code>{op.method}</code> <span className="workbench-op-name">{op.name}</span> <span className="hint">{op.url}</span>
              {op.summary ? <span className="hint"> · {op.summary}</span> : null}
            </label>
            {op.warnings.length ? <p className="hint">{op.warnings.join(' ')}</p> : null}
          </li>
        ))}
      </ul>
      {preview.warnings.length ? <p className="hint">{preview.warnings.join(' ')}</p> : null}
    </fieldset>
  );
}
