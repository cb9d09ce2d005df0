import type { Handlers } from '../../shared/ipc';
import type { ExportService } from '../services/export';
import type { ExportFileService } from '../services/export-files';

export function exportHandlers(deps: { exports: Pick<ExportService, 'preview'>; files: ExportFileService }): Pick<Handlers, 'export:preview' | 'export:save'> {
  return {
    'export:preview': ({ sessionId, format }) => deps.exports.preview(sessionId, format),
    'export:save': ({ sessionId, format }) => deps.files.save(sessionId, format),
  };
}
