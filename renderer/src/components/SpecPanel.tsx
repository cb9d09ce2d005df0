import { useEffect, useRef, useState, type ReactNode } from 'react';
import { TOOL_FIELDS, TRANSFER_FIELDS, USER_EDIT, type AgentSpec, type Candidate, type ToolSpec } from '../../../shared/spec';
import { asParleyError } from '../../../shared/errors';
import { fieldLabel, SPEC_LABELS, TOOL_LABELS } from '../labels';
import { Icon } from './Icon';
import { Confidence, Problems, Value, type Kind } from './SpecValue';
import { Editor, schemaProblems, toDraft } from './SpecEditor';
import { ToolList } from './ToolList';

type Field<T = unknown> = { value: T; confidence: number; source: string; locked?: boolean };

export interface SpecPanelProps {
  spec: AgentSpec;
  awaiting: string | null;
  /** Ids of the session's messages: a value whose source is one of them links to it. */
  messageIds?: ReadonlySet<string>;
  /** Sets a value by hand (the field is then locked). Rejects with the backend's error. */
  onEdit?(path: string, value: unknown): Promise<void>;
  onLock?(path: string, locked: boolean): Promise<void>;
  onShowSource?(messageId: string): void;
  /** Opens the full-height prompt viewer/editor (the system prompt's "Show all" and Edit go there). */
  onOpenPrompt?(): void;
  /** Opens the tool workbench's import (an OpenAPI/Swagger file, a Postman collection, a curl command). */
  onImportTools?(): void;
  /** Opens the test-fire dialog of tool `index`. */
  onTryTool?(index: number): void;
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
    <section className="panel spec" aria-labelledby="spec-title" ref={ref} tabIndex={-1}>
      <div className="panel-head">
        <h2 id="spec-title" className="panel-title">
          Agent spec
        </h2>
        <span className="panel-count" title="Details filled in so far, of those this design needs">
          {filled.done} of {filled.all} details
        </span>
      </div>
      <Group title="Basics">
        {BASICS.map((k) => (
          <FieldRow key={k} ctx={ctx} path={k} label={SPEC_LABELS[k]!} field={spec[k]} candidate={spec.candidates[k]} kind={KINDS[k] ?? 'text'} />
        ))}
      </Group>
      <Group title="Tools">
        <FieldRow ctx={ctx} path="use_tools" label={SPEC_LABELS.use_tools!} field={spec.use_tools} candidate={spec.candidates.use_tools} kind="boolean" />
        <ToolList tools={spec.tools} awaiting={awaiting} renderTool={(i) => <ToolCard key={i} index={i} tool={spec.tools[i]!} ctx={ctx} />} />
        {props.onImportTools ? (
          <div className="workbench-actions">
            <button type="button" className="button" onClick={props.onImportTools}>
              Import tools from an API…
            </button>
          </div>
        ) : null}
        {spec.tools.length ? <FieldRow ctx={ctx} path="tools_done" label={SPEC_LABELS.tools_done!} field={spec.tools_done} candidate={spec.candidates.tools_done} kind="boolean" /> : null}
      </Group>
      <Group title="Workflow">
        <FieldRow ctx={ctx} path="workflow_approved" label={SPEC_LABELS.workflow_approved!} field={spec.workflow_approved} candidate={spec.candidates.workflow_approved} kind="boolean" />
      </Group>
      <CallGroups ctx={ctx} />
      <Group title="Agent output">
        {FINAL.map((k) => (
          <FieldRow key={k} ctx={ctx} path={k} label={SPEC_LABELS[k]!} field={spec[k]} candidate={spec.candidates[k]} kind="longtext" />
        ))}
      </Group>
    </section>
  );
}

const CALL_FIELDS = ['business_name', 'call_direction', 'timezone', 'end_call_conditions'] as const;
/** The deployed agent's own voice, model and temperature (not the interviewer's); unset means the target's default. */
const VOICE_FIELDS = ['voice_id', 'llm', 'temperature'] as const;

/**
 * What a deployable agent knows about its calls: who it speaks for, the direction, the time zone,
 * when to hang up, voicemail (outbound), transfers, knowledge sources and what is kept after a call.
 * Optional details: shown once the design has them or the interview asks about them.
 */
