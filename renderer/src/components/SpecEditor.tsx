import { useState } from 'react';
import { HTTP_METHODS, type ToolSpec } from '../../../shared/spec';
import { checkToolSchema, placeholdersOf, type SchemaProblem } from '../lib/schemaCheck';
import { Problems, type Kind } from './SpecValue';

/** A text value longer than this is edited in a growing multi-line box, not a one-line input. */
export const SINGLE_LINE_MAX = 60;

export function schemaProblems(kind: Kind, value: unknown, tool: ToolSpec | undefined): SchemaProblem[] {
  if (kind === 'schema-input') return checkToolSchema(value, { kind: 'input', placeholders: placeholdersOf(tool?.endpoint?.value) });
  if (kind === 'schema-output') return checkToolSchema(value, { kind: 'output' });
  return [];
}

export function toDraft(kind: Kind, value: unknown): string {
  if (kind === 'boolean') return value === true ? 'yes' : value === false ? 'no' : '';
  if (kind === 'json' || kind === 'schema-input' || kind === 'schema-output') return value === undefined ? '{\n  \n}' : JSON.stringify(value, null, 2);
  return value === undefined || value === null ? '' : String(value);
}

export function fromDraft(kind: Kind, text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (kind === 'boolean') return { ok: true, value: text === 'yes' };
  if (kind === 'json' || kind === 'schema-input' || kind === 'schema-output') {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (e) {
      return { ok: false, message: `Not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  if (!text.trim()) return { ok: false, message: 'Type a value, or press Cancel.' };
  return { ok: true, value: text.trim() };
}

export interface EditorProps {
  kind: Kind;
  label: string;
  initial: string;
  tool?: ToolSpec;
  busy: boolean;
  onSave(value: unknown): void;
  onCancel(): void;
}

/** Edits one spec value in place: a select, a one-line input for short text, a growing text box otherwise. */
export function Editor({ kind, label, initial, tool, busy, onSave, onCancel }: EditorProps) {
  const [text, setText] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const isJson = kind === 'json' || kind === 'schema-input' || kind === 'schema-output';
  // Short text stays on one line (Enter saves); anything long or multi-line gets a real text box.
  const [multiline] = useState(() => kind === 'longtext' || isJson || (kind === 'text' && (initial.length > SINGLE_LINE_MAX || initial.includes('\n'))));
  const parsed = isJson ? fromDraft(kind, text) : null;
  const live = parsed?.ok ? schemaProblems(kind, parsed.value, tool) : [];
  const save = () => {
    const result = fromDraft(kind, text);
    if (!result.ok) return setError(result.message);
    setError(null);
    onSave(result.value);
  };
  const keys = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey || (!multiline && kind === 'text' && !e.shiftKey))) {
      e.preventDefault();
      save();
    }
  };
  const lines = text.split('\n').length + Math.floor(text.length / 50);
  return (
    <div className="editor" onKeyDown={keys}>
      {kind === 'boolean' ? (
        <select aria-label={`${label} value`} value={text} autoFocus onChange={(e) => setText(e.target.value)}>
          <option value="yes">Yes</option>
          <option value="no">No</option>
        </select>
      ) : kind === 'method' ? (
        <select aria-label={`${label} value`} value={text || 'GET'} autoFocus onChange={(e) => setText(e.target.value)}>
          {HTTP_METHODS.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
      ) : !multiline ? (
        <input aria-label={`${label} value`} value={text} autoFocus onChange={(e) => setText(e.target.value)} />
      ) : (
        <textarea
          aria-label={`${label} value`}
          className={isJson ? 'code-input' : 'grow-input'}
          value={text}
          autoFocus
          spellCheck={!isJson}
          rows={Math.min(isJson ? 14 : 12, Math.max(isJson ? 4 : 3, lines))}
          onChange={(e) => setText(e.target.value)}
        />
      )}
      {parsed && !parsed.ok ? <span className="field-error">{parsed.message}</span> : null}
      {live.length ? <Problems label={label} problems={live} /> : null}
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : null}
      <span className="editor-actions">
        <span className="editor-hint">{multiline || kind !== 'text' ? 'Ctrl+Enter saves' : 'Enter saves'} · Esc cancels · saving locks it</span>
        <button type="button" className="button button-small" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="button button-small button-primary" disabled={busy || (parsed !== null && !parsed.ok)} onClick={save}>
          Save
        </button>
      </span>
    </div>
  );
}
