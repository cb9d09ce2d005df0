import type { Handlers } from '../../shared/ipc';
import type { PublishService } from '../services/publish';

export function publishHandlers(publish: () => Promise<PublishService>): Pick<Handlers, 'publish:secrets' | 'publish:run'> {
  return {
    'publish:secrets': async ({ sessionId }) => ({ secrets: await (await publish()).secrets(sessionId) }),
    'publish:run': async ({ sessionId, secrets }) => (await publish()).publish(sessionId, { secretValues: secrets }),
  };
}
