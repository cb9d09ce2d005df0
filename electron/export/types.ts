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
  /** The Parley version of the design ("v12"): written into the project README and the agent's tags. */
  version?: string;
}

export interface ExportResult {
  format: ExportFormat;
  /** The whole file: UTF-8 text, trailing newline. For a project, its agent config. */
  content: string;
  /** Every file of a project export (format "elevenlabs"), in write order. */
  files?: ProjectFile[];
  /** A safe file name (no directory) the save dialog / CLI can propose; for a project, a folder name. */
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

/**
 * One file of a multi-file export, relative to the export's root with "/" separators. A path
 * ending in "/" is an (empty) folder the layout needs, such as test_configs/.
 */
export interface ProjectFile {
  path: string;
  content: string;
}

/** Files already in the folder (or .zip) an export goes to, by relative path: read by the caller. */
export type ExistingFiles = ReadonlyMap<string, string>;
