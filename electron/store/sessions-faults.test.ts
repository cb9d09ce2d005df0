import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../shared/errors';
import { makeSession } from '../../tests/support/session-fixtures';
import { nodeFs, type FsLayer } from '../fs/layer';
import { createSessionStore } from './sessions';

/** The real filesystem, with a switchable fault on writes of session files: a torn write then ENOSPC, or EACCES. */
function faultyFs() {
  const state: { fault: 'ENOSPC' | 'EACCES' | null } = { fault: null };
  const fail = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });
  const fs: FsLayer = {
    ...nodeFs,
    async createExclusive(path) {
      if (state.fault === 'EACCES' && path.includes('sessions')) throw fail('EACCES');
      const handle = await nodeFs.createExclusive(path);
      if (state.fault !== 'ENOSPC' || !path.includes('sessions')) return handle;
      return {
        // Half the bytes reach the temp file, then the disk is full.
        write: async (data) => {
          await handle.write(data.subarray(0, data.length >> 1));
          throw fail('ENOSPC');
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    },
  };
  return { fs, state };
}

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe.each(['ENOSPC', 'EACCES'] as const)('save under %s', (fault) => {
  it('fails with SAVE_FAILED and a next step, keeps the old file and the in-memory session, and saves on retry', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-fault-'));
    dirs.push(dataDir);
    const { fs, state } = faultyFs();
    const store = await createSessionStore({ dataDir, fs });
    const s = await store.create(makeSession(1, { messages: 4 }));
    const file = join(dataDir, 'sessions', `${s.id}.json`);
    const before = await readFile(file, 'utf8');

    state.fault = fault;
    const edited = { ...s, title: 'Edited while the disk misbehaves' };
    const error = await store.save(edited).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ParleyError);
    const err = error as ParleyError;
    expect(err.code).toBe('SAVE_FAILED');
    expect(err.message).toMatch(fault === 'ENOSPC' ? /disk is full.*Free some space/ : /not allowed to write.*permissions/);
    expect(err.message).toMatch(/unchanged/);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect((await readdir(join(dataDir, 'sessions'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect((await store.get(s.id)).title).toBe('Edited while the disk misbehaves');
    await expect(store.flush()).rejects.toMatchObject({ code: 'SAVE_FAILED' });

    state.fault = null;
    await store.flush(); // the retry writes what was kept in memory
    expect(JSON.parse(await readFile(file, 'utf8')).title).toBe('Edited while the disk misbehaves');
    const reopened = await createSessionStore({ dataDir });
    expect((await reopened.get(s.id)).title).toBe('Edited while the disk misbehaves');
    expect((await reopened.list()).items[0]?.title).toBe('Edited while the disk misbehaves');
  });
});
