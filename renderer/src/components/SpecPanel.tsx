import { useEffect, useRef, useState, type ReactNode } from 'react';
import { HTTP_METHODS, TOOL_FIELDS, USER_EDIT, type AgentSpec, type Candidate, type ToolSpec } from '../../../shared/spec';
import { asParleyError } from '../../../shared/errors';
import { SPEC_LABELS, TOOL_LABELS } from '../labels';
import { checkToolSchema, placeholdersOf, type SchemaProblem } from '../lib/schemaCheck';
import { Icon } from './Icon';

type Field<T = unknown> = { value: T; confidence: number; source: string; locked?: boolean };
type Kind = 'text' | 'longtext' | 'boolean' | 'method' | 'json' | 'schema-input' | 'schema-output';

export interface SpecPanelProps {
  spec: AgentSpec;
  awaiting: string | null;
  /** Ids of the session's messages: a value whose source is one of them links to it. */
  messageIds?: ReadonlySet<string>;
  /** Sets a value by hand (the field is then locked). Rejects with the backend's error. */
  onEdit?(path: string, value: unknown): Promise<void>;
  onLock?(path: string, locked: boolean): Promise<void>;
  onShowSource?(messageId: string): void;
}

const BASICS = ['agent_type', 'goals', 'tone', 'language'] as const;
const FINAL = ['system_prompt', 'first_message'] as const;
const KINDS: Record<string, Kind> = {
  goals: 'longtext',
  use_tools: 'boolean',
  tools_done: 'boolean',
  workflow_approved: 'boolean',
  system_prompt: 'longtext',
  first_message: 'longtext',
  purpose: 'longtext',
  trigger: 'longtext',
  error_handling: 'longtext',
  method: 'method',
  auth: 'json',
  input_schema: 'schema-input',
  output_schema: 'schema-output',
};

interface Ctx extends Omit<SpecPanelProps, 'spec'> {
  spec: AgentSpec;
}

/**
 * The agent spec as it grows. Every value shows its confidence and source, can be edited in
 * place (then it is locked) and locked/unlocked; the field being asked about is highlighted.
 */
export function SpecPanel(props: SpecPanelProps) {
  const { spec, awaiting } = props;
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!awaiting) return;
    const row = [...(ref.current?.querySelectorAll<HTMLElement>('[data-field]') ?? [])].find((el) => el.dataset.field === awaiting);
    row?.scrollIntoView?.({ block: 'nearest' });
  }, [awaiting]);
  const ctx: Ctx = props;
  const filled = countFilled(spec);
  return (
    <section className="panel spec" aria-labelledby="spec-title" ref={ref}>
      <div className="panel-head">
        <h2 id="spec-title" className="panel-title">
          Agent spec
        </h2>
        <span className="panel-count">{filled.done} of {filled.all} details</span>
      </div>
      <Group title="Basics">
        {BASICS.map((k) => (
          <FieldRow key={k} ctx={ctx} path={k} label={SPEC_LABELS[k]!} field={spec[k]} candidate={spec.candidates[k]} kind={KINDS[k] ?? 'text'} />
        ))}
      </Group>
      <Group title="Tools">
        <FieldRow ctx={ctx} path="use_tools" label={SPEC_LABELS.use_tools!} field={spec.use_tools} candidate={spec.candidates.use_tools} kind="boolean" />
        {spec.tools.map((tool, i) => (
          <ToolCard key={i} index={i} tool={tool} ctx={ctx} />
        ))}
        {spec.tools.length ? <FieldRow ctx={ctx} path="tools_done" label={SPEC_LABELS.tools_done!} field={spec.tools_done} candidate={spec.candidates.tools_done} kind="boolean" /> : null}
      </Group>
      <Group title="Workflow">
        <FieldRow ctx={ctx} path="workflow_approved" label={SPEC_LABELS.workflow_approved!} field={spec.workflow_approved} candidate={spec.candidates.workflow_approved} kind="boolean" />
      </Group>
      <Group title="Agent output">
        {FINAL.map((k) => (
          <FieldRow key={k} ctx={ctx} path={k} label={SPEC_LABELS[k]!} field={spec[k]} candidate={spec.candidates[k]} kind="longtext" />
        ))}
      </Group>
    </section>
  );
}

