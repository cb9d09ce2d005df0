import type { Handlers } from '../../shared/ipc';
import type { SessionService } from '../services/sessions';
import type { Orchestrator } from '../orchestrator/types';
import type { ExportService } from '../services/export';
import { unzipProject } from '../export/zip';

type SessionChannels =
  | 'sessions:create'
  | 'sessions:list'
  | 'sessions:get'
  | 'sessions:delete'
  | 'sessions:rename'
  | 'sessions:duplicate'
  | 'sessions:restore'
  | 'sessions:set-provider'
  | 'sessions:import';

export function sessionHandlers(deps: {
  sessions: SessionService;
  interview: Pick<Orchestrator, 'createSession'>;
  exports: Pick<ExportService, 'importText' | 'importFiles'>;
}): Pick<Handlers, SessionChannels> {
  const { sessions, interview, exports } = deps;
  return {
    'sessions:create': (input) => interview.createSession({ provider: input?.provider }),
    'sessions:list': (input) => sessions.list(input ?? {}),
    'sessions:get': ({ id }) => sessions.get(id),
    'sessions:delete': ({ id }) => sessions.delete(id),
    'sessions:rename': ({ id, title }) => sessions.rename(id, title),
    'sessions:duplicate': ({ id }) => sessions.duplicate(id),
    'sessions:restore': ({ id }) => sessions.restore(id),
    'sessions:set-provider': ({ id, provider }) => sessions.setProvider(id, provider),
    'sessions:import': (input) =>
      'text' in input
        ? exports.importText(input.text)
        : 'zipBase64' in input
          ? exports.importFiles(unzipProject(new Uint8Array(Buffer.from(input.zipBase64, 'base64'))))
          : exports.importFiles(new Map(Object.entries(input.files)), input.agent),
  };
}
