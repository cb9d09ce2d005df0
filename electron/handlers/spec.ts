import type { Handlers } from '../../shared/ipc';
import type { Session } from '../../shared/session';
import type { InterviewOrchestrator } from '../orchestrator/orchestrator';
import { generatedTexts } from '../interview/session-steps';

/** Hand edits of the spec and the stage tracker's jumps (each one goes through the session queue). */
export function specHandlers(
  interview: Pick<InterviewOrchestrator, 'editField' | 'setLocked' | 'goToStage' | 'regenerate'>,
  sessions: { get(id: string): Promise<Session> },
): Pick<Handlers, 'spec:edit' | 'spec:lock' | 'spec:generated' | 'spec:regenerate' | 'stage:goto'> {
  return {
    'spec:edit': ({ sessionId, path, value }) => interview.editField(sessionId, path, value),
    'spec:lock': ({ sessionId, path, locked }) => interview.setLocked(sessionId, path, locked),
    // Pure: what the generator makes of the stored spec; nothing is written.
    'spec:generated': async ({ sessionId }) => generatedTexts((await sessions.get(sessionId)).spec),
    'spec:regenerate': ({ sessionId, path }) => interview.regenerate(sessionId, path),
    'stage:goto': ({ sessionId, stage }) => interview.goToStage(sessionId, stage),
  };
}
