import { useEffect, useRef, useState } from 'react';
import type { ParleyApi } from '../../../shared/ipc';
import type { Session } from '../../../shared/session';
import { asParleyError } from '../../../shared/errors';
import { compareRuns, type Persona, type ScenarioResult, type SimMessage, type SimulationEstimate, type SimulationRun } from '../../../shared/simulation';
import { Modal } from './Modal';

export interface SimulationDialogProps {
  api: ParleyApi;
  session: Session;
  onClose(): void;
}

const ROLE_LABEL: Record<SimMessage['role'], string> = { agent: 'Agent', caller: 'Caller', tool: 'Tool' };

function money(usd: number): string {
  return `$${usd < 0.01 ? usd.toFixed(4) : usd.toFixed(2)}`;
}

function estimateText(e: SimulationEstimate): string {
  if (e.mode === 'offline') return `Runs offline: scripted callers, a rule-based agent that follows the prompt, and a rule-based judge. ${e.personas} calls, free.`;
  const cost = e.costUsd === null ? 'cost unknown (no listed price for this model)' : `at most ${money(e.costUsd)}`;
  return `Runs on ${e.provider} (${e.model}): ${e.personas} calls, up to ${e.calls} model calls, ${cost}.`;
}

/** Live transcripts while a run streams: whole messages, plus the piece of a reply still arriving. */
interface Live {
  messages: Record<string, SimMessage[]>;
  pending: Record<string, { role: 'agent' | 'caller'; text: string } | undefined>;
  verdicts: Record<string, { passed: boolean; summary: string }>;
}

const EMPTY_LIVE: Live = { messages: {}, pending: {}, verdicts: {} };

/**
 * Simulated calls from the review stage: the caller personas (proposed from the design, editable),
 * what a run will cost, the calls streaming as they happen, then a verdict per scenario with the
 * judge's reasons and the transcript, compared with the previous run.
 */
