import { z } from 'zod';
import { Message, Session } from '../../shared/session';

/**
 * A session's journal (`sessions/<id>.journal`): JSON lines appended with fdatasync by a turn's
 * saves, each holding the messages not yet in the session file, the session's state without
 * its messages, and the revision that state has. The file plus its journal is the session; the
 * store rewrites the file and removes the journal shortly after.
 *
 * Which state is newest is decided by revision, a counter the store raises on every save of a
 * session and writes into the file and into each line, never by `updatedAt`: a clock stepped
 * back, or a file saved with a future timestamp, must not make a newer state look older.
 */
const Revision = z.number().int().nonnegative();
const JournalEntry = z.object({
  messages: z.array(Message),
  state: Session.omit({ messages: true }).optional(),
  /** Absent in lines written before revisions existed. */
  revision: Revision.optional(),
});

export function journalLine(messages: Session['messages'], state: Omit<Session, 'messages'>, revision: number): string {
  return `${JSON.stringify({ messages, state, revision })}\n`;
}

/** The revision stored in a session file's JSON, or undefined for a file written before revisions. */
export function revisionOf(doc: unknown): number | undefined {
  if (typeof doc !== 'object' || doc === null || !('revision' in doc)) return undefined;
  const parsed = Revision.safeParse(doc.revision);
  return parsed.success ? parsed.data : undefined;
}

function parseLine(line: string): z.infer<typeof JournalEntry> | null {
  try {
    const entry = JournalEntry.safeParse(JSON.parse(line));
    return entry.success ? entry.data : null;
  } catch {
    return null;
  }
}

/**
 * Whether a line's state is newer than the current one. Without revisions on either side (a
 * journal and file from before revisions) the old rule, by timestamp, is all there is. A line
 * without a revision after a file with one was written by an older Parley before that file,
 * which already holds it.
 */
function isNewer(line: number | undefined, current: number | undefined, lineAt: string, currentAt: string): boolean {
  if (line !== undefined) return current === undefined || line > current;
  return current === undefined && lineAt >= currentAt;
}

/**
 * Applies a journal to the session read from its file (at `fileRevision`): appends the messages
 * it does not hold (by id, so a journal already folded into the file changes nothing) and takes
 * the state with the highest revision. A line torn by a crash mid-append is skipped: nothing
 * acknowledged is in it.
 */
export function replayJournal(
  session: Session,
  text: string,
  fileRevision?: number,
): { session: Session; added: Set<string>; revision: number | undefined } {
  const have = new Set(session.messages.map((m) => m.id));
  const added = new Set<string>();
  let current = session;
  let revision = fileRevision;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const entry = parseLine(line);
    if (!entry) continue;
    const fresh = entry.messages.filter((m) => !have.has(m.id));
    for (const m of fresh) {
      have.add(m.id);
      added.add(m.id);
    }
    const messages = fresh.length ? current.messages.concat(fresh) : current.messages;
    if (entry.state && isNewer(entry.revision, revision, entry.state.updatedAt, current.updatedAt)) {
      current = { ...entry.state, messages };
      revision = entry.revision ?? revision;
    } else if (fresh.length) {
      current = { ...current, messages };
    }
  }
  return { session: current, added, revision };
}