function countFilled(spec: AgentSpec): { done: number; all: number } {
  const top = [...BASICS, ...FINAL].filter((k) => k !== 'language');
  let done = top.filter((k) => spec[k]).length;
  let all = top.length;
  for (const t of spec.tools) {
    all += TOOL_FIELDS.length;
    done += TOOL_FIELDS.filter((f) => t[f]).length;
  }
  return { done, all };
}

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="spec-group">
      <h3 className="spec-group-title">{title}</h3>
      <dl className="spec-fields">{children}</dl>
    </div>
  );
}

function ToolCard({ index, tool, ctx }: { index: number; tool: ToolSpec; ctx: Ctx }) {
  const name = tool.name?.value;
  const done = TOOL_FIELDS.filter((f) => tool[f]).length;
  return (
    <div className="tool-card" role="group" aria-label={`Tool ${index + 1}${name ? `: ${name}` : ''}`}>
      <div className="tool-title">
        <span>{name ? `Tool ${index + 1}: ${name}` : `Tool ${index + 1}`}</span>
        <span className={`chip${done === TOOL_FIELDS.length ? ' chip-ok' : ''}`}>
          {done}/{TOOL_FIELDS.length}
        </span>
      </div>
      <dl className="spec-fields">
        {TOOL_FIELDS.map((f) => {
          const path = `tools[${index}].${f}`;
          return <FieldRow key={f} ctx={ctx} path={path} label={TOOL_LABELS[f]} field={tool[f] as Field | undefined} candidate={ctx.spec.candidates[path]} kind={KINDS[f] ?? 'text'} tool={tool} />;
        })}
      </dl>
    </div>
  );
}

function schemaProblems(kind: Kind, value: unknown, tool: ToolSpec | undefined): SchemaProblem[] {
  if (kind === 'schema-input') return checkToolSchema(value, { kind: 'input', placeholders: placeholdersOf(tool?.endpoint?.value) });
  if (kind === 'schema-output') return checkToolSchema(value, { kind: 'output' });
  return [];
}

function toDraft(kind: Kind, value: unknown): string {
  if (kind === 'boolean') return value === true ? 'yes' : value === false ? 'no' : '';
  if (kind === 'json' || kind === 'schema-input' || kind === 'schema-output') return value === undefined ? '{\n  \n}' : JSON.stringify(value, null, 2);
  return value === undefined || value === null ? '' : String(value);
}

