import { z } from 'zod';

/**
 * Export targets; the names are public (CLI --format, file formats). "elevenlabs" is an
 * agents-as-code project (a folder or .zip); "elevenlabs-agent" is its agent config alone.
 */
export const EXPORT_FORMATS = ['elevenlabs', 'elevenlabs-agent', 'openai-realtime', 'vapi', 'markdown', 'parley'] as const;

/** Formats written as several files: a folder, or a .zip of it. */
export const PROJECT_FORMATS: readonly ExportFormat[] = ['elevenlabs'];
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** Something the target file cannot express, or that the user must still do on the target platform. */
export const Loss = z.object({
  /** Spec field path it concerns, e.g. "tools[0].auth" ("" for the whole agent). */
  path: z.string(),
  message: z.string(),
});
export type Loss = z.infer<typeof Loss>;

export const LintFinding = z.object({
  severity: z.enum(['error', 'warning']),
  /** Spec field path, e.g. "tools[1].endpoint". */
  path: z.string(),
  /** Stable rule id, e.g. "endpoint-not-https". */
  rule: z.string(),
  message: z.string(),
  /** One line telling the user what to do. */
  fix: z.string(),
});
export type LintFinding = z.infer<typeof LintFinding>;

/** One file of a project export; a path ending in "/" is an empty folder of the layout. */
export const ExportFile = z.object({ path: z.string(), content: z.string() });
export type ExportFile = z.infer<typeof ExportFile>;

/** What the Export dialog shows before saving: the file, or why it cannot be written yet. */
export const ExportPreview = z.object({
  format: ExportFormat,
  /** A file name, or for a project the folder name (its .zip is this name plus ".zip"). */
  filename: z.string(),
  /** The whole file (for a project, its agent config), or null when lint errors block the export. */
  content: z.string().nullable(),
  /** Every file of a project export, in write order; absent for single-file formats. */
  files: z.array(ExportFile).optional(),
  /** The project as a .zip, base64: what the preview's Download .zip saves. */
  zipBase64: z.string().optional(),
  findings: z.array(LintFinding),
  losses: z.array(Loss),
});
export type ExportPreview = z.infer<typeof ExportPreview>;
