import type { ReactNode } from 'react';
import { TOOL_FIELDS, type AgentSpec, type Candidate, type ToolSpec } from '../../../shared/spec';
import { SPEC_LABELS, TOOL_LABELS } from '../labels';

type Field<T = unknown> = { value: T; confidence: number; source: string; locked?: boolean };

export interface SpecPanelProps {
  spec: AgentSpec;
  awaiting: string | null;
}

const BASICS = ['agent_type', 'goals', 'tone', 'language'] as const;
const FINAL = ['system_prompt', 'first_message'] as const;

/** The agent spec as it grows: every value with its confidence; the field being asked about is highlighted. */
export function SpecPanel({ spec, awaiting }: SpecPanelProps) {
  return (
    <section className="panel spec" aria-labelledby="spec-title">
      <h2 id="spec-title" className="panel-title">
        Agent spec
      </h2>
      <Group title="Basics">
        {BASICS.map((k) => (
          <FieldRow key={k} path={k} label={SPEC_LABELS[k]!} field={spec[k]} candidate={spec.candidates[k]} awaiting={awaiting} />
        ))}
      </Group>
      <Group title="Tools">
        <FieldRow path="use_tools" label={SPEC_LABELS.use_tools!} field={spec.use_tools} candidate={spec.candidates.use_tools} awaiting={awaiting} />
        {spec.tools.map((tool, i) => (
          <ToolCard key={i} index={i} tool={tool} spec={spec} awaiting={awaiting} />
        ))}
      </Group>
      <Group title="Workflow">
        <FieldRow path="workflow_approved" label={SPEC_LABELS.workflow_approved!} field={spec.workflow_approved} candidate={undefined} awaiting={awaiting} />
      </Group>
      <Group title="Agent output">
        {FINAL.map((k) => (
          <FieldRow key={k} path={k} label={SPEC_LABELS[k]!} field={spec[k]} candidate={spec.candidates[k]} awaiting={awaiting} />
        ))}
      </Group>
    </section>
  );
}

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="spec-group">
      <h3 className="spec-group-title">{title}</h3>
      <dl className="spec-fields">{children}</dl>
    </div>
  );
}

function ToolCard({ index, tool, spec, awaiting }: { index: number; tool: ToolSpec; spec: AgentSpec; awaiting: string | null }) {
  const name = tool.name?.value;
  return (
    <div className="tool-card" role="group" aria-label={`Tool ${index + 1}${name ? `: ${name}` : ''}`}>
      <div className="tool-title">{name ? `Tool ${index + 1}: ${name}` : `Tool ${index + 1}`}</div>
      <dl className="spec-fields">
        {TOOL_FIELDS.map((f) => {
          const path = `tools[${index}].${f}`;
          return <FieldRow key={f} path={path} label={TOOL_LABELS[f]} field={tool[f] as Field | undefined} candidate={spec.candidates[path]} awaiting={awaiting} />;
        })}
      </dl>
    </div>
  );
}

function FieldRow({ path, label, field, candidate, awaiting }: { path: string; label: string; field: Field | undefined; candidate: Candidate | undefined; awaiting: string | null }) {
  const asking = awaiting === path;
  return (
    <div className={`spec-field${asking ? ' is-awaiting' : ''}${field || candidate ? '' : ' is-empty'}${!field && candidate ? ' is-candidate' : ''}`} data-field={path}>
      <dt>
        {label}
        {asking ? <span className="badge badge-asking">Asking now</span> : null}
        {field?.locked ? <span className="badge badge-locked">Locked</span> : null}
      </dt>
      <dd>
        {field ? (
          <>
            <Value value={field.value} />
            <Confidence value={field.confidence} label={label} />
          </>
        ) : candidate ? (
          <>
            <Value value={candidate.value} />
            <span className="unconfirmed">Unconfirmed</span>
            <Confidence value={candidate.confidence} label={label} />
          </>
        ) : (
          <span className="empty-value">Not yet</span>
        )}
      </dd>
    </div>
  );
}

function Value({ value }: { value: unknown }) {
  if (typeof value === 'boolean') return <span className="value">{value ? 'Yes' : 'No'}</span>;
  if (typeof value === 'string' || typeof value === 'number') return <span className="value">{String(value)}</span>;
  return (
    <pre className="value value-json">
      <code>{JSON.stringify(value, null, 2)}</code>
    </pre>
  );
}

function Confidence({ value, label }: { value: number; label: string }) {
  const pct = Math.round(value * 100);
  return (
    <span className="confidence">
      <meter min={0} max={1} low={0.6} high={0.85} optimum={1} value={value} aria-label={`${label} confidence`} />
      <span className="confidence-text">{pct}%</span>
    </span>
  );
}
