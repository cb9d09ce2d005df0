import { useCallback, useEffect, useRef, useState } from 'react';
import type { ParleyApi } from '../../../shared/ipc';
import type { Session } from '../../../shared/session';
import { PUBLISH_STEPS, PUBLISH_STEP_LABELS, type PublishProgress, type PublishResult, type PublishSecret, type PublishStep } from '../../../shared/publish';
import { asParleyError } from '../../../shared/errors';
import { Modal } from './Modal';
import { Icon } from './Icon';

export interface PublishDialogProps {
  api: ParleyApi;
  session: Session;
  onClose(): void;
  /** Opens Settings at the ElevenLabs key (Publish needs it). */
  onAddKey(): void;
  /** Tells the user the agent is live (toast). */
  onPublished(message: string): void;
}

type StepState = { status: PublishProgress['status'] | 'waiting'; detail: string };
const idleSteps = (): Record<PublishStep, StepState> =>
  Object.fromEntries(PUBLISH_STEPS.map((s) => [s, { status: 'waiting', detail: '' }])) as Record<PublishStep, StepState>;

const STATUS_TEXT: Record<StepState['status'], string> = { waiting: 'Waiting', started: 'Working…', done: 'Done', failed: 'Failed', skipped: 'Nothing to do' };

/**
 * Publish to ElevenLabs in one step: the tool secrets are typed here once (they go to the keychain,
 * never into the session), then each step's progress streams in. A failure names its step and the
 * button retries from there; the backend keeps what was already created.
 */
export function PublishDialog({ api, session, onClose, onAddKey, onPublished }: PublishDialogProps) {
  const run = usePublish(api, session.id, onPublished);
  const record = session.elevenlabs;
  const failed = PUBLISH_STEPS.find((s) => run.steps[s].status === 'failed');
  return (
    <Modal
      title="Publish to ElevenLabs"
      wide
      onClose={onClose}
      description="Create or update the agent and its tools in your ElevenLabs workspace."
      footer={
        <>
          <span className="foot-note">{record?.agentId ? <>Published as <code>{record.agentId}</code></> : 'Not published yet'}</span>
          <button type="button" className="button" onClick={onClose}>
            {run.result ? 'Close' : 'Cancel'}
          </button>
          {/* aria-disabled while running, not disabled: the focus stays on it, so Escape and Tab still work. */}
          <button
            type="button"
            className="button button-primary"
            disabled={run.keySet === false || run.secrets === null || run.missing > 0}
            aria-disabled={run.running || undefined}
            onClick={() => !run.running && void run.publish()}
          >
            <Icon name="export" />
            {run.running ? 'Publishing…' : failed || run.error ? 'Publish again' : record?.agentId ? 'Update agent' : 'Publish'}
          </button>
        </>
      }
    >
      <div className="publish">
        {run.keySet === false ? <MissingKey onAddKey={onAddKey} /> : null}
        {run.secrets?.length ? <SecretFields secrets={run.secrets} values={run.values} onChange={run.setValue} /> : null}
        <StepList steps={run.steps} />
        <div aria-live="polite">
          {run.error ? (
            <p className="field-error" role="alert">
              {failed ? <strong>{PUBLISH_STEP_LABELS[failed]} failed. </strong> : null}
              {run.error} {failed ? 'Publish again retries from this step; nothing done before it is repeated.' : null}
            </p>
          ) : null}
          {run.result ? (
            <p className="publish-result">
              Agent <code>{run.result.agentId}</code> {run.result.agent}.{' '}
              <a href={run.result.dashboardUrl} target="_blank" rel="noreferrer">
                Open it in ElevenLabs
              </a>
            </p>
          ) : null}
        </div>
      </div>
    </Modal>
  );
}

