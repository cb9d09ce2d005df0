/**
 * Recovery after a crash orders versions by revision, never by clock: a file saved with a future
 * timestamp, or a clock stepped back between saves, must not make the journal's newer state look
 * older. A crash is simulated by opening a second store on the folder before the first one has
 * rewritten the file (its checkpoint is far away).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message, Session } from '../../shared/session';
import { makeSession } from '../../tests/support/session-fixtures';
import { createSessionStore } from './sessions';
import { createSessionService } from '../services/sessions';
import type { SessionStore } from './types';

const dirs: string[] = [];
const stores: SessionStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.flush();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-revision-'));
  dirs.push(dir);
  return dir;
}

/** A store whose journal stays unfolded for the whole test, so a second store reads what a crash leaves. */
async function running(dataDir: string, clock?: () => Date): Promise<SessionStore> {
  const store = await createSessionStore({ dataDir, clock, verifyOnOpen: false, checkpointMs: 600_000 });
  stores.push(store);
  return store;
}
const afterCrash = async (dataDir: string, id: string) => (await createSessionStore({ dataDir, verifyOnOpen: false })).get(id);

const said = (n: number, at: string): Message => ({ id: `m-${n}`, role: 'user', text: `message ${n}`, createdAt: at, status: 'complete' });
const sessionPath = (dataDir: string, id: string) => join(dataDir, 'sessions', `${id}.json`);
const journalPath = (dataDir: string, id: string) => join(dataDir, 'sessions', `${id}.journal`);

describe('journal replay by revision', () => {
  it('keeps a turn saved after a file with a future timestamp', async () => {
    const dataDir = await tempDir();
    const store = await running(dataDir);
    const base = await store.create(makeSession(1, { messages: 2 }));
    // Saved on a machine whose clock ran ahead (or imported from one).
    await store.save({ ...base, title: 'From the future', updatedAt: '2999-01-01T00:00:00.000Z' });
    const now = '2027-03-01T10:00:00.000Z';
    const turn: Session = { ...(await store.get(base.id)), stage: 'CONFIGURING_TOOLS', title: 'Booking agent', messages: [...base.messages, said(1, now)], updatedAt: now };
    await store.journal(turn);

    const read = await afterCrash(dataDir, base.id);
    expect([read.stage, read.title, read.messages.length]).toEqual(['CONFIGURING_TOOLS', 'Booking agent', 3]);
  });

  it('keeps every change made while the clock steps back (through the session service)', async () => {
    const dataDir = await tempDir();
    let t = Date.parse('2027-03-01T10:00:00.000Z');
    const clock = () => new Date(t);
    const store = await running(dataDir, clock);
    const sessions = createSessionService({ store, clock, newId: () => 'unused' });
    const base = await sessions.create(makeSession(2, { messages: 2 }));
    await sessions.rename(base.id, 'Renamed at ten'); // a whole-file save
    t -= 3_600_000; // NTP steps the clock back an hour
    await sessions.update(base.id, (s) => ({ ...s, stage: 'EXPLORING_TOOLS', messages: [...s.messages, said(1, clock().toISOString())], updatedAt: clock().toISOString() }), { journal: true });
    t -= 60_000;
    await sessions.update(base.id, (s) => ({ ...s, awaiting: 'tools[0].name', messages: [...s.messages, said(2, clock().toISOString())], updatedAt: clock().toISOString() }), { journal: true });

    const read = await afterCrash(dataDir, base.id);
    expect([read.title, read.stage, read.awaiting, read.messages.map((m) => m.id).slice(-2)]).toEqual([
      'Renamed at ten',
      'EXPLORING_TOOLS',
      'tools[0].name',
      ['m-1', 'm-2'],
    ]);
  });

  it('ignores journal lines older than the file even when their timestamps are later', async () => {
    const dataDir = await tempDir();
    const s = makeSession(3, { messages: 2 });
    const store = await running(dataDir);
    await store.create(s);
    await store.flush();
    // A crash between rewriting the file (revision 5) and removing the journal it folded in.
    await writeFile(sessionPath(dataDir, s.id), JSON.stringify({ ...s, title: 'Newest', stage: 'COMPLETED', revision: 5 }));
    const { messages: _m, ...state } = s;
    await writeFile(journalPath(dataDir, s.id), `${JSON.stringify({ messages: [], state: { ...state, title: 'Stale', updatedAt: '2999-01-01T00:00:00.000Z' }, revision: 4 })}\n`);
    const read = await afterCrash(dataDir, s.id);
    expect([read.title, read.stage]).toEqual(['Newest', 'COMPLETED']);
  });

  it('loads files and journals written before revisions, and continues from them', async () => {
    const dataDir = await tempDir();
    const s = makeSession(4, { messages: 2 });
    const store = await running(dataDir);
    await store.create(s);
    await store.flush();
    // The old layout: no revision in the file or in the journal's lines; the old rule (by time) applies.
    const legacy = { ...s, updatedAt: '2027-01-01T00:00:00.000Z' };
    await writeFile(sessionPath(dataDir, s.id), JSON.stringify(legacy));
    const { messages: _m, ...state } = legacy;
    const line = { messages: [said(1, '2027-01-02T00:00:00.000Z')], state: { ...state, title: 'Journaled', updatedAt: '2027-01-02T00:00:00.000Z' } };
    await writeFile(journalPath(dataDir, s.id), `${JSON.stringify(line)}\n`);

    const reopened = await running(dataDir);
    const read = await reopened.get(s.id);
    expect([read.title, read.messages.length]).toEqual(['Journaled', 3]);
    await reopened.save({ ...read, title: 'Saved again', updatedAt: '2020-01-01T00:00:00.000Z' });
    await reopened.flush();
    const file = JSON.parse(await readFile(sessionPath(dataDir, s.id), 'utf8')) as Session & { revision: number };
    expect([file.title, file.revision, file.messages.length]).toEqual(['Saved again', 1, 3]);
    expect((await afterCrash(dataDir, s.id)).title).toBe('Saved again');
  });
});
