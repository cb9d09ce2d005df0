import { z } from 'zod';
import { Message, Session } from '../../shared/session';

/**
 * A session's journal (`sessions/<id>.journal`): JSON lines appended with fdatasync by a turn's
 * saves, each holding the messages not yet in the session file and the session's state without
 * its messages. The file plus its journal is the session; the store rewrites the file and
 * removes the journal shortly after.
 */
const JournalEntry = z.object({ messages: z.array(Message), state: Session.omit({ messages: true }).optional() });

export function journalLine(messages: Session['messages'], state: Omit<Session, 'messages'>): string {
  return `${JSON.stringify({ messages, state })}\n`;
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
 * Applies a journal to the session read from its file: appends the messages it does not hold
 * (by id, so a journal already folded into the file changes nothing) and takes the newest
 * state. A line torn by a crash mid-append is skipped: nothing acknowledged is in it.
 */
export function replayJournal(session: Session, text: string): { session: Session; added: Set<string> } {
  const have = new Set(session.messages.map((m) => m.id));
  const added = new Set<string>();
  let current = session;
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
    if (entry.state && entry.state.updatedAt >= current.updatedAt) current = { ...entry.state, messages };
    else if (fresh.length) current = { ...current, messages };
  }
  return { session: current, added };
}
