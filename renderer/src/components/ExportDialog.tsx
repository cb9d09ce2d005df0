import { useEffect, useState } from 'react';
import type { AppInfo, ParleyApi } from '../../../shared/ipc';
import { EXPORT_FORMATS, type ExportFormat, type ExportPreview } from '../../../shared/export';
import { asParleyError } from '../../../shared/errors';
import { fieldLabel } from '../labels';
import { downloadBlob, downloadText } from '../lib/download';
import { Modal } from './Modal';
import { Icon } from './Icon';

export const FORMAT_LABELS: Record<ExportFormat, { name: string; hint: string }> = {
  elevenlabs: { name: 'ElevenLabs agent', hint: 'Agents-as-code project (.zip): agent, tools and deploy steps' },
  'elevenlabs-agent': { name: 'ElevenLabs single file', hint: 'The agent config alone; its tools are created separately' },
  'openai-realtime': { name: 'OpenAI Realtime', hint: 'session.update payload' },
  vapi: { name: 'Vapi assistant', hint: 'Assistant JSON' },
  markdown: { name: 'Design document', hint: 'Markdown for people' },
  parley: { name: 'Parley session', hint: 'Lossless; can be imported again' },
};

export interface ExportDialogProps {
  api: ParleyApi;
  info: AppInfo | null;
  sessionId: string;
  onClose(): void;
  /** Tells the user where the file went (toast). */
  onSaved(message: string): void;
  /** Opens Publish (offered with the ElevenLabs targets): deploy instead of saving a file. */
  onPublish?(): void;
}

function pathLabel(path: string): string {
  return path ? fieldLabel(path) : 'Agent';
}

/**
 * Choose a target, see the file and what it cannot express, then save: through the OS dialog on
 * the desktop, as a browser download in the preview (no file dialog there).
 */
export function ExportDialog({ api, info, sessionId, onClose, onSaved, onPublish }: ExportDialogProps) {
  const [format, setFormat] = useState<ExportFormat>('elevenlabs');
  const [preview, setPreview] = useState<ExportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let live = true;
    setPreview(null);
    setError(null);
    api.export.preview({ sessionId, format }).then(
      (p) => live && setPreview(p),
      (e: unknown) => live && setError(asParleyError(e).message),
    );
    return () => {
      live = false;
    };
  }, [api, sessionId, format]);

  const download = (p: ExportPreview) => {
    if (p.zipBase64) {
      // A project: the whole folder as one .zip, built by the backend.
      const name = `${p.filename}.zip`;
      downloadBlob(name, new Blob([Uint8Array.from(atob(p.zipBase64), (c) => c.charCodeAt(0))], { type: 'application/zip' }));
      onSaved(`Downloaded ${name}.`);
      return;
    }
    downloadText(p.filename, p.content!, p.filename.endsWith('.md') ? 'text/markdown;charset=utf-8' : 'application/json;charset=utf-8');
    onSaved(`Downloaded ${p.filename}.`);
  };

  const save = async () => {
    if (!preview?.content) return;
    if (info?.host === 'preview') return download(preview);
    setSaving(true);
    setError(null);
    try {
      const result = await api.export.save({ sessionId, format });
      if (result.file) onSaved(`Saved ${result.file}.`);
    } catch (e) {
      const err = asParleyError(e);
      if (err.code === 'UNSUPPORTED') download(preview);
      else setError(err.message);
    } finally {
      setSaving(false);
    }
  };

  const browser = info?.host === 'preview';
  return (
    <Modal
      title="Export"
      wide
      onClose={onClose}
      description="Turn the design into a file a voice platform can load."
      footer={
        <>
          <span className="foot-note">{preview ? <code>{preview.filename}</code> : null}</span>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          {onPublish && format.startsWith('elevenlabs') ? (
            <button type="button" className="button" disabled={!preview?.content} onClick={onPublish} title="Create or update the agent in your ElevenLabs workspace">
              Publish…
            </button>
          ) : null}
          <button type="button" className="button button-primary" disabled={!preview?.content || saving} onClick={() => void save()} aria-keyshortcuts="Control+S Meta+S">
            <Icon name={browser ? 'download' : 'export'} />
            {browser ? 'Download' : 'Save…'}
          </button>
        </>
      }
    >
      <div
        className="export"
        onKeyDown={(e) => {
          if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
            e.preventDefault();
            void save();
          }
        }}
      >
        <fieldset className="export-targets">
          <legend className="export-legend">Target</legend>
          {EXPORT_FORMATS.map((f) => (
            <label key={f} className={`target${format === f ? ' is-checked' : ''}`}>
              <input type="radio" name="export-format" value={f} checked={format === f} onChange={() => setFormat(f)} data-autofocus={format === f ? true : undefined} />
              <span className="target-name">{FORMAT_LABELS[f].name}</span>
              <span className="target-hint">{FORMAT_LABELS[f].hint}</span>
            </label>
          ))}
        </fieldset>
        <div className="export-main">
          {error ? (
            <p className="field-error" role="alert">
              {error}
            </p>
          ) : null}
          {!preview && !error ? <p className="panel-empty">Preparing the file…</p> : null}
          {preview ? <PreviewSections preview={preview} format={format} /> : null}
        </div>
      </div>
    </Modal>
  );
}

function FindingList({ items }: { items: ExportPreview['findings'] }) {
  return (
    <ul className="finding-list">
      {items.map((f, i) => (
        <li key={i} className={`finding finding-${f.severity}`}>
          <Icon name="warning" />
          <span>
            <strong>{pathLabel(f.path)}:</strong> {f.message} <span className="finding-fix">{f.fix}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}

/** What the chosen target will get: blocking problems, warnings, what it cannot express, the file. */
function PreviewSections({ preview, format }: { preview: ExportPreview; format: ExportFormat }) {
  const errors = preview.findings.filter((f) => f.severity === 'error');
  const warnings = preview.findings.filter((f) => f.severity === 'warning');
  return (
    <>
      {errors.length ? (
        <section className="findings" aria-label="Problems that block export">
          <h3 className="export-heading is-error">Fix before exporting</h3>
          <FindingList items={errors} />
        </section>
      ) : null}
      {warnings.length ? (
        <section className="findings" aria-label="Warnings">
          <h3 className="export-heading is-warning">Warnings</h3>
          <FindingList items={warnings} />
        </section>
      ) : null}
      <section className="losses" aria-label="What this target cannot express">
        <h3 className="export-heading">What {FORMAT_LABELS[format].name} cannot express</h3>
        {preview.losses.length ? (
          <ul>
            {preview.losses.map((l, i) => (
              <li key={i}>
                <span className="loss-path">{pathLabel(l.path)}</span> {l.message}
              </li>
            ))}
          </ul>
        ) : (
          <p className="hint">Nothing: the file carries the whole design.</p>
        )}
      </section>
      <section className="file-preview" aria-label="File preview">
        <h3 className="export-heading">Preview</h3>
        {preview.content !== null ? (
          <pre className="code-view" tabIndex={0}>
            <code>{preview.content}</code>
          </pre>
        ) : (
          <p className="hint">The file is written once the problems above are fixed.</p>
        )}
      </section>
    
    </>
  );
}
