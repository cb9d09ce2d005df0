import type { ProviderName } from '../../shared/providers';

export { EXPORT_FORMATS, isExportFormat, type ExportFormat, type Loss, type LintFinding } from '../../shared/export';
import type { ExportFormat, LintFinding, Loss } from '../../shared/export';

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
