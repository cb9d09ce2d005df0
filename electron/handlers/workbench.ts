import type { Handlers } from '../../shared/ipc';
import type { WorkbenchService } from '../workbench/service';

export function workbenchHandlers(
  workbench: WorkbenchService,
): Pick<Handlers, 'tools:parse-import' | 'tools:import' | 'tools:example-input' | 'tools:try' | 'tools:cancel-try' | 'tools:save-example'> {
  return {
    'tools:parse-import': (source) => workbench.parse(source),
    'tools:import': ({ sessionId, source, operations }) => workbench.import(sessionId, source, operations),
    'tools:example-input': ({ sessionId, tool }) => workbench.exampleInput(sessionId, tool),
    'tools:try': (input) => workbench.try(input),
    'tools:cancel-try': async ({ tryId }) => workbench.cancel(tryId),
    'tools:save-example': ({ sessionId, tool, tryId }) => workbench.saveExample(sessionId, tool, tryId),
  };
}
