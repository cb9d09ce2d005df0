import type { Handlers } from '../../shared/ipc';
import type { AppService } from '../services/app';

export function appHandlers(app: AppService): Pick<Handlers, 'app:info' | 'app:notices' | 'app:reveal-data-dir'> {
  return {
    'app:info': async () => app.info(),
    'app:notices': async () => app.notices(),
    'app:reveal-data-dir': () => app.revealDataDir(),
  };
}
