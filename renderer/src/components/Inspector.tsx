import { useMemo, useState } from 'react';
import type { Session } from '../../../shared/session';
import { stageIndex, type Stage } from '../../../shared/stages';
import { StageTracker } from './StageTracker';
import { SpecPanel } from './SpecPanel';
import { WorkflowView } from './WorkflowView';

type Tab = 'spec' | 'workflow';

export interface InspectorProps {
  session: Session;
  theme: 'light' | 'dark';
  onGoBack(stage: Stage): void;
  onEdit(path: string, value: unknown): Promise<void>;
  onLock(path: string, locked: boolean): Promise<void>;
  onShowSource(messageId: string): void;
  /** Opens the full-height prompt viewer/editor. */
  onOpenPrompt(): void;
  /** The tool workbench (import, test-fire); absent where it is not offered. */
  onImportTools?(): void;
  onTryTool?(index: number): void;
  /** Opens simulated calls (shown from the review stage on). */
  onOpenSimulate?(): void;
}

/** The right-hand panel: the stage tracker, then the spec or the workflow diagram. */
export function Inspector({ session, theme, onGoBack, onEdit, onLock, onShowSource, onOpenPrompt, onImportTools, onTryTool, onOpenSimulate }: InspectorProps) {
  const [tab, setTab] = useState<Tab>('spec');
  const messageIds = useMemo(() => new Set(session.messages.map((m) => m.id)), [session.messages]);
  return (
    <>
      <StageTracker stage={session.stage} awaiting={session.awaiting} spec={session.spec} onGoBack={onGoBack} />
      {onOpenSimulate && stageIndex(session.stage) >= stageIndex('REVIEWING_WORKFLOW') ? (
        <div className="inspector-actions">
          <button type="button" className="button button-small" onClick={onOpenSimulate}>
            Simulate calls
          </button>
        </div>
      ) : null}
      <div className="tabs" role="tablist" aria-label="Design views">
        {(['spec', 'workflow'] as const).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`tab-${t}`}
            aria-controls={`tabpanel-${t}`}
            aria-selected={tab === t}
            tabIndex={tab === t ? 0 : -1}
            className="tab"
            onClick={() => setTab(t)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                const next = tab === 'spec' ? 'workflow' : 'spec';
                setTab(next);
                document.getElementById(`tab-${next}`)?.focus();
              }
            }}
          >
            {t === 'spec' ? 'Spec' : 'Workflow'}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`} className="tabpanel">
        {tab === 'spec' ? (
          <SpecPanel spec={session.spec} awaiting={session.awaiting} messageIds={messageIds} onEdit={onEdit} onLock={onLock} onShowSource={onShowSource} onOpenPrompt={onOpenPrompt} onImportTools={onImportTools} onTryTool={onTryTool} />
        ) : (
          <WorkflowView spec={session.spec} title={session.title} theme={theme} />
        )}
      </div>
    </>
  );
}
