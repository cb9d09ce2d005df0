import type { Handlers } from '../../shared/ipc';
import type { TurnService } from '../services/turns';

export function turnHandlers(turns: TurnService): Pick<Handlers, 'turn:send' | 'turn:cancel'> {
  return {
    'turn:send': ({ sessionId, text }) => turns.send(sessionId, text),
    'turn:cancel': ({ turnId }) => turns.cancel(turnId),
  };
}
