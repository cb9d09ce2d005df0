import { describeIssues } from './errors';
import { toLanguageTag } from './language';
import { SESSION_SCHEMA_VERSION, Session } from './session';

type Doc = Record<string, unknown>;

/**
 * Pure upgrades, keyed by the version they upgrade FROM. Each returns a new object and never
 * mutates its input, so a failed later step cannot leave a half-migrated document behind.
 *
 * Version 0 is the pre-release layout: no `schemaVersion`, and `stageHistory`, `awaiting`,
 * `usage` and `provider` may be absent.
 */
export const MIGRATIONS: Readonly<Record<number, (doc: Doc) => Doc>> = {
  0: (doc) => {
    const stage = typeof doc.stage === 'string' ? doc.stage : 'INITIAL';
    const at = typeof doc.createdAt === 'string' ? doc.createdAt : typeof doc.updatedAt === 'string' ? doc.updatedAt : new Date(0).toISOString();
    return {
      ...doc,
      schemaVersion: 1,
      provider: doc.provider ?? 'auto',
      stage,
      stageHistory: Array.isArray(doc.stageHistory) ? doc.stageHistory : [{ stage, at }],
      awaiting: doc.awaiting === undefined ? null : doc.awaiting,
      usage: Array.isArray(doc.usage) ? doc.usage : [],
    };
  },
  /**
   * Version 2 adds what a deployable agent needs (business name, call direction, transfers,
   * voicemail, knowledge base, data collection, voice, the agent's own LLM settings…), all
   * optional, and stores the language as a BCP-47 tag. A language name this Parley recognises
   * ("Spanish") becomes its tag ("es") with its confidence, source and lock kept; anything else
   * is left as written, for the user to correct.
   */
  1: (doc) => {
    const spec = isDoc(doc.spec) ? doc.spec : null;
    const language = spec && isDoc(spec.language) ? spec.language : null;
    const tag = language && typeof language.value === 'string' ? toLanguageTag(language.value) : null;
    return {
      ...doc,
      schemaVersion: 2,
      ...(spec && language && tag ? { spec: { ...spec, language: { ...language, value: tag } } } : {}),
    };
  },
};

function isDoc(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type Decoded =
  | { kind: 'ok'; session: Session; migratedFrom: number | null }
  /** Written by a newer Parley: shown read-only (when it still reads as a session), never overwritten. */
  | { kind: 'future'; version: number; session: Session | null; raw: Doc }
  | { kind: 'invalid'; reason: string };

export function versionOf(doc: Doc): number | null {
  if (!('schemaVersion' in doc)) return 0;
  const v = doc.schemaVersion;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

/** A session file's text as JSON, or why it is not (empty, truncated, damaged). Pure. */
export function parseSessionJson(text: string): { kind: 'json'; raw: unknown } | { kind: 'invalid'; reason: string } {
  if (text.trim() === '') return { kind: 'invalid', reason: 'the file is empty' };
  try {
    return { kind: 'json', raw: JSON.parse(text) as unknown };
  } catch (error) {
    return { kind: 'invalid', reason: `not valid JSON (${(error as Error).message}); the file is probably truncated or damaged` };
  }
}

/** Parses file text into a current-version session, or says why it cannot. Pure. */
export function decodeSessionText(text: string): Decoded {
  const parsed = parseSessionJson(text);
  return parsed.kind === 'json' ? decodeSessionDocument(parsed.raw) : parsed;
}

export function decodeSessionDocument(raw: unknown): Decoded {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { kind: 'invalid', reason: 'the file does not contain a session object' };
  }
  let doc = raw as Doc;
  const version = versionOf(doc);
  if (version === null) return { kind: 'invalid', reason: `schemaVersion must be a whole number, found ${JSON.stringify(doc.schemaVersion)}` };
  if (version > SESSION_SCHEMA_VERSION) {
    // Best effort view for display; fields this version does not know are simply not shown.
    const view = Session.safeParse({ ...doc, schemaVersion: SESSION_SCHEMA_VERSION });
    return { kind: 'future', version, session: view.success ? view.data : null, raw: doc };
  }
  for (let v = version; v < SESSION_SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) return { kind: 'invalid', reason: `no migration from schema version ${v}` };
    doc = step(doc);
  }
  const parsed = Session.safeParse(doc);
  if (!parsed.success) return { kind: 'invalid', reason: `not a valid session: ${describeIssues(parsed.error)}` };
  return { kind: 'ok', session: parsed.data, migratedFrom: version === SESSION_SCHEMA_VERSION ? null : version };
}
