import { describeIssues, ParleyError } from '../../shared/errors';
import type { Message } from '../../shared/session';
import { decodeSessionDocument } from '../../shared/session-migrations';
import { AgentSpec } from '../../shared/spec';
import { MAX_FILE_BYTES, MAX_FILE_MB } from '../../shared/limits';
import type { Loss } from './types';
import { z } from 'zod';
import { IMPORT_SOURCE } from './prompt';
import { isObject } from './schema';
import { ElAgentFile, fromElevenLabs, IMPORT_STAGE } from './import-elevenlabs';
import { FILE_BOUNDS, isLimitIssue, jsonBoundsProblem } from '../../shared/limits';
import { Session as SessionSchema } from '../../shared/session';

export { IMPORT_STAGE, importElevenLabsProject, type ElevenLabsImport } from './import-elevenlabs';

export interface ImportResult {
  kind: 'elevenlabs' | 'parley';
  /** Title for the new session (the agent's name). */
  title: string;
  /** Imported agents resume at the workflow review so the user can rework them. */
  stage: typeof IMPORT_STAGE;
  /** Every field sourced "import". */
  spec: AgentSpec;
  /** The target LLM id the file named (ElevenLabs `llm`), to pass back as ExportOptions.model. */
  llm?: string;
  /** The original chat (Parley files only), so the history stays readable. */
  messages: Message[];
  /** What the file held that Parley does not keep. */
  losses: Loss[];
}

function invalid(message: string): never {
  throw new ParleyError('INVALID_INPUT', message);
}

/** Re-sources every field of a spec as "import", keeping values, confidence and locks. */
function resource(spec: AgentSpec): AgentSpec {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!isObject(value)) return value;
    if ('value' in value && 'confidence' in value && 'source' in value) return { ...value, source: IMPORT_SOURCE };
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'candidates' ? v : walk(v)]));
  };
  return AgentSpec.parse(walk(spec));
}

function fromParley(data: unknown): ImportResult {
  // Files from older Parleys are upgraded exactly as the session store upgrades its own.
  const decoded = decodeSessionDocument(data);
  if (decoded.kind === 'future') invalid(`This Parley session file was written by a newer Parley (format ${decoded.version}); update Parley to import it.`);
  if (decoded.kind === 'invalid') invalid(`This Parley session file is damaged: ${decoded.reason}`);
  const { session } = decoded;
  return {
    kind: 'parley',
    title: session.title,
    stage: IMPORT_STAGE,
    spec: resource(session.spec),
    messages: session.messages,
    losses: [],
  };
}

/** Refuses, naming the limit, what Parley could not keep (shared/limits); anything else goes on to the usual checks. */
function refuseBeyondLimits(checked: { success: boolean; error?: z.ZodError }): void {
  const issues = checked.error?.issues.filter(isLimitIssue) ?? [];
  if (issues.length) invalid(`This file is beyond what Parley can keep: ${describeIssues(new z.ZodError(issues))}.`);
}

/** Parses an import file's text (ElevenLabs create-agent JSON or a Parley session file). */
export function importAgentText(text: string): ImportResult {
  if (text.length > MAX_FILE_BYTES) invalid(`The file is larger than ${MAX_FILE_MB} MB; it is not an agent file.`);
  const body = text.replace(/^\uFEFF/, '');
  if (!body.trim()) invalid('The file is empty; choose an ElevenLabs agent JSON file or a Parley session file.');
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    invalid(`The file is not valid JSON (${error instanceof Error ? error.message : 'parse error'}); it may be truncated. Choose an ElevenLabs agent JSON file or a Parley session file.`);
  }
  if (!isObject(data)) invalid('The file holds JSON but not an object; expected an ElevenLabs agent or a Parley session.');
  // Measured before anything walks it recursively: nesting thousands deep would overflow the stack.
  const beyond = jsonBoundsProblem(data, FILE_BOUNDS);
  if (beyond) invalid(`This file is beyond what Parley can keep: ${beyond.path.length ? `${beyond.path.slice(0, 8).join('.')}${beyond.path.length > 8 ? '.…' : ''} ` : 'it '}${beyond.message}.`);
  if ('schemaVersion' in data && 'spec' in data) {
    refuseBeyondLimits(SessionSchema.safeParse(data));
    return fromParley(data);
  }
  if ('conversation_config' in data) {
    const parsed = ElAgentFile.safeParse(data);
    if (!parsed.success) invalid(`This ElevenLabs agent file has an unexpected shape: ${describeIssues(parsed.error)}`);
    let result: ImportResult;
    try {
      result = { ...fromElevenLabs(parsed.data), messages: [] };
    } catch (error) {
      if (error instanceof z.ZodError) refuseBeyondLimits({ success: false, error });
      throw error;
    }
    refuseBeyondLimits(SessionSchema.shape.spec.safeParse(result.spec));
    return result;
  }
  return invalid('This JSON is neither an ElevenLabs agent (no conversation_config) nor a Parley session file (no schemaVersion and spec).');
}
