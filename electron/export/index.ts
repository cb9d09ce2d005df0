import { describeIssues, ParleyError } from '../../shared/errors';
import { Session } from '../../shared/session';
import { EXPORT_FORMATS, isExportFormat, type BuiltExport, type ExportFormat, type ExportOptions, type ExportResult } from './types';
import { agentName, buildElevenLabsAgent } from './elevenlabs';
import { buildOpenAiRealtime } from './openai-realtime';
import { buildVapi } from './vapi';
import { buildMarkdown } from './markdown';
import { buildParley } from './parley';
import { lintErrors, lintSession } from './lint';
import { findSecretKind } from './secrets';
import { toStableJson, toTextFile } from './serialize';

export type { ExportFormat, ExportOptions, ExportResult, LintFinding, Loss } from './types';
export { EXPORT_FORMATS, isExportFormat } from './types';
export { lintSession } from './lint';
export { importAgentText, type ImportResult } from './import';
export { toStableJson } from './serialize';
export { agentName } from './elevenlabs';

const SUFFIX: Record<ExportFormat, string> = {
  elevenlabs: '.elevenlabs.json',
  'openai-realtime': '.openai-realtime.json',
  vapi: '.vapi.json',
  markdown: '.md',
  parley: '.parley.json',
};

/** A file name without directories or characters any OS refuses. */
export function suggestFilename(name: string, format: ExportFormat): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${slug || 'agent'}${SUFFIX[format]}`;
}

function build(session: Session, format: ExportFormat, options: ExportOptions): BuiltExport {
  switch (format) {
    case 'elevenlabs':
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
 * The one entry point: lint, build, serialise. Pure (no I/O): the caller writes `content`
 * (electron/fs/user-files.ts). Throws ParleyError INVALID_INPUT when the format is unknown, the
 * session is malformed, or lint finds errors (each listed with its path and fix).
 */
export function exportSession(session: Session, format: ExportFormat, options: ExportOptions = {}): ExportResult {
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

  const { document, losses } = build(valid, format, options);
  const content = typeof document === 'string' ? toTextFile(document) : toStableJson(document);
  // Lint has already refused secrets in the spec; this guards the file itself, whatever its source.
  const leaked = findSecretKind(content);
  if (leaked) throw new ParleyError('INVALID_INPUT', `Export refused: the ${format} file would contain a ${leaked}. Replace it with a secret name in the spec.`);

  return {
    format,
    content,
    filename: suggestFilename(agentName(valid), format),
    warnings: findings.filter((f) => f.severity === 'warning'),
    losses,
  };
}