function CallGroups({ ctx }: { ctx: Ctx }) {
  const { spec, awaiting } = ctx;
  const row = (path: string, field: RowProps['field'], kind: Kind) => (
    <FieldRow key={path} ctx={ctx} path={path} label={fieldLabel(path)} field={field} candidate={spec.candidates[path]} kind={kind} />
  );
  const listed = (list: 'knowledge_base' | 'data_collection' | 'success_criteria') => (spec[list] ?? []).map((f, i) => row(`${list}[${i}]`, f, 'json'));
  const after = [...listed('knowledge_base'), ...listed('data_collection'), ...listed('success_criteria')];
  const asked = awaiting && /^(knowledge_base|data_collection|success_criteria)\[/.test(awaiting) ? row(awaiting, undefined, 'json') : null;
  return (
    <>
      <Group title="Calls">
        {CALL_FIELDS.map((k) => row(k, spec[k], k === 'end_call_conditions' ? 'longtext' : 'text'))}
        {spec.call_direction?.value === 'outbound' || spec.voicemail ? row('voicemail', spec.voicemail, 'json') : null}
        {(spec.transfers ?? []).flatMap((t, i) => TRANSFER_FIELDS.map((f) => row(`transfers[${i}].${f}`, t[f], f === 'condition' ? 'longtext' : 'text')))}
      </Group>
      <Group title="Voice and model">
        {VOICE_FIELDS.map((k) => row(k, spec[k], 'text'))}
      </Group>
      {after.length || asked ? (
        <Group title="Knowledge and after the call">
          {after}
          {asked && !after.some((r) => r.key === awaiting) ? asked : null}
        </Group>
      ) : null}
    </>
  );
}

/**
 * Details filled of those the design needs. Until the user says whether tools are needed, one
 * tool is counted, so the total changes only when the user's answers change it (no tools, or
 * another tool), not as each answer comes in.
 */
export function countFilled(spec: AgentSpec): { done: number; all: number } {
  const top = [...BASICS, ...FINAL].filter((k) => k !== 'language');
  let done = top.filter((k) => spec[k]).length;
  let all = top.length;
  const toolSlots = spec.use_tools?.value === false ? 0 : Math.max(1, spec.tools.length);
  for (let i = 0; i < toolSlots; i++) {
    const t = spec.tools[i];
    all += TOOL_FIELDS.length;
    if (t) done += TOOL_FIELDS.filter((f) => t[f]).length;
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
        {ctx.onTryTool && tool.endpoint ? (
          <button type="button" className="button button-small" aria-label={`Test-fire ${name ?? `tool ${index + 1}`}`} onClick={() => ctx.onTryTool!(index)}>
            Test-fire
          </button>
        ) : null}
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
  const { awaiting, messageIds, onEdit, onLock, onShowSource, onOpenPrompt } = ctx;
  // The system prompt is read and edited in its own full-height dialog.
  const inDialog = path === 'system_prompt' && onOpenPrompt ? onOpenPrompt : undefined;
  const asking = awaiting === path;
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const shown = field ?? candidate;
  // Skipped for now in the interview: asked again before the review.
  const parked = !field && !!ctx.spec.parked?.includes(path);
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

  const save = async (value: unknown) => {
    setBusy(true);
    setError(null);
    try {
      await onEdit!(path, value);
      setEditing(false);
    } catch (e) {
      setError(asParleyError(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      className={`spec-field${asking ? ' is-awaiting' : ''}${shown ? '' : ' is-empty'}${!field && candidate ? ' is-candidate' : ''}${field?.locked ? ' is-locked' : ''}`}
      data-field={path}
    >
      <dt>
        <span className="spec-label">{label}</span>
        {asking ? <span className="badge badge-asking">Asking now</span> : null}
        {parked ? <span className="badge badge-needed">Still needed</span> : null}
        {field?.locked ? (
          <span className="badge badge-locked">
            <Icon name="lock" />
            Locked
          </span>
        ) : null}
        <FieldActions label={label} field={field} onEdit={onEdit && !editing ? () => (inDialog ? inDialog() : setEditing(true)) : undefined} onLock={onLock && field ? (locked) => void lock(locked) : undefined} />
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
            onSave={(value) => void save(value)}
          />
        ) : shown ? (
          <>
            <Value value={shown.value} kind={kind} label={label} onShowAll={inDialog} />
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
              <SourceNote source={shown.source} label={label} messageIds={messageIds} onShowSource={onShowSource} />
              {inDialog ? (
                <button type="button" className="link-button" onClick={inDialog}>
                  <Icon name="expand" />
                  Open prompt
                </button>
              ) : null}
            </span>
          </>
        ) : (
          <span className="empty-value">{parked ? 'Skipped for now' : 'Not yet'}</span>
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


/** A field's Edit and Lock buttons (Lock once it has a value). */
function FieldActions({ label, field, onEdit, onLock }: { label: string; field: RowProps['field']; onEdit?(): void; onLock?(locked: boolean): void }) {
  return (
    <span className="spec-actions">
      {onEdit ? (
        <button type="button" className="icon-button" aria-label={`Edit ${label}`} title="Edit" onClick={onEdit}>
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
          onClick={() => onLock(!field.locked)}
        >
          <Icon name={field.locked ? 'lock' : 'unlock'} />
        </button>
      ) : null}
    </span>
  );
}

/** Where a value came from: a link to its message, or a note (typed by you, imported). */
function SourceNote({ source, label, messageIds, onShowSource }: { source: string; label: string; messageIds?: ReadonlySet<string>; onShowSource?(id: string): void }) {
  if (messageIds?.has(source) && onShowSource) {
    return (
      <button type="button" className="link-button source-link" onClick={() => onShowSource(source)} aria-label={`Show the message ${label} came from`}>
        <Icon name="link" />
        source
      </button>
    );
  }
  if (source === USER_EDIT) return <span className="source-note">edited by you</span>;
  if (source === 'import') return <span className="source-note">imported</span>;
  return null;
}
