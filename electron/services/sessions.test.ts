import { mkdtemp, readdir, rm, writeFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../shared/errors';
import { SESSION_SCHEMA_VERSION } from '../../shared/session';
import { fixtureId, makeSession } from '../../tests/support/session-fixtures';
import { createSessionStore } from '../store/sessions';
import { createSessionService, type ChangeReason, type SessionService } from './sessions';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

let uuidCounter = 0;
const newId = () => `20000000-0000-4000-8000-${(++uuidCounter).toString(16).padStart(12, '0')}`;

async function open(changes: Array<[string, ChangeReason]> = []): Promise<{ dataDir: string; sessions: SessionService }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-service-'));
  dirs.push(dataDir);
  const clock = () => new Date('2027-01-01T00:00:00.000Z');
  const store = await createSessionStore({ dataDir, clock, newId });
  return { dataDir, sessions: createSessionService({ store, clock, newId, onChanged: (id, reason) => changes.push([id, reason]) }) };
}

async function rejection(promise: Promise<unknown>): Promise<ParleyError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ParleyError) return error;
    throw error;
  }
  throw new Error('expected a ParleyError');
}

describe('session service', () => {
  it('renames, duplicates as a template, deletes to the trash and restores, announcing each change', async () => {
    const changes: Array<[string, ChangeReason]> = [];
    const { dataDir, sessions } = await open(changes);
    const original = await sessions.create(makeSession(3, { messages: 6 }));

    const renamed = await sessions.rename(original.id, '  Dental   front desk ');
    expect(renamed.title).toBe('Dental front desk');
    expect(renamed.updatedAt).toBe('2027-01-01T00:00:00.000Z');
    expect((await rejection(sessions.rename(original.id, '   '))).code).toBe('INVALID_INPUT');

    const copy = await sessions.duplicate(original.id);
    expect(copy.id).not.toBe(original.id);
    expect(copy.title).toBe('Dental front desk (copy)');
    expect(copy.messages).toEqual([]);
    expect(copy.spec.tools).toHaveLength(3);
    expect(copy.spec.goals).toEqual(original.spec.goals);
    expect((await sessions.get(copy.id)).messages).toEqual([]);

    await sessions.delete(original.id);
    expect((await rejection(sessions.get(original.id))).code).toBe('NOT_FOUND');
    expect((await sessions.list()).items.map((s) => s.id)).toEqual([copy.id]);
    expect(await readdir(join(dataDir, 'trash'))).toEqual([`${original.id}.json`]);
    expect((await rejection(sessions.rename(original.id, 'late'))).code).toBe('NOT_FOUND'); // no resurrection by a late change

    const restored = await sessions.restore(original.id);
    expect(restored.title).toBe('Dental front desk');
    expect((await sessions.list()).total).toBe(2);
    expect((await rejection(sessions.restore(original.id))).code).toBe('CONFLICT');
    expect((await rejection(sessions.restore(fixtureId(42)))).code).toBe('NOT_FOUND');
    expect(changes).toEqual([
      [original.id, 'created'],
      [original.id, 'updated'],
      [copy.id, 'created'],
      [original.id, 'deleted'],
      [original.id, 'created'],
    ]);
  });

  it('computes every change from the newest version: concurrent changes all land', async () => {
    const { sessions } = await open();
    const s = await sessions.create(makeSession(4, { messages: 2 }));
    await Promise.all([
      sessions.rename(s.id, 'Renamed'),
      sessions.setProvider(s.id, 'anthropic'),
      sessions.update(s.id, (latest) => ({ ...latest, awaiting: 'goals' })),
      sessions.update(s.id, (latest) => ({ ...latest, messages: latest.messages.slice(0, 1) }), { journal: false }),
    ]);
    await sessions.flush();
    const after = await sessions.get(s.id);
    expect([after.title, after.provider, after.awaiting, after.messages.length]).toEqual(['Renamed', 'anthropic', 'goals', 1]);
  });

  it('a change that throws leaves the session as it was and does not block the next one', async () => {
    const { sessions } = await open();
    const s = await sessions.create(makeSession(5, { messages: 2 }));
    const failing = sessions.update(s.id, () => {
      throw new ParleyError('INVALID_INPUT', 'refused');
    });
    const next = sessions.rename(s.id, 'Still works');
    expect((await rejection(failing)).code).toBe('INVALID_INPUT');
    expect((await next).title).toBe('Still works');
  });

  it('refuses to change a session written by a newer Parley', async () => {
    const { dataDir, sessions: first } = await open();
    await first.flush();
    const future = { ...makeSession(1, { messages: 3 }), schemaVersion: SESSION_SCHEMA_VERSION + 1, title: 'From the future' };
    await writeFile(join(dataDir, 'sessions', `${fixtureId(1)}.json`), JSON.stringify(future));
    await unlink(join(dataDir, 'index.json')).catch(() => undefined);
    const store = await createSessionStore({ dataDir, newId });
    const sessions = createSessionService({ store, clock: () => new Date(), newId });
    expect((await rejection(sessions.rename(fixtureId(1), 'x'))).code).toBe('READ_ONLY');
    expect((await rejection(sessions.setProvider(fixtureId(1), 'openai'))).code).toBe('READ_ONLY');
    expect((await sessions.duplicate(fixtureId(1))).title).toBe('From the future (copy)');
  });
});
