import type { Handlers } from '../../shared/ipc';
import type { InterviewOrchestrator } from '../orchestrator/orchestrator';

/** Hand edits of the spec and the stage tracker's jumps (each one goes through the session queue). */
export function specHandlers(interview: Pick<InterviewOrchestrator, 'editField' | 'setLocked' | 'goToStage'>): Pick<Handlers, 'spec:edit' | 'spec:lock' | 'stage:goto'> {
  return {
    'spec:edit': ({ sessionId, path, value }) => interview.editField(sessionId, path, value),
    'spec:lock': ({ sessionId, path, locked }) => interview.setLocked(sessionId, path, locked),
    'stage:goto': ({ sessionId, stage }) => interview.goToStage(sessionId, stage),
  };
}
