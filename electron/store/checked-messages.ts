import type { z } from 'zod';
import { messagesFitTogether } from '../../shared/limits';
import { Session, type Message } from '../../shared/session';

/**
 * Messages this process has checked against the schema, frozen so that they cannot change after.
 * The store's copies of a session share them (get() copies everything else), so a turn's save
 * checks only the messages it adds: on an 80-message session a full check took 0.3–0.6 ms a save.
 */
const checked = new WeakSet<object>();

export function markChecked(messages: readonly Message[]): void {
  for (const m of messages) {
    if (checked.has(m)) continue;
    Object.freeze(m);
    checked.add(m);
  }
}

/** A copy of a session for a caller: everything is copied except the (frozen) checked messages. */
export function copySession(session: Session): Session {
  const copy = structuredClone({ ...session, messages: [] as Message[] });
  copy.messages = [...session.messages];
  return copy;
}

/**
 * Session.safeParse, checking only the messages not checked before (the whole list's size limit
 * still counts them all). On any problem the whole session is checked, so errors read as before.
 */
export function checkSession(session: unknown): z.ZodSafeParseResult<Session> {
  const messages = messagesOf(session);
  const fresh = messages?.filter((m) => !checked.has(m));
  if (!messages || !fresh || fresh.length === messages.length) return fullCheck(session);
  const parsed = Session.safeParse({ ...(session as object), messages: fresh });
  if (!parsed.success) return fullCheck(session);
  let k = 0;
  const all = messages.map((m) => (checked.has(m) ? (m as Message) : parsed.data.messages[k++]!));
  if (!messagesFitTogether(all)) return fullCheck(session);
  markChecked(all);
  return { success: true, data: { ...parsed.data, messages: all } };
}

function fullCheck(session: unknown): z.ZodSafeParseResult<Session> {
  const parsed = Session.safeParse(session);
  if (parsed.success) markChecked(parsed.data.messages);
  return parsed;
}

function messagesOf(session: unknown): object[] | null {
  if (typeof session !== 'object' || session === null) return null;
  const { messages } = session as { messages?: unknown };
  return Array.isArray(messages) && messages.every((m): m is object => typeof m === 'object' && m !== null) ? messages : null;
}
