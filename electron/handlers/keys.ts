import type { Handlers } from '../../shared/ipc';
import type { KeyService } from '../services/keys';

export function keyHandlers(keys: KeyService): Pick<Handlers, 'keys:status' | 'keys:set' | 'keys:clear' | 'keys:test'> {
  return {
    'keys:status': () => keys.status(),
    'keys:set': ({ provider, key, sessionOnly }) => keys.set(provider, key, { sessionOnly }),
    'keys:clear': ({ provider }) => keys.clear(provider),
    'keys:test': ({ provider, key }) => keys.test(provider, key),
  };
}
