import { decodeSessionDocument as upgrade, parseSessionJson, type Decoded as Upgraded } from '../../shared/session-migrations';
import { revisionOf } from './journal';

export { MIGRATIONS, versionOf } from '../../shared/session-migrations';

/**
 * The store's reading of a session file: the version upgrades are shared (importing a Parley file
 * runs the same ones, shared/session-migrations.ts); the store adds the save counter it keeps in
 * its files.
 */
export type Decoded =
  /** `revision`: the store's save counter kept beside the session in its file; undefined in files from before it. */
  | (Extract<Upgraded, { kind: 'ok' }> & { revision: number | undefined })
  | Exclude<Upgraded, { kind: 'ok' }>;

/** Parses file text into a current-version session, or says why it cannot. Pure. */
export function decodeSessionText(text: string): Decoded {
  const parsed = parseSessionJson(text);
  return parsed.kind === 'json' ? decodeSessionDocument(parsed.raw) : parsed;
}

export function decodeSessionDocument(raw: unknown): Decoded {
  const decoded = upgrade(raw);
  return decoded.kind === 'ok' ? { ...decoded, revision: revisionOf(raw) } : decoded;
}
