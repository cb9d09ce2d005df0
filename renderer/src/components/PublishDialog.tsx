import { useEffect, useRef, useState } from 'react';
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
  const [secrets, setSecrets] = useState<PublishSecret[] | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [keySet, setKeySet] = useState<boolean | null>(null);
  const [steps, setSteps] = useState(idleSteps);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<PublishResult | null>(null);
  const live = useRef(true);
  useEffect(() => () => void (live.current = false), []);

  useEffect(() => {
    api.publish.secrets({ sessionId: session.id }).then(
      (r) => live.current && setSecrets(r.secrets),
      (e: unknown) => live.current && setError(asParleyError(e).message),
    );
    api.keys.status().then(
      (k) => live.current && setKeySet(k.providers.some((p) => p.provider === 'elevenlabs' && p.set)),
      () => live.current && setKeySet(null),
    );
  }, [api, session.id]);

  useEffect(
    () =>
      api.on('publish:progress', (p) => {
        if (p.sessionId !== session.id) return;
        setSteps((s) => ({ ...s, [p.step]: { status: p.status, detail: p.detail } }));
      }),
    [api, session.id],
  );

  const missing = (secrets ?? []).filter((s) => !s.stored && !values[s.label]?.trim());
  const record = session.elevenlabs;
  const publish = async () => {
    setRunning(true);
    setError(null);
    setResult(null);
    setSteps(idleSteps());
    const typed = Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim()));
    try {
      const r = await api.publish.run({ sessionId: session.id, secrets: Object.keys(typed).length ? typed : undefined });
      if (!live.current) return;
      setResult(r);
      setValues({});
      // Whether the typed values were kept depends on the keychain: ask again rather than assume.
      api.publish.secrets({ sessionId: session.id }).then((x) => live.current && setSecrets(x.secrets), () => undefined);
      onPublished(r.agent === 'created' ? 'The agent is live on ElevenLabs.' : 'The ElevenLabs agent is updated.');
    } catch (e) {
      if (live.current) setError(asParleyError(e).message);
    } finally {
      if (live.current) setRunning(false);
    }
  };

  const failed = PUBLISH_STEPS.find((s) => steps[s].status === 'failed');
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
            {result ? 'Close' : 'Cancel'}
          </button>
          {/* aria-disabled while running, not disabled: the focus stays on it, so Escape and Tab still work. */}
          <button
            type="button"
            className="button button-primary"
            disabled={keySet === false || secrets === null || missing.length > 0}
            aria-disabled={running || undefined}
            onClick={() => !running && void publish()}
          >
            <Icon name="export" />
            {running ? 'Publishing…' : failed || error ? 'Publish again' : record?.agentId ? 'Update agent' : 'Publish'}
          </button>
        </>
      }
    >
      <div className="publish">
        {keySet === false ? (
          <div className="banner" role="alert">
            <div className="banner-text">
              <strong className="banner-title">Publishing needs your ElevenLabs API key.</strong>
              <span>It is kept in the keychain and used only from this computer.</span>
            </div>
            <button type="button" className="button button-small" onClick={onAddKey}>
              Add ElevenLabs key
            </button>
          </div>
        ) : null}
        {secrets?.length ? (
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
                  onChange={(e) => setValues((v) => ({ ...v, [s.label]: e.target.value }))}
                />
              </label>
            ))}
          </fieldset>
        ) : null}
        <ol className="publish-steps" aria-label="Publish steps">
          {PUBLISH_STEPS.map((s) => (
            <li key={s} className={`publish-step is-${steps[s].status}`}>
              <span className="publish-step-name">{PUBLISH_STEP_LABELS[s]}</span>
              <span className="publish-step-status">{STATUS_TEXT[steps[s].status]}</span>
              {steps[s].detail ? <span className="publish-step-detail">{steps[s].detail}</span> : null}
            </li>
          ))}
        </ol>
        <div aria-live="polite">
          {error ? (
            <p className="field-error" role="alert">
              {failed ? <strong>{PUBLISH_STEP_LABELS[failed]} failed. </strong> : null}
              {error} {failed ? 'Publish again retries from this step; nothing done before it is repeated.' : null}
            </p>
          ) : null}
          {result ? (
            <p className="publish-result">
              Agent <code>{result.agentId}</code> {result.agent}.{' '}
              <a href={result.dashboardUrl} target="_blank" rel="noreferrer">
                Open it in ElevenLabs
              </a>
            </p>
          ) : null}
        </div>
      </div>
    </Modal>
  );
}
