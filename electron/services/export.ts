import { ParleyError } from '../../shared/errors';
import { SESSION_SCHEMA_VERSION, type Session } from '../../shared/session';
import type { ExportFormat, ExportPreview } from '../../shared/export';
import type { Settings } from '../../shared/settings';
import type { SessionStore } from '../store/types';
import type { SessionUpdates } from '../orchestrator/types';
import type { VersionId } from '../../shared/versions';
import { agentName, exportSession, lintSession, suggestFilename, zipProject, type ExistingFiles, type ExportOptions, type ExportResult } from '../export/index';
import { importAgentText, importElevenLabsProject, type ImportResult } from '../export/import';

export interface ExportService {
  /** What the Export dialog shows: the file (for a project, every file and the .zip), or the lint errors that block it; never throws for lint. */
  preview(sessionId: string, format: ExportFormat): Promise<ExportPreview>;
  /**
   * The file (or project files) to write; throws INVALID_INPUT when lint errors block the export.
   * `existing`: the files already at a project's destination, whose deploy ids are kept.
   * `version`: the version of the design the files carry (README, agent tags).
   */
  build(sessionId: string, format: ExportFormat, existing?: ExistingFiles, version?: VersionId): Promise<ExportResult>;
  /** Creates a new session at REVIEWING_WORKFLOW from an ElevenLabs agent file or a Parley session file. */
  importText(text: string): Promise<{ session: Session; losses: ImportResult['losses'] }>;
  /** The same from an ElevenLabs agents-as-code project's files (a folder, a .zip, or an agent file with tool configs beside it). */
  importFiles(files: ExistingFiles, agent?: string): Promise<{ session: Session; losses: ImportResult['losses'] }>;
}

/**
 * The model the exported agent runs on when the spec names none: the one that writes the prompt
 * at FINALIZING. The interviewer's temperature is not the agent's: that is spec.temperature.
 */
export function exportOptions(settings: Settings): ExportOptions {
  const provider = settings.routing.FINALIZING;
  const model = provider === 'openai' ? settings.models.openai : provider === 'anthropic' ? settings.models.anthropic : undefined;
  return { model, provider };
}

export function createExportService(deps: {
  /** Reads sessions and adds imported ones (the session service, so imports go through its queue). */
  store: Pick<SessionStore, 'get'> & Pick<SessionUpdates, 'create'>;
  getSettings: () => Promise<Settings>;
  clock: () => Date;
  newId: () => string;
  /** The version an export taken now would carry (the preview shows the file the export writes). */
  upcomingVersion?: (sessionId: string) => Promise<VersionId | null>;
}): ExportService {
  const build = async (sessionId: string, format: ExportFormat, existing?: ExistingFiles, version?: VersionId) =>
    exportSession(await deps.store.get(sessionId), format, { ...exportOptions(await deps.getSettings()), ...(version ? { version } : {}) }, existing);

  const create = async (imported: ImportResult, from: string) => {
    const now = deps.clock().toISOString();
    const session: Session = {
      schemaVersion: SESSION_SCHEMA_VERSION,
      id: deps.newId(),
      title: imported.title,
      createdAt: now,
      updatedAt: now,
      provider: 'auto',
      stage: imported.stage,
      stageHistory: [{ stage: imported.stage, at: now }],
      awaiting: 'workflow_approved',
      spec: imported.spec,
      messages: [
        ...imported.messages,
        {
          id: deps.newId(),
          role: 'notice',
          text: `Imported from ${from}. Review the design, then approve it or ask for changes.`,
          createdAt: now,
          status: 'complete',
        },
      ],
      usage: [],
    };
    return { session: await deps.store.create(session, { snapshot: { cause: 'import' } }), losses: imported.losses };
  };

  return {
    build,
    async preview(sessionId, format) {
      const session = await deps.store.get(sessionId);
      const findings = lintSession(session, format);
      try {
        const version = (await deps.upcomingVersion?.(sessionId)) ?? undefined;
        const result = exportSession(session, format, { ...exportOptions(await deps.getSettings()), ...(version ? { version } : {}) });
        const project = result.files ? { files: result.files, zipBase64: Buffer.from(zipProject(result.files)).toString('base64') } : {};
        return { format, filename: result.filename, content: result.content, findings, losses: result.losses, ...project };
      } catch (error) {
        if (!(error instanceof ParleyError) || error.code !== 'INVALID_INPUT') throw error;
        // Blocked: show every finding (the errors say what to fix) and no file.
        const blocking = findings.some((f) => f.severity === 'error')
          ? findings
          : [...findings, { severity: 'error' as const, path: '', rule: 'export-refused', message: error.message, fix: 'Fix the spec, then export again.' }];
        return { format, filename: suggestFilename(agentName(session), format), content: null, findings: blocking, losses: [] };
      }
    },
    async importText(text) {
      const imported = importAgentText(text);
      return create(imported, imported.kind === 'elevenlabs' ? 'an ElevenLabs agent file' : 'a Parley session file');
    },
    async importFiles(files, agent) {
      return create({ ...importElevenLabsProject(files, agent), messages: [] }, 'an ElevenLabs agents-as-code project');
    },
  };
}
