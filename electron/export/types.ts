import type { ProviderName } from '../../shared/providers';

export const EXPORT_FORMATS = ['elevenlabs', 'openai-realtime', 'vapi', 'markdown', 'parley'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** Something the target file cannot express, or that the user must still do on the target platform. */
export interface Loss {
  /** Spec field path it concerns, e.g. "tools[0].auth" ("" for the whole agent). */
  path: string;
  message: string;
}

export interface LintFinding {
  severity: 'error' | 'warning';
  /** Spec field path, e.g. "tools[1].endpoint". */
  path: string;
  /** Stable rule id, e.g. "endpoint-not-https". */
  rule: string;
  message: string;
  /** One line telling the user what to do. */
  fix: string;
}

export interface ExportOptions {
  /**
   * The model the agent should run on: a configured model id (settings.models[...]) or a target
   * LLM id (e.g. from an imported file). Mapped per target through llm-map.ts.
   */
  model?: string;
  /** Which provider `model` belongs to, when known; used only to pick a closer default. */
  provider?: ProviderName;
  temperature?: number;
}

export interface ExportResult {
  format: ExportFormat;
  /** The whole file: UTF-8 text, trailing newline. */
  content: string;
  /** A safe file name (no directory) the save dialog / CLI can propose. */
  filename: string;
  /** Lint warnings (errors block the export and are thrown instead). */
  warnings: LintFinding[];
  losses: Loss[];
}

/** What each target builder returns before serialisation. */
export interface BuiltExport {
  document: unknown;
  losses: Loss[];
}