export function SimulationDialog({ api, session, onClose }: SimulationDialogProps) {
  const runs = session.simulations ?? [];
  const [personas, setPersonas] = useState<Persona[] | null>(null);
  const [estimate, setEstimate] = useState<SimulationEstimate | null>(null);
  const [run, setRun] = useState<SimulationRun | null>(runs.at(-1) ?? null);
  const [previous, setPrevious] = useState<SimulationRun | undefined>(runs.at(-2));
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState<Live>(EMPTY_LIVE);
  const runId = useRef<string | null>(null);

  useEffect(() => {
    let alive = true;
    api.simulate.personas({ sessionId: session.id }).then(
      (p) => alive && setPersonas(p.personas),
      (e: unknown) => alive && setError(asParleyError(e).message),
    );
    api.simulate.estimate({ sessionId: session.id }).then(
      (e) => alive && setEstimate(e),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [api, session.id]);

  useEffect(
    () =>
      api.on('simulate:event', (e) => {
        if (e.sessionId !== session.id || (runId.current && e.runId !== runId.current)) return;
        runId.current = e.runId;
        setLive((l) => {
          if (e.type === 'delta') {
            const was = l.pending[e.scenario];
            const text = (was && was.role === e.role ? was.text : '') + e.text;
            return { ...l, pending: { ...l.pending, [e.scenario]: { role: e.role, text } } };
          }
          if (e.type === 'message') {
            return { ...l, messages: { ...l.messages, [e.scenario]: [...(l.messages[e.scenario] ?? []), e.message] }, pending: { ...l.pending, [e.scenario]: undefined } };
          }
          return { ...l, verdicts: { ...l.verdicts, [e.scenario]: { passed: e.passed, summary: e.summary } } };
        });
      }),
    [api, session.id],
  );

  const start = async () => {
    if (!personas) return;
    setRunning(true);
    setError(null);
    setLive(EMPTY_LIVE);
    runId.current = null;
    const before = run ?? undefined;
    try {
      const done = await api.simulate.run({ sessionId: session.id, personas });
      setPrevious(before);
      setRun(done);
    } catch (e) {
      setError(asParleyError(e).message);
    } finally {
      setRunning(false);
    }
  };

  const edit = (i: number, patch: Partial<Persona>) => setPersonas((list) => list && list.map((p, j) => (j === i ? { ...p, ...patch } : p)));

  const footer = (
    <>
      <span className="foot-note">{estimate ? estimateText(estimate) : 'Working out who runs the calls…'}</span>
      <button type="button" className="button" onClick={onClose}>
        Close
      </button>
      {running ? (
        <button type="button" className="button" onClick={() => void api.simulate.cancel({ sessionId: session.id }).catch(() => undefined)}>
          Stop simulation
        </button>
      ) : null}
      <button type="button" className="button button-primary" disabled={!personas?.length || running} onClick={() => void start()}>
        {running ? 'Simulating…' : 'Run simulation'}
      </button>
    </>
  );

  return (
    <Modal title="Simulated calls" onClose={onClose} footer={footer} full description="Test the designed agent with simulated callers before it ships.">
      <div className="simulation">
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        <CallerList personas={personas} open={!run} onEdit={edit} />
        {running ? <LiveCalls personas={personas ?? []} live={live} /> : null}
        {run && !running ? <RunResult run={run} previous={previous} /> : null}
        {!run && !running ? <p className="panel-empty">No simulation yet. Run one to hear how the agent handles these callers.</p> : null}
      </div>
    </Modal>
  );
}

/** The callers of the next run: each one's name and first words can be changed. */
function CallerList({ personas, open, onEdit }: { personas: Persona[] | null; open: boolean; onEdit(i: number, patch: Partial<Persona>): void }) {
  return (
    <details className="sim-personas" open={open}>
      <summary>Callers ({personas?.length ?? '…'})</summary>
      {personas ? (
        <ol className="sim-persona-list">
          {personas.map((p, i) => (
            <li key={p.id} className="sim-persona">
              <label>
                <span className="sim-label">Caller {i + 1}</span>
                <input className="input" value={p.name} maxLength={200} onChange={(e) => onEdit(i, { name: e.target.value || p.name })} aria-label={`Name of caller ${i + 1}`} />
              </label>
              <label>
                <span className="sim-label">Says first</span>
                <textarea
                  className="input"
                  rows={2}
                  value={p.lines[0]}
                  maxLength={1000}
                  onChange={(e) => onEdit(i, { lines: [e.target.value || p.lines[0]!, ...p.lines.slice(1)] })}
                  aria-label={`What caller ${i + 1} says first`}
                />
              </label>
              <p className="sim-hint">{p.description}</p>
            </li>
          ))}
        </ol>
      ) : (
        <p className="panel-empty">Proposing callers from the design…</p>
      )}
    </details>
  );
}

function LiveCalls({ personas, live }: { personas: Persona[]; live: Live }) {
  return (
    <section className="sim-live" aria-label="Calls in progress" aria-live="polite">
      {personas.map((p) => {
        const messages = live.messages[p.id] ?? [];
        const pending = live.pending[p.id];
        const verdict = live.verdicts[p.id];
        if (!messages.length && !pending) return null;
        return (
          <div key={p.id} className="sim-call">
            <h3 className="sim-call-title">
              {p.name} {verdict ? <span className={verdict.passed ? 'sim-pass' : 'sim-fail'}>{verdict.passed ? 'passed' : 'failed'}</span> : '…'}
            </h3>
            <Transcript messages={messages} pending={pending} />
          </div>
        );
      })}
    </section>
  );
}

function Transcript({ messages, pending }: { messages: SimMessage[]; pending?: { role: 'agent' | 'caller'; text: string } }) {
  return (
    <ol className="sim-transcript">
      {messages.map((m, i) => (
        <li key={i} className={`sim-line sim-${m.role}`}>
          <span className="sim-role">{ROLE_LABEL[m.role]}:</span> {m.text}
        </li>
      ))}
      {pending ? (
        <li className={`sim-line sim-${pending.role} is-streaming`}>
          <span className="sim-role">{ROLE_LABEL[pending.role]}:</span> {pending.text}
        </li>
      ) : null}
    </ol>
  );
}

function RunResult({ run, previous }: { run: SimulationRun; previous?: SimulationRun }) {
  const sameDesign = previous && previous.designHash === run.designHash;
  return (
    <section className="sim-result" aria-label="Simulation result">
      <p className="sim-summary" role="status">
        <strong>{compareRuns(previous, run)}</strong>
        {previous ? (sameDesign ? ' (same design)' : ' (design changed since)') : ''}
        {run.mode === 'llm' ? ` · ${run.provider ?? ''} ${run.model ?? ''} · cost ${run.costUsd === undefined ? 'unknown' : money(run.costUsd)} (${run.inputTokens + run.outputTokens} tokens)` : ' · offline'}
      </p>
      {run.findings.length ? (
        <section className="sim-findings" aria-label="Design holes">
          <h3 className="export-heading is-warning">Design holes</h3>
          <ul>
            {run.findings.map((f, i) => (
              <li key={i}>{f}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <ul className="sim-scenarios" aria-label="Scenarios">
        {run.scenarios.map((s) => (
          <Scenario key={s.persona.id} scenario={s} />
        ))}
      </ul>
    </section>
  );
}

function Scenario({ scenario: s }: { scenario: ScenarioResult }) {
  const [open, setOpen] = useState(!s.passed);
  const id = `sim-${s.persona.id}`;
  return (
    <li className={`sim-scenario ${s.passed ? 'is-pass' : 'is-fail'}`} aria-labelledby={`${id}-name`}>
      <div className="sim-scenario-head">
        <span id={`${id}-name`} className="sim-scenario-name">
          {s.persona.name}
        </span>
        <span className={s.passed ? 'sim-pass' : 'sim-fail'}>{s.passed ? 'Passed' : 'Failed'}</span>
        <button
          type="button"
          className="button button-small"
          aria-expanded={open}
          aria-controls={id}
          aria-label={`${open ? 'Hide' : 'Read'} transcript: ${s.persona.name}`}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? 'Hide transcript' : 'Read transcript'}
        </button>
      </div>
      {!s.passed ? <p className="sim-why">Why it failed: {s.summary}</p> : null}
      {open ? (
        <div id={id} className="sim-detail">
          <ul className="sim-criteria" aria-label={`Verdict: ${s.persona.name}`}>
            {s.criteria.map((c) => (
              <li key={c.id} className={c.passed ? 'is-pass' : 'is-fail'}>
                <span aria-hidden="true">{c.passed ? '✓' : '✗'}</span> <strong>{c.label}</strong>
                <span className="visually-hidden">{c.passed ? ' (met)' : ' (not met)'}</span>: {c.reason}
              </li>
            ))}
          </ul>
          <section aria-label={`Transcript: ${s.persona.name}`}>
            <Transcript messages={s.transcript} />
          </section>
        </div>
      ) : null}
    </li>
  );
}
