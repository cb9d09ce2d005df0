/**
 * A store opened read-only (CLI show, list, export) writes nothing: no temp cleanup, no folder
 * creation, no index rebuild, no quarantine move; and temp files are swept only by a store whose
 * process holds the data folder's lock, and only when older than a minute.
 */
import { createHash } from 'node:crypto';
import { appendFile, lstat, mkdir, mkdtemp, readdir, readFile, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../shared/errors';
import { makeSession } from '../../tests/support/session-fixtures';
import { createSessionStore } from './sessions';
import { createSettingsStore } from './settings';
import { journalLine } from './journal';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** Every entry under `dir` with its kind, size, mtime and a hash of its bytes. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const name of (await readdir(d)).sort()) {
      const p = join(d, name);
      const st = await lstat(p);
      if (st.isDirectory()) {
        out[p] = `dir ${st.mtimeMs}`;
        await walk(p);
      } else out[p] = `${st.size} ${st.mtimeMs} ${createHash('sha256').update(await readFile(p)).digest('hex')}`;
    }
  };
  await walk(dir);
  return out;
}

async function rejection(p: Promise<unknown>): Promise<ParleyError> {
  const e = await p.then(
    () => null,
    (error: unknown) => error,
  );
  if (e instanceof ParleyError) return e;
  throw new Error(`expected a ParleyError, got ${String(e)}`);
}

/** A data folder as a crash leaves it: a journal not folded in, temps, a damaged file, no index. */
async function crashedFolder(): Promise<{ dataDir: string; ids: string[]; temps: { old: string; fresh: string } }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-readonly-'));
  dirs.push(dataDir);
  const store = await createSessionStore({ dataDir, verifyOnOpen: false });
  const a = await store.create(makeSession(1, { messages: 2 }));
  const b = await store.create(makeSession(2, { messages: 2 }));
  await store.flush();
  const sessions = join(dataDir, 'sessions');
  // A turn's save the crash left in the journal (written by hand: no checkpoint timer runs on).
  const { messages: _m, ...state } = a;
  const said = { id: 'j1', role: 'user' as const, text: 'journaled words', createdAt: a.updatedAt, status: 'complete' as const };
  await writeFile(join(sessions, `${a.id}.journal`), journalLine([said], { ...state, title: 'Journaled title' }, 2));
  const old = join(sessions, `.${b.id}.json.0123456789ab.tmp`);
  const fresh = join(sessions, `.${a.id}.json.ba9876543210.tmp`);
  await writeFile(old, '{"half": ');
  await writeFile(fresh, '{"being written by the app": ');
  const twoMinutesAgo = new Date(Date.now() - 120_000);
  await utimes(old, twoMinutesAgo, twoMinutesAgo);
  await writeFile(join(sessions, '30000000-0000-4000-8000-000000000003.json'), '{ damaged');
  await unlink(join(dataDir, 'index.json'));
  await appendFile(join(dataDir, 'index.log'), '{"torn":');
  return { dataDir, ids: [a.id, b.id], temps: { old, fresh } };
}

describe('a store opened read-only', () => {
  it('reads, lists, searches and exports without creating, writing, moving or removing anything', async () => {
    const { dataDir, ids } = await crashedFolder();
    const before = await snapshot(dataDir);
    const store = await createSessionStore({ dataDir, readOnly: true });
    const listed = await store.list();
    expect(listed.items.map((i) => i.id).sort()).toEqual([...ids].sort());
    expect(listed.quarantined).toEqual([{ file: 'sessions/30000000-0000-4000-8000-000000000003.json', reason: expect.stringMatching(/not valid JSON/), at: '' }]);
    expect((await store.list({ search: 'journaled words' })).items.map((i) => i.id)).toEqual([ids[0]]);
    expect((await store.get(ids[0]!)).title).toBe('Journaled title');
    expect(JSON.parse(await store.exportRaw(ids[0]!))).toMatchObject({ title: 'Journaled title' });
    expect(store.notices().join('\n')).toMatch(/cannot be loaded .* moved to quarantine\/ the next time/);

    const s = await store.get(ids[1]!);
    for (const attempt of [store.save(s), store.journal(s), store.create(makeSession(9)), store.delete(s.id), store.restore(s.id)]) {
      expect((await rejection(attempt)).code).toBe('READ_ONLY');
    }
    await store.flush();
    expect(await snapshot(dataDir)).toEqual(before);
  });

  it('refuses a missing data folder with a clear error instead of creating it', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'parley-readonly-'));
    dirs.push(parent);
    const missing = join(parent, 'typo');
    const error = await rejection(createSessionStore({ dataDir: missing, readOnly: true }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/no Parley data folder at .*typo.*--data-dir or PARLEY_DATA_DIR/);
    await createSettingsStore({ dataDir: missing, readOnly: true });
    expect(await readdir(parent)).toEqual([]);
    // An existing folder that has no session yet is simply empty.
    await mkdir(missing);
    expect((await (await createSessionStore({ dataDir: missing, readOnly: true })).list()).total).toBe(0);
    expect(await readdir(missing)).toEqual([]);
  });

  it('settings opened read-only are not written', async () => {
    const { dataDir } = await crashedFolder();
    const settings = await createSettingsStore({ dataDir, readOnly: true });
    expect((await rejection(settings.set({ temperature: 0.2 }))).code).toBe('READ_ONLY');
    await expect(lstat(join(dataDir, 'settings.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('temp files left by a crash', () => {
  it('are swept only by a store that holds the lock, and only when older than a minute', async () => {
    const { dataDir, temps } = await crashedFolder();
    const exists = (p: string) => lstat(p).then(
      () => true,
      () => false,
    );
    await createSessionStore({ dataDir, verifyOnOpen: false }); // a writer without the lock (tests, tools)
    expect([await exists(temps.old), await exists(temps.fresh)]).toEqual([true, true]);
    await createSessionStore({ dataDir, verifyOnOpen: false, sweepTemps: true });
    expect([await exists(temps.old), await exists(temps.fresh)]).toEqual([false, true]);
  });
});
