import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { Session, SessionSummary } from '../../shared/session';

/**
 * The baseline every ratio is measured against: what a newcomer writes with the same packages.
 * ONE lowdb file holds every session; each operation reads it whole and each change writes it whole.
 */
export interface NaiveData {
  sessions: Session[];
}

export function naiveDb(file: string): Low<NaiveData> {
  return new Low<NaiveData>(new JSONFile<NaiveData>(file), { sessions: [] });
}

export async function naiveSave(file: string, session: Session): Promise<void> {
  const db = naiveDb(file);
  await db.read();
  const at = db.data.sessions.findIndex((s) => s.id === session.id);
  if (at >= 0) db.data.sessions[at] = session;
  else db.data.sessions.push(session);
  await db.write();
}

function summary(s: Session): SessionSummary {
  return { id: s.id, title: s.title, stage: s.stage, agentType: s.spec.agent_type?.value ?? null, updatedAt: s.updatedAt, size: 0 };
}

function newestFirst(a: Session, b: Session): number {
  return a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0;
}

export async function naiveList(file: string, limit = 100): Promise<{ items: SessionSummary[]; total: number }> {
  const db = naiveDb(file);
  await db.read();
  const sorted = [...db.data.sessions].sort(newestFirst);
  return { items: sorted.slice(0, limit).map(summary), total: sorted.length };
}

/** Case-insensitive substring scan over titles, message texts and the spec, as a newcomer would. */
export async function naiveSearch(file: string, query: string, limit = 100): Promise<{ items: SessionSummary[]; total: number }> {
  const db = naiveDb(file);
  await db.read();
  const needle = query.toLowerCase();
  const hits = db.data.sessions.filter(
    (s) =>
      s.title.toLowerCase().includes(needle) ||
      s.messages.some((m) => m.text.toLowerCase().includes(needle)) ||
      JSON.stringify(s.spec).toLowerCase().includes(needle),
  );
  hits.sort(newestFirst);
  return { items: hits.slice(0, limit).map(summary), total: hits.length };
}
