import { ParleyError } from '../../shared/errors';
import type { Orchestrator } from '../orchestrator/types';
import { toEnvelope } from '../rpc';
import type { EventListener } from './events';

/** Turns in flight: started by turn:send, streamed as events, stoppable by turn:cancel. */
export interface TurnService {
  /** Starts a turn and answers with its id at once; the reply arrives as turn:* events. */
  send(sessionId: string, text: string): Promise<{ turnId: string }>;
  /** Stops a running turn and waits until it has ended (its partial reply saved). */
  cancel(turnId: string): Promise<{ cancelled: boolean }>;
  /** Resolves once no turn is running. */
  settle(): Promise<void>;
}

export function createTurnService(deps: {
  interview: Pick<Orchestrator, 'processMessage'>;
  /** Fails for an unknown session, so that turn:send itself fails instead of a later event. */
  checkExists: (sessionId: string) => Promise<unknown>;
  newId: () => string;
  emit: EventListener;
}): TurnService {
  const { interview, emit } = deps;
  const running = new Map<string, { controller: AbortController; done: Promise<void> }>();

  return {
    async send(sessionId, text) {
      await deps.checkExists(sessionId);
      const turnId = deps.newId();
      const controller = new AbortController();
      const done = interview
        .processMessage(sessionId, text, {
          turnId,
          signal: controller.signal,
          onDelta: (delta) => emit('turn:delta', { turnId, sessionId, text: delta }),
          onStatus: (status) => emit('turn:status', { turnId, sessionId, ...status }),
        })
        .then(
          (outcome) => {
            const { stage, awaiting } = outcome.session;
            emit('turn:done', { turnId, sessionId, stage, awaiting, reply: outcome.reply, provider: outcome.provider, model: outcome.model });
            emit('session:changed', { id: sessionId, reason: 'updated' });
          },
          (error: unknown) => {
            const envelope = toEnvelope('turn:send', error);
            if (!envelope.ok) emit('turn:error', { turnId, sessionId, error: envelope.error });
            emit('session:changed', { id: sessionId, reason: 'updated' });
          },
        )
        .finally(() => running.delete(turnId));
      running.set(turnId, { controller, done });
      return { turnId };
    },

    async cancel(turnId) {
      const turn = running.get(turnId);
      if (!turn) return { cancelled: false };
      turn.controller.abort(new ParleyError('CANCELLED', 'The turn was stopped.'));
      await turn.done;
      return { cancelled: true };
    },

    async settle() {
      while (running.size > 0) await Promise.allSettled([...running.values()].map((t) => t.done));
    },
  };
}
