import { useState } from 'react';
import { STAGES, stageIndex, type Stage } from '../../../shared/stages';
import type { AgentSpec } from '../../../shared/spec';
import { STAGE_LABELS, fieldLabel } from '../labels';
import { missingForStage } from '../lib/specProgress';
import { Modal } from './Modal';

export interface StageTrackerProps {
  stage: Stage;
  awaiting: string | null;
  spec?: AgentSpec;
  /** Going back is offered for done stages after the first; absent → read-only tracker. */
  onGoBack?(stage: Stage): void;
}

const MAX_MISSING = 4;

/** The seven stages as a stepper: done, current (with what is still missing), to do. */
export function StageTracker({ stage, awaiting, spec, onGoBack }: StageTrackerProps) {
  const current = stageIndex(stage);
  const [confirm, setConfirm] = useState<Stage | null>(null);
  const missing = spec ? missingForStage(stage, spec).filter((p) => p !== awaiting) : [];
  return (
    <section className="panel tracker" aria-labelledby="tracker-title">
      <h2 id="tracker-title" className="panel-title">
        Progress
      </h2>
      <ol className="stages" aria-label="Stages">
        {STAGES.map((s, i) => {
          const state = i < current || (i === current && s === 'COMPLETED') ? 'done' : i === current ? 'current' : 'todo';
          const canGoBack = onGoBack && i < current && s !== 'INITIAL';
          return (
            <li key={s} className={`stage stage-${state}`} aria-current={i === current ? 'step' : undefined} data-stage={s}>
              <span className="stage-marker" aria-hidden="true">
                {state === 'done' ? '✓' : i + 1}
              </span>
              <span className="stage-text">
                {canGoBack ? (
                  <button type="button" className="stage-name stage-link" onClick={() => setConfirm(s)} title={`Go back to ${STAGE_LABELS[s]}`}>
                    {STAGE_LABELS[s]}
                  </button>
                ) : (
                  <span className="stage-name">{STAGE_LABELS[s]}</span>
                )}
                <span className="visually-hidden">{state === 'done' ? ', done' : state === 'current' ? ', current' : ', to do'}</span>
                {i === current && awaiting && s !== 'COMPLETED' ? <span className="stage-awaiting">Asking about {fieldLabel(awaiting).toLowerCase()}</span> : null}
                {i === current && missing.length ? (
                  <span className="stage-missing">
                    Still needed: {missing.slice(0, MAX_MISSING).map((p) => fieldLabel(p).toLowerCase()).join(', ')}
                    {missing.length > MAX_MISSING ? ` and ${missing.length - MAX_MISSING} more` : ''}
                  </span>
                ) : null}
              </span>
            </li>
          );
        })}
      </ol>
      {confirm && onGoBack ? (
        <Modal
          title={`Go back to ${STAGE_LABELS[confirm]}?`}
          description="The interview reopens that stage. Values you locked stay; later answers can be asked again."
          onClose={() => setConfirm(null)}
          footer={
            <>
              <button type="button" className="button" onClick={() => setConfirm(null)}>
                Cancel
              </button>
              <button
                type="button"
                className="button button-primary"
                data-autofocus
                onClick={() => {
                  const target = confirm;
                  setConfirm(null);
                  onGoBack(target);
                }}
              >
                Go back
              </button>
            </>
          }
        >
          <p className="modal-text">You are at {STAGE_LABELS[stage]}. Your answers stay in the spec; only the approvals that closed the later stages are asked for again.</p>
        </Modal>
      ) : null}
    </section>
  );
}
