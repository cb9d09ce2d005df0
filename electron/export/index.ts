import { describeIssues, ParleyError } from '../../shared/errors';
import { Session } from '../../shared/session';
import { EXPORT_FORMATS, isExportFormat, type BuiltExport, type ExistingFiles, type ExportFormat, type ExportOptions, type ExportResult, type ProjectFile } from './types';
import { agentName, buildElevenLabsAgent } from './elevenlabs';
import { buildElevenLabsProject } from './elevenlabs-project';
import { fileSlug } from './naming';
import { buildOpenAiRealtime } from './openai-realtime';
import { buildVapi } from './vapi';
import { buildMarkdown } from './markdown';
import { buildParley } from './parley';
import { lintElevenLabsBody, lintErrors, lintSession } from './lint';
import { findSecretKind } from './secrets';
import { toStableJson, toTextFile } from './serialize';

export type { ExistingFiles, ExportFormat, ExportOptions, ExportResult, LintFinding, Loss, ProjectFile } from './types';
export { EXPORT_FORMATS, isExportFormat } from './types';
export { lintSession } from './lint';
export { importAgentText, importElevenLabsProject, type ImportResult } from './import';
export { toStableJson } from './serialize';
export { agentName } from './elevenlabs';
export { linkToolIds, LINK_SCRIPT_NAME } from './elevenlabs-link';
export { zipProject, unzipProject } from './zip';

const SUFFIX: Record<ExportFormat, string> = {
  elevenlabs: '-elevenlabs',
  'elevenlabs-agent': '.elevenlabs.json',
  'openai-realtime': '.openai-realtime.json',
  vapi: '.vapi.json',
  markdown: '.md',
  parley: '.parley.json',
};

/** A file name (for a project, a folder name) without directories or characters any OS refuses. */
export function suggestFilename(name: string, format: ExportFormat): string {
  return `${fileSlug(name)}${SUFFIX[format]}`;
}

function build(session: Session, format: Exclude<ExportFormat, 'elevenlabs'>, options: ExportOptions): BuiltExport {
  switch (format) {
    case 'elevenlabs-agent':
      return buildElevenLabsAgent(session, options);
    case 'openai-realtime':
      return buildOpenAiRealtime(session, options);
    case 'vapi':
      return buildVapi(session, options);
    case 'markdown':
      return buildMarkdown(session);
    case 'parley':
      return buildParley(session);
  }
}

/**
 * The one entry point: lint, build, serialise. Pure (no I/O): the caller writes `content` (or,
 * for a project, `files`) with electron/fs. `existing` holds the files already at a project's destination, so a
 * re-export keeps the ids a deploy wrote there. Throws ParleyError INVALID_INPUT when the format
 * is unknown, the session is malformed, or lint finds errors (each listed with its path and fix).
 */
export function exportSession(session: Session, format: ExportFormat, options: ExportOptions = {}, existing?: ExistingFiles): ExportResult {
  if (!isExportFormat(format)) {
    throw new ParleyError('INVALID_INPUT', `Unknown export format "${String(format)}"; use one of ${EXPORT_FORMATS.join(', ')}.`);
  }
  const parsed = Session.safeParse(session);
  if (!parsed.success) throw new ParleyError('INVALID_INPUT', `The session cannot be exported: ${describeIssues(parsed.error)}`);
  const valid = parsed.data;

  const findings = lintSession(valid, format);
  const errors = lintErrors(findings);
  if (errors.length) {
    const list = errors.map((f) => `${f.path}: ${f.message} Fix: ${f.fix}`).join(' · ');
    throw new ParleyError('INVALID_INPUT', `Export blocked by ${errors.length} problem${errors.length > 1 ? 's' : ''} in the spec: ${list}`);
  }

  let content: string;
  let losses: ExportResult['losses'];
  let files: ProjectFile[] | undefined;
  if (format === 'elevenlabs') {
    const project = buildElevenLabsProject(valid, options, existing);
    files = project.files;
    losses = project.losses;
    content = project.files.find((f) => f.path === project.agentConfig)?.content ?? '';
  } else {
    const built = build(valid, format, options);
    content = typeof built.document === 'string' ? toTextFile(built.document) : toStableJson(built.document);
    losses = built.losses;
  }
  if (format === 'elevenlabs' || format === 'elevenlabs-agent') {
    const inline = lintElevenLabsBody(JSON.parse(content) as Parameters<typeof lintElevenLabsBody>[0]);
    if (inline.length) throw new ParleyError('INVALID_INPUT', `Export blocked: ${inline.map((f) => `${f.message} Fix: ${f.fix}`).join(' · ')}`);
  }
  // Lint has already refused secrets in the spec; this guards the files themselves, whatever their source.
  for (const file of files ?? [{ path: '', content }]) {
    const leaked = findSecretKind(file.content);
    if (leaked) throw new ParleyError('INVALID_INPUT', `Export refused: the ${format} ${file.path || 'file'} would contain a ${leaked}. Replace it with a secret name in the spec.`);
  }

  return {
    format,
    content,
    filename: suggestFilename(agentName(valid), format),
    warnings: findings.filter((f) => f.severity === 'warning'),
    losses,
    ...(files ? { files } : {}),
  };
}
