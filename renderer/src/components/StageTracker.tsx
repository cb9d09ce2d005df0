import { STAGES, stageIndex, type Stage } from '../../../shared/stages';
import { STAGE_LABELS, fieldLabel } from '../labels';

export interface StageTrackerProps {
  stage: Stage;
  awaiting: string | null;
}

/** The seven stages as a stepper: done, current (with what is still being asked), to do. */
export function StageTracker({ stage, awaiting }: StageTrackerProps) {
  const current = stageIndex(stage);
  return (
    <section className="panel tracker" aria-labelledby="tracker-title">
      <h2 id="tracker-title" className="panel-title">
        Progress
      </h2>
      <ol className="stages" aria-label="Stages">
        {STAGES.map((s, i) => {
          const state = i < current || (i === current && s === 'COMPLETED') ? 'done' : i === current ? 'current' : 'todo';
          return (
            <li key={s} className={`stage stage-${state}`} aria-current={i === current ? 'step' : undefined} data-stage={s}>
              <span className="stage-marker" aria-hidden="true">
                {state === 'done' ? '✓' : i + 1}
              </span>
              <span className="stage-text">
                <span className="stage-name">{STAGE_LABELS[s]}</span>
                <span className="visually-hidden">{state === 'done' ? ', done' : state === 'current' ? ', current' : ', to do'}</span>
                {i === current && awaiting && s !== 'COMPLETED' ? <span className="stage-awaiting">Asking about {fieldLabel(awaiting).toLowerCase()}</span> : null}
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
