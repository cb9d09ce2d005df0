import type { Handlers } from '../../shared/ipc';
import type { VersionService } from '../versions/service';

export function versionHandlers(versions: VersionService): Pick<Handlers, 'versions:list' | 'versions:diff' | 'versions:snapshot' | 'versions:restore'> {
  return {
    'versions:list': ({ sessionId }) => versions.list(sessionId),
    'versions:diff': ({ sessionId, from, to }) => versions.diff(sessionId, from, to),
    'versions:snapshot': ({ sessionId, name }) => versions.snapshot(sessionId, name),
    'versions:restore': ({ sessionId, version }) => versions.restore(sessionId, version),
  };
}
