import { z } from 'zod';

/** Export targets; the names are public (CLI --format, file formats). */
export const EXPORT_FORMATS = ['elevenlabs', 'openai-realtime', 'vapi', 'markdown', 'parley'] as const;
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

/** What the Export dialog shows before saving: the file, or why it cannot be written yet. */
export const ExportPreview = z.object({
  format: ExportFormat,
  filename: z.string(),
  /** The whole file, or null when lint errors block the export. */
  content: z.string().nullable(),
  findings: z.array(LintFinding),
  losses: z.array(Loss),
});
export type ExportPreview = z.infer<typeof ExportPreview>;