/** The secrets the tools need, the key's presence, the steps' progress and the run itself. */
function usePublish(api: ParleyApi, sessionId: string, onPublished: (message: string) => void) {
  const [secrets, setSecrets] = useState<PublishSecret[] | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [keySet, setKeySet] = useState<boolean | null>(null);
  const [steps, setSteps] = useState(idleSteps);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<PublishResult | null>(null);
  const live = useRef(true);
  useEffect(() => () => void (live.current = false), []);

  const loadSecrets = useCallback(
    () =>
      api.publish.secrets({ sessionId }).then(
        (r) => live.current && setSecrets(r.secrets),
        (e: unknown) => live.current && setError(asParleyError(e).message),
      ),
    [api, sessionId],
  );
  useEffect(() => {
    void loadSecrets();
    api.keys.status().then(
      (k) => live.current && setKeySet(k.providers.some((p) => p.provider === 'elevenlabs' && p.set)),
      () => live.current && setKeySet(null),
    );
  }, [api, loadSecrets]);
  useEffect(
    () =>
      api.on('publish:progress', (p) => {
        if (p.sessionId === sessionId) setSteps((s) => ({ ...s, [p.step]: { status: p.status, detail: p.detail } }));
      }),
    [api, sessionId],
  );

  const publish = async () => {
    setRunning(true);
    setError(null);
    setResult(null);
    setSteps(idleSteps());
    const typed = Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim()));
    try {
      const r = await api.publish.run({ sessionId, secrets: Object.keys(typed).length ? typed : undefined });
      if (!live.current) return;
      setResult(r);
      setValues({});
      // Whether the typed values were kept depends on the keychain: ask again rather than assume.
      void loadSecrets();
      onPublished(r.agent === 'created' ? 'The agent is live on ElevenLabs.' : 'The ElevenLabs agent is updated.');
    } catch (e) {
      if (live.current) setError(asParleyError(e).message);
    } finally {
      if (live.current) setRunning(false);
    }
  };
  const missing = (secrets ?? []).filter((s) => !s.stored && !values[s.label]?.trim()).length;
  const setValue = (label: string, value: string) => setValues((v) => ({ ...v, [label]: value }));
  return { secrets, values, setValue, keySet, steps, running, error, result, missing, publish };
}

function MissingKey({ onAddKey }: { onAddKey(): void }) {
  return (
    <div className="banner" role="alert">
      <div className="banner-text">
        <strong className="banner-title">Publishing needs your ElevenLabs API key.</strong>
        <span>It is kept in the keychain and used only from this computer.</span>
      </div>
      <button type="button" className="button button-small" onClick={onAddKey}>
        Add ElevenLabs key
      </button>
    </div>
  );
}

function SecretFields({ secrets, values, onChange }: { secrets: PublishSecret[]; values: Record<string, string>; onChange(label: string, value: string): void }) {
  return (
    <fieldset className="publish-secrets">
      <legend className="export-legend">Tool secrets</legend>
      <p className="hint">Typed once and kept in your keychain; ElevenLabs stores them as workspace secrets. Never saved in the design or its exports.</p>
      {secrets.map((s) => (
        <label key={s.label} className="form-field">
          <span>
            <strong>{s.label}</strong> ({s.holds}, for {s.tool})
          </span>
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={values[s.label] ?? ''}
            placeholder={s.stored ? 'Stored in the keychain; type to replace' : 'Required: not in the keychain'}
            aria-required={!s.stored}
            onChange={(e) => onChange(s.label, e.target.value)}
          />
        </label>
      ))}
    </fieldset>
  );
}

function StepList({ steps }: { steps: Record<PublishStep, StepState> }) {
  return (
    <ol className="publish-steps" aria-label="Publish steps">
      {PUBLISH_STEPS.map((s) => (
        <li key={s} className={`publish-step is-${steps[s].status}`}>
          <span className="publish-step-name">{PUBLISH_STEP_LABELS[s]}</span>
          <span className="publish-step-status">{STATUS_TEXT[steps[s].status]}</span>
          {steps[s].detail ? <span className="publish-step-detail">{steps[s].detail}</span> : null}
        </li>
      ))}
    </ol>
  );
}
