import type { Handlers } from '../../shared/ipc';
import type { TemplateService } from '../templates/service';
import type { TemplateLibrary } from '../templates/library';

type TemplateChannels = 'templates:list' | 'templates:get' | 'templates:start' | 'templates:save' | 'templates:import' | 'templates:export';

export function templateHandlers(service: TemplateService, library: Pick<TemplateLibrary, 'get'>): Pick<Handlers, TemplateChannels> {
  return {
    'templates:list': async () => ({ items: await service.list() }),
    'templates:get': ({ name }) => library.get(name),
    'templates:start': ({ name, provider }) => service.start(name, provider),
    'templates:save': (input) => service.saveFromSession(input),
    'templates:import': ({ text, name, replace }) => service.import(text, { name, replace }),
    'templates:export': ({ name }) => service.export(name),
  };
}
