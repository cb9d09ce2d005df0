import { ParleyError } from '../../shared/errors';
import type { ExportFormat } from '../../shared/export';
import type { ExportService } from './export';
import type { VersionService } from '../versions/service';
import { writeExportFile } from '../fs/user-files';
import { readExistingProject, writeProject } from '../fs/project';

/** Saving an export through the desktop app's file dialog. */
export type ExportFileService = ReturnType<typeof createExportFileService>;

export function createExportFileService(deps: {
  exports: Pick<ExportService, 'build'>;
  /** The OS save dialog (desktop app only); null when the user cancelled. */
  chooseSavePath?: (suggestedName: string) => Promise<string | null>;
  /** Each export is a version of the design, and the session records where it went. */
  versions?: Pick<VersionService, 'beforeRelease' | 'recordRelease'>;
}) {
  return {
    async save(sessionId: string, format: ExportFormat) {
      if (!deps.chooseSavePath) {
        throw new ParleyError('UNSUPPORTED', 'Saving through a file dialog needs the desktop app; here the file is downloaded by the browser instead.');
      }
      const first = await deps.exports.build(sessionId, format);
      const target = await deps.chooseSavePath(first.filename);
      if (!target) return { file: null, warnings: first.warnings, losses: first.losses };
      const version = (await deps.versions?.beforeRelease(sessionId, 'export')) ?? undefined;
      const recorded = async (file: string) => {
        if (version) await deps.versions?.recordRelease(sessionId, { version, kind: 'export', target: format, where: file });
        return file;
      };
      if (!first.files) {
        // The OS save dialog has already asked before replacing an existing file.
        const result = version ? await deps.exports.build(sessionId, format, undefined, version) : first;
        const file = await recorded(await writeExportFile(target, result.content, { force: true }));
        return { file, warnings: result.warnings, losses: result.losses };
      }
      // A project: into the chosen folder (keeping the ids of a deployed project there) or a .zip.
      const result = await deps.exports.build(sessionId, format, await readExistingProject(target), version);
      const file = await recorded(await writeProject(target, result.files ?? [], { force: true }));
      return { file, warnings: result.warnings, losses: result.losses };
    },
  };
}
