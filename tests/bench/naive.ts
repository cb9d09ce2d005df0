import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { Session, SessionSummary } from '../../shared/session';

/**
 * The baselines the ratios are measured against: what a newcomer writes with the same packages.
 * ONE lowdb file holds every session. Two ways of using it are reported: the per-call way below
 * (each operation reads the file whole, each change writes it whole) and `openLowdbAsDocumented`
 * (read once at start, data kept in memory, the whole file written on each save), which is how
 * lowdb's own README uses it and the fairer of the two.
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

function matches(s: Session, needle: string): boolean {
  return (
    s.title.toLowerCase().includes(needle) ||
    s.messages.some((m) => m.text.toLowerCase().includes(needle)) ||
    JSON.stringify(s.spec).toLowerCase().includes(needle)
  );
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
  const hits = db.data.sessions.filter((s) => matches(s, needle));
  hits.sort(newestFirst);
  return { items: hits.slice(0, limit).map(summary), total: hits.length };
}

/** lowdb as its README uses it: `read()` once, keep `db.data` in memory, `write()` the whole file per change. */
export interface LowdbAsDocumented {
  save(session: Session): Promise<void>;
  list(limit?: number): { items: SessionSummary[]; total: number };
  search(query: string, limit?: number): { items: SessionSummary[]; total: number };
}

export async function openLowdbAsDocumented(file: string): Promise<LowdbAsDocumented> {
  const db = naiveDb(file);
  await db.read();
  return {
    async save(session) {
      const at = db.data.sessions.findIndex((s) => s.id === session.id);
      if (at >= 0) db.data.sessions[at] = session;
      else db.data.sessions.push(session);
      await db.write();
    },
    list(limit = 100) {
      const sorted = [...db.data.sessions].sort(newestFirst);
      return { items: sorted.slice(0, limit).map(summary), total: sorted.length };
    },
    search(query, limit = 100) {
      const hits = db.data.sessions.filter((s) => matches(s, query.toLowerCase()));
      hits.sort(newestFirst);
      return { items: hits.slice(0, limit).map(summary), total: hits.length };
    },
  };
}