function fromDraft(kind: Kind, text: string): { ok: true; value: unknown } | { ok: false; message: string } {
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

interface RowProps {
  ctx: Ctx;
  path: string;
  label: string;
  field: Field | undefined;
  candidate: Candidate | undefined;
  kind: Kind;
  tool?: ToolSpec;
}

function FieldRow({ ctx, path, label, field, candidate, kind, tool }: RowProps) {
  const { awaiting, messageIds, onEdit, onLock, onShowSource } = ctx;
  const asking = awaiting === path;
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const shown = field ?? candidate;
  const problems = shown ? schemaProblems(kind, shown.value, tool) : [];

  const lock = async (locked: boolean) => {
    if (!onLock) return;
    setError(null);
    try {
      await onLock(path, locked);
    } catch (e) {
      setError(asParleyError(e).message);
    }
  };

  const source = shown?.source;
  const sourceLink =
    source && messageIds?.has(source) && onShowSource ? (
      <button type="button" className="link-button source-link" onClick={() => onShowSource(source)} aria-label={`Show the message ${label} came from`}>
        <Icon name="link" />
        source
      </button>
    ) : source === USER_EDIT ? (
      <span className="source-note">edited by you</span>
    ) : source === 'import' ? (
      <span className="source-note">imported</span>
    ) : null;

  return (
    <div
      className={`spec-field${asking ? ' is-awaiting' : ''}${shown ? '' : ' is-empty'}${!field && candidate ? ' is-candidate' : ''}${field?.locked ? ' is-locked' : ''}`}
      data-field={path}
    >
      <dt>
        <span className="spec-label">{label}</span>
        {asking ? <span className="badge badge-asking">Asking now</span> : null}
        {field?.locked ? (
          <span className="badge badge-locked">
            <Icon name="lock" />
            Locked
          </span>
        ) : null}
        <span className="spec-actions">
          {onEdit && !editing ? (
            <button type="button" className="icon-button" aria-label={`Edit ${label}`} title="Edit" onClick={() => setEditing(true)}>
              <Icon name="edit" />
            </button>
          ) : null}
          {onLock && field ? (
            <button
              type="button"
              className={`icon-button${field.locked ? ' is-on' : ''}`}
              aria-label={field.locked ? `Unlock ${label}` : `Lock ${label}`}
              aria-pressed={!!field.locked}
              title={field.locked ? 'Unlock: the interview may change it again' : 'Lock: the interview will not change it'}
              onClick={() => void lock(!field.locked)}
            >
              <Icon name={field.locked ? 'lock' : 'unlock'} />
            </button>
          ) : null}
        </span>
      </dt>
      <dd>
        {editing && onEdit ? (
          <Editor
            kind={kind}
            label={label}
            initial={toDraft(kind, shown?.value)}
            tool={tool}
            busy={busy}
            onCancel={() => {
              setEditing(false);
              setError(null);
            }}
            onSave={async (value) => {
              setBusy(true);
              setError(null);
              try {
                await onEdit(path, value);
                setEditing(false);
              } catch (e) {
                setError(asParleyError(e).message);
              } finally {
                setBusy(false);
              }
            }}
          />
        ) : shown ? (
          <>
            <Value value={shown.value} kind={kind} />
            {problems.length ? <Problems label={label} problems={problems} /> : null}
            <span className="field-foot">
              {!field && candidate ? (
                <>
                  <span className="unconfirmed">Unconfirmed</span>
                  {onLock ? (
                    <button type="button" className="link-button" onClick={() => void lock(true)}>
                      Confirm
                    </button>
                  ) : null}
                </>
              ) : null}
              <Confidence value={shown.confidence} label={label} />
              {sourceLink}
            </span>
          </>
        ) : (
          <span className="empty-value">Not yet</span>
        )}
        {error ? (
          <span className="field-error" role="alert">
            {error}
          </span>
        ) : null}
      </dd>
    </div>
  );
}

function Editor({ kind, label, initial, tool, busy, onSave, onCancel }: { kind: Kind; label: string; initial: string; tool?: ToolSpec; busy: boolean; onSave(value: unknown): void; onCancel(): void }) {
  const [text, setText] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const isJson = kind === 'json' || kind === 'schema-input' || kind === 'schema-output';
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
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey || (kind === 'text' && !e.shiftKey))) {
      e.preventDefault();
      save();
    }
  };
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
      ) : kind === 'text' ? (
        <input aria-label={`${label} value`} value={text} autoFocus onChange={(e) => setText(e.target.value)} />
      ) : (
        <textarea
          aria-label={`${label} value`}
          className={isJson ? 'code-input' : undefined}
          value={text}
          autoFocus
          spellCheck={!isJson}
          rows={isJson ? Math.min(14, Math.max(4, text.split('\n').length)) : 3}
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
        <span className="editor-hint">{kind === 'text' ? 'Enter saves' : 'Ctrl+Enter saves'} · Esc cancels · saving locks it</span>
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

function Problems({ label, problems }: { label: string; problems: SchemaProblem[] }) {
  return (
    <ul className="problems" aria-label={`Problems in ${label}`}>
      {problems.map((p, i) => (
        <li key={i} className={`problem problem-${p.severity}`}>
          <Icon name="warning" />
          <span>
            {p.at ? <code>{p.at}</code> : null} {p.message}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Value({ value, kind }: { value: unknown; kind: Kind }) {
  if (typeof value === 'boolean') return <span className="value">{value ? 'Yes' : 'No'}</span>;
  if (kind === 'method' && typeof value === 'string') return <span className={`value method method-${value.toLowerCase()}`}>{value}</span>;
  if (typeof value === 'string' || typeof value === 'number') return <span className={`value${kind === 'longtext' ? ' value-long' : ''}`}>{String(value)}</span>;
  if (kind === 'json' && value && typeof value === 'object' && 'type' in value) {
    const auth = value as { type: string; header?: string; secret_name?: string };
    return (
      <span className="value">
        {auth.type === 'none' ? 'None' : auth.type.replace('_', ' ')}
        {auth.header ? ` in ${auth.header}` : ''}
        {auth.secret_name ? (
          <>
            {' '}
            · secret <code>{auth.secret_name}</code>
          </>
        ) : null}
      </span>
    );
  }
  return (
    <pre className="value value-json">
      <code>{JSON.stringify(value, null, 2)}</code>
    </pre>
  );
}

function Confidence({ value, label }: { value: number; label: string }) {
  const pct = Math.round(value * 100);
  return (
    <span className="confidence" title={`${pct}% confident`}>
      <meter min={0} max={1} low={0.6} high={0.85} optimum={1} value={value} aria-label={`${label} confidence`} />
      <span className="confidence-text">{pct}%</span>
    </span>
  );
}
