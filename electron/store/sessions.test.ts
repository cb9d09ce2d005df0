import { mkdtemp, readFile, readdir, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../shared/errors';
import { SESSION_SCHEMA_VERSION, type Session } from '../../shared/session';
import { codeword, fixtureId, makeSession } from '../../tests/support/session-fixtures';
import { createSessionStore, type SessionStoreOptions } from './sessions';
import type { SessionStore } from './types';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

let uuidCounter = 0;
const newId = () => `10000000-0000-4000-8000-${(++uuidCounter).toString(16).padStart(12, '0')}`;

async function open(dataDir: string, extra: Partial<SessionStoreOptions> = {}): Promise<SessionStore> {
  return createSessionStore({ dataDir, clock: () => new Date('2027-01-01T00:00:00.000Z'), newId, ...extra });
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

const sessionFile = (dataDir: string, id: string) => join(dataDir, 'sessions', `${id}.json`);

describe('session store: basic operations', () => {
  it('creates, reads back, saves and lists newest first with paging', async () => {
    const dataDir = await tempDir();
    const store = await open(dataDir);
    for (let i = 0; i < 5; i++) await store.create(makeSession(i, { messages: 4 }));
    const got = await store.get(fixtureId(2));
    expect(got).toEqual(makeSession(2, { messages: 4 }));

    got.title = 'Renamed by save';
    got.updatedAt = '2030-01-01T00:00:00.000Z';
    await store.save(got);
    const onDisk = JSON.parse(await readFile(sessionFile(dataDir, got.id), 'utf8')) as Session;
    expect(onDisk.title).toBe('Renamed by save');
    expect(onDisk.schemaVersion).toBe(SESSION_SCHEMA_VERSION);

    const page1 = await store.list({ limit: 2 });
    expect(page1.total).toBe(5);
    expect(page1.items.map((s) => s.id)).toEqual([fixtureId(2), fixtureId(4)]);
    expect(page1.items[0]).toMatchObject({ title: 'Renamed by save', agentType: 'restaurant reservations', stage: 'EXPLORING_TOOLS' });
    expect(page1.items[0]?.size).toBe((await stat(sessionFile(dataDir, got.id))).size);
    const page2 = await store.list({ offset: 2, limit: 2 });
    expect(page2.items.map((s) => s.id)).toEqual([fixtureId(3), fixtureId(1)]);
    await store.flush();

    // A second store over the same folder sees the same thing, from the index.
    const again = await open(dataDir);
    expect((await again.list()).items.map((s) => s.id)).toEqual([2, 4, 3, 1, 0].map(fixtureId));
    expect((await again.get(got.id)).title).toBe('Renamed by save');
  });

  it('rejects a duplicate create, a save of an unknown session and an invalid session', async () => {
    const store = await open(await tempDir());
    await store.create(makeSession(1, { messages: 2 }));
    expect((await rejection(store.create(makeSession(1, { messages: 2 })))).code).toBe('CONFLICT');
    expect((await rejection(store.save(makeSession(7, { messages: 2 })))).code).toBe('NOT_FOUND');
    const broken = { ...makeSession(1, { messages: 2 }), stage: 'NOPE' } as unknown as Session;
    const err = await rejection(store.save(broken));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(/stage/);
  });

  it('rejects malformed ids and path traversal before touching the disk', async () => {
    const dataDir = await tempDir();
    await writeFile(join(dataDir, 'secret.json'), '{"schemaVersion":1}');
    const store = await open(dataDir);
    for (const bad of ['../secret', '../../etc/passwd', 'secret', '', '00000000-0000-4000-8000-00000000000g', '00000000-0000-4000-8000-000000000001/../x', 'C:\\x']) {
      expect((await rejection(store.get(bad))).code).toBe('INVALID_INPUT');
      expect((await rejection(store.check(bad))).code).toBe('INVALID_INPUT');
      expect((await rejection(store.delete(bad))).code).toBe('INVALID_INPUT');
      expect((await rejection(store.restore(bad))).code).toBe('INVALID_INPUT');
      expect((await rejection(store.exportRaw(bad))).code).toBe('INVALID_INPUT');
    }
    const traversal = { ...makeSession(1, { messages: 1 }), id: '../../escape' } as Session;
    expect((await rejection(store.create(traversal))).code).toBe('INVALID_INPUT');
    expect((await rejection(store.get(fixtureId(99)))).code).toBe('NOT_FOUND');
    expect((await rejection(store.check(fixtureId(99)))).code).toBe('NOT_FOUND');
    expect(await readdir(dataDir)).not.toContain('escape.json');
    expect(await readFile(join(dataDir, 'secret.json'), 'utf8')).toBe('{"schemaVersion":1}');
  });

  it('exports the raw file and imports it back, giving a clashing id a new one', async () => {
    const store = await open(await tempDir());
    const s = await store.create(makeSession(5, { messages: 3 }));
    await expect(store.check(s.id)).resolves.toBeUndefined();
    const raw = await store.exportRaw(s.id);
    expect(JSON.parse(raw)).toEqual({ ...s, revision: 1 }); // the bytes as stored, with the store's revision counter

    const other = await open(await tempDir());
    const imported = await other.importRaw(raw);
    expect(imported).toEqual(s);
    const clash = await other.importRaw(raw);
    expect(clash.id).not.toBe(s.id);
    expect(clash.messages).toEqual(s.messages);
    expect((await rejection(other.importRaw('{"not": "a session"'))).code).toBe('INVALID_INPUT');
    expect((await rejection(other.importRaw(JSON.stringify({ ...s, schemaVersion: 9 })))).message).toMatch(/newer version/);
  });

  it('searches titles, message text and spec values, folding case and accents', async () => {
    const store = await open(await tempDir());
    for (let i = 0; i < 20; i++) await store.create(makeSession(i, { messages: 40 }));
    const byWord = await store.list({ search: codeword(13) });
    expect(byWord.items.map((s) => s.id)).toEqual([fixtureId(13)]);
    expect((await store.list({ search: codeword(13).toUpperCase() })).total).toBe(1);

    const s = await store.get(fixtureId(4));
    s.spec.goals = { value: 'Serve Crème Brûlée at the Ångström lounge', confidence: 0.9, source: 'm1', locked: false };
    await store.save(s);
    expect((await store.list({ search: 'creme brulee angstrom' })).items.map((x) => x.id)).toEqual([fixtureId(4)]);
    expect((await store.list({ search: 'creme nonexistentword' })).total).toBe(0);
    expect((await store.list({ search: '#17' })).items.map((x) => x.id)).toContain(fixtureId(17)); // title
  });

  it('coalesces queued saves and writes the newest', async () => {
    const dataDir = await tempDir();
    const store = await open(dataDir);
    const s = await store.create(makeSession(1, { messages: 2 }));
    await Promise.all(
      Array.from({ length: 20 }, (_, k) => store.save({ ...s, title: `t${k}`, updatedAt: `2027-02-01T00:00:${String(k).padStart(2, '0')}.000Z` })),
    );
    expect(JSON.parse(await readFile(sessionFile(dataDir, s.id), 'utf8')).title).toBe('t19');
  });
});

describe('session store: damaged, old and newer files', () => {
  async function seeded(n: number) {
    const dataDir = await tempDir();
    const store = await open(dataDir);
    for (let i = 0; i < n; i++) await store.create(makeSession(i, { messages: 3 }));
    await store.flush();
    return dataDir;
  }

  it('quarantines corrupt, truncated and empty files with a reason and loads the rest', async () => {
    const dataDir = await seeded(6);
    const full = await readFile(sessionFile(dataDir, fixtureId(1)), 'utf8');
    await writeFile(sessionFile(dataDir, fixtureId(1)), full.slice(0, full.length / 2)); // truncated
    await writeFile(sessionFile(dataDir, fixtureId(2)), ''); // empty
    await writeFile(sessionFile(dataDir, fixtureId(3)), JSON.stringify({ schemaVersion: 1, id: fixtureId(3), title: 5 })); // invalid
    await unlink(join(dataDir, 'index.json')); // force the rebuild that reads every file

    const store = await open(dataDir);
    const list = await store.list();
    expect(list.items.map((s) => s.id).sort()).toEqual([0, 4, 5].map(fixtureId).sort());
    expect(list.quarantined.map((q) => q.file).sort()).toEqual([1, 2, 3].map((i) => `quarantine/${fixtureId(i)}.json`).sort());
    const reasons = Object.fromEntries(list.quarantined.map((q) => [q.file, q.reason]));
    expect(reasons[`quarantine/${fixtureId(1)}.json`]).toMatch(/not valid JSON/);
    expect(reasons[`quarantine/${fixtureId(2)}.json`]).toMatch(/empty/);
    expect(reasons[`quarantine/${fixtureId(3)}.json`]).toMatch(/title/);
    // The bad file is kept, byte for byte, next to its reason file.
    expect(await readFile(join(dataDir, 'quarantine', `${fixtureId(1)}.json`), 'utf8')).toBe(full.slice(0, full.length / 2));
    const reasonFile = JSON.parse(await readFile(join(dataDir, 'quarantine', `${fixtureId(2)}.json.reason.json`), 'utf8'));
    expect(reasonFile).toMatchObject({ file: `quarantine/${fixtureId(2)}.json`, at: '2027-01-01T00:00:00.000Z' });

    // A later run still reports them.
    expect((await (await open(dataDir)).list()).quarantined).toHaveLength(3);
  });

  it('quarantines a file that went bad behind an up-to-date index when it is opened', async () => {
    const dataDir = await seeded(3);
    await writeFile(sessionFile(dataDir, fixtureId(1)), '{"schemaVersion": 1, "id": ');
    const store = await open(dataDir, { verifyOnOpen: false });
    const err = await rejection(store.get(fixtureId(1)));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.message).toMatch(/quarantine/);
    const list = await store.list();
    expect(list.total).toBe(2);
    expect(list.quarantined).toHaveLength(1);
  });

  it('opens a newer-version file read-only, never overwrites it, and says so', async () => {
    const dataDir = await seeded(2);
    const future = { ...makeSession(1, { messages: 3 }), schemaVersion: SESSION_SCHEMA_VERSION + 1, title: 'From the future', newField: { x: 1 } };
    const text = JSON.stringify(future);
    await writeFile(sessionFile(dataDir, fixtureId(1)), text);
    await unlink(join(dataDir, 'index.json'));

    const store = await open(dataDir);
    const list = await store.list();
    expect(list.items.map((s) => s.title)).toContain('From the future');
    expect(list.quarantined).toEqual([]);
    const s = await store.get(fixtureId(1));
    expect(s.title).toBe('From the future');
    expect(store.isReadOnly(fixtureId(1))).toBe(true);
    expect(store.notices().join('\n')).toMatch(new RegExp(`newer version of Parley \\(schema ${SESSION_SCHEMA_VERSION + 1}\\)`));
    expect((await rejection(store.save(s))).code).toBe('READ_ONLY');
    expect(await readFile(sessionFile(dataDir, fixtureId(1)), 'utf8')).toBe(text);

    // Still read-only in the next run, when it comes from the index rather than the file.
    const next = await open(dataDir);
    expect((await rejection(next.save(s))).code).toBe('READ_ONLY');
  });

  it('migrates a version-0 file on read and writes the current version on save', async () => {
    const dataDir = await seeded(1);
    const legacy: Record<string, unknown> = { ...makeSession(1, { messages: 2 }) };
    delete legacy.schemaVersion;
    delete legacy.stageHistory;
    delete legacy.awaiting;
    await writeFile(sessionFile(dataDir, fixtureId(1)), JSON.stringify(legacy));
    const store = await open(dataDir);
    const s = await store.get(fixtureId(1));
    expect(s.schemaVersion).toBe(SESSION_SCHEMA_VERSION);
    expect(s.awaiting).toBeNull();
    await store.save(s);
    expect(JSON.parse(await readFile(sessionFile(dataDir, fixtureId(1)), 'utf8')).schemaVersion).toBe(SESSION_SCHEMA_VERSION);
  });
});

describe('session store: the index', () => {
  it('writes its snapshot in ASCII (non-ASCII titles as \\u escapes) and reads the same titles back', async () => {
    const dataDir = await tempDir();
    const store = await open(dataDir);
    const titles = ['Réservations — café', 'Книга бронирования', '予約 📅'];
    for (const [i, title] of titles.entries()) await store.create({ ...makeSession(i, { messages: 2 }), title });
    await unlink(join(dataDir, 'index.json'));
    const rebuilt = await open(dataDir); // the rebuild writes the snapshot
    await rebuilt.flush();
    const bytes = await readFile(join(dataDir, 'index.json'));
    expect([...bytes].every((b) => b < 0x80)).toBe(true);
    expect((await open(dataDir).then((s) => s.list())).items.map((i) => i.title).sort()).toEqual([...titles].sort());
  });

  it('is rebuilt from the files when deleted or damaged', async () => {
    const dataDir = await tempDir();
    const store = await open(dataDir);
    for (let i = 0; i < 30; i++) await store.create(makeSession(i, { messages: 5 }));
    await store.flush();
    const expected = await store.list({ limit: 100 });

    await unlink(join(dataDir, 'index.json'));
    await unlink(join(dataDir, 'index.log'));
    await unlink(join(dataDir, 'search.log'));
    const rebuilt = await open(dataDir);
    expect(await rebuilt.list({ limit: 100 })).toEqual(expected);
    expect((await rebuilt.list({ search: codeword(17) })).items.map((s) => s.id)).toEqual([fixtureId(17)]);
    await rebuilt.flush();

    await writeFile(join(dataDir, 'index.json'), '{"format": 1, "entr');
    const repaired = await open(dataDir);
    expect(await repaired.list({ limit: 100 })).toEqual(expected);
    expect(repaired.notices().join('\n')).toMatch(/index was damaged/);
  });

  it('catches up with files added, removed or changed behind its back', async () => {
    const dataDir = await tempDir();
    const store = await open(dataDir);
    for (let i = 0; i < 10; i++) await store.create(makeSession(i, { messages: 5 }));
    await store.flush();

    // Another copy of Parley (or a restored backup) changed the folder without this index knowing.
    await unlink(sessionFile(dataDir, fixtureId(0)));
    const added = makeSession(50, { messages: 5 });
    await writeFile(sessionFile(dataDir, added.id), JSON.stringify(added));
    const changed = { ...makeSession(5, { messages: 5 }), title: 'Edited elsewhere', updatedAt: '2031-01-01T00:00:00.000Z' };
    changed.messages[1]!.text = 'mentions a quokkapalooza';
    await writeFile(sessionFile(dataDir, changed.id), JSON.stringify(changed));

    const stale = await open(dataDir);
    await stale.flush(); // waits for the background check of every indexed file
    const list = await stale.list();
    expect(list.total).toBe(10);
    expect(list.items.map((s) => s.id)).not.toContain(fixtureId(0));
    expect(list.items.map((s) => s.id)).toContain(added.id);
    expect(list.items[0]).toMatchObject({ id: changed.id, title: 'Edited elsewhere' });
    expect((await stale.list({ search: 'quokkapalooza' })).items.map((s) => s.id)).toEqual([changed.id]);
  });

  it('keeps index appends small and compacts the log instead of rewriting the index on every save', async () => {
    const dataDir = await tempDir();
    const store = await open(dataDir);
    const s = await store.create(makeSession(1, { messages: 2 }));
    for (let i = 2; i < 40; i++) await store.create(makeSession(i, { messages: 2 }));
    await store.flush();
    const snapshotBefore = await stat(join(dataDir, 'index.json'));
    for (let k = 0; k < 20; k++) await store.save({ ...s, title: `t${k}` });
    await store.flush();
    // 20 saves: the snapshot is untouched, the log grew by 20 lines.
    expect((await stat(join(dataDir, 'index.json'))).mtimeMs).toBe(snapshotBefore.mtimeMs);
    const log = (await readFile(join(dataDir, 'index.log'), 'utf8')).trim().split('\n');
    expect(log.length).toBeGreaterThanOrEqual(20);
    for (let k = 0; k < 400; k++) await store.save({ ...s, title: `u${k}` });
    await store.flush();
    const compacted = (await readFile(join(dataDir, 'index.log'), 'utf8')).trim().split('\n').filter(Boolean);
    expect(compacted.length).toBeLessThan(300);
    const reopened = await open(dataDir, { verifyOnOpen: false });
    expect((await reopened.get(s.id)).title).toBe('u399');
    expect((await reopened.list({ limit: 500 })).items.find((x) => x.id === s.id)?.title).toBe('u399');
  });
});
