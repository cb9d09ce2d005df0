import { spawnSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readlink, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataLock, LOCK_FILE } from './data-lock';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
const temp = async () => {
  const d = await mkdtemp(join(tmpdir(), 'parley-lock-'));
  dirs.push(d);
  return d;
};
const other = (pid: number, host = 'preview') => `${JSON.stringify({ pid, host, hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z' })}\n`;

describe('data folder lock', () => {
  it('is taken and released, and written with the owner', async () => {
    const dir = await temp();
    const lock = await acquireDataLock(dir, 'preview');
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, host: 'preview' });
    await lock.release();
    await expect(readFile(join(dir, LOCK_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses when a live process holds it, naming that process', async () => {
    const dir = await temp();
    await writeFile(join(dir, LOCK_FILE), other(4242));
    await expect(acquireDataLock(dir, 'cli', { isAlive: () => true, waitForCliMs: 0 })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/in use by a Parley preview \(pid 4242/),
    });
    expect(await readFile(join(dir, LOCK_FILE), 'utf8')).toBe(other(4242));
  });

  it('takes over a lock whose process is gone, and says so', async () => {
    const dir = await temp();
    await writeFile(join(dir, LOCK_FILE), other(4242));
    const lock = await acquireDataLock(dir, 'preview', { isAlive: () => false });
    expect(lock.recovered?.pid).toBe(4242);
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('waits for a CLI command to finish, and ignores an old unreadable lock', async () => {
    const dir = await temp();
    await writeFile(join(dir, LOCK_FILE), other(4242, 'cli'));
    let alive = true;
    setTimeout(() => (alive = false), 150);
    const lock = await acquireDataLock(dir, 'preview', { isAlive: () => alive, waitForCliMs: 5000 });
    await lock.release();
    await writeFile(join(dir, LOCK_FILE), '{"pid": 12');
    await utimes(join(dir, LOCK_FILE), new Date(0), new Date(0));
    const again = await acquireDataLock(dir, 'cli', { isAlive: () => true });
    expect(again.recovered).toBeNull();
    await again.release();
  });

  it('lets the same process in again (in-process tools share one backend folder)', async () => {
    const dir = await temp();
    const a = await acquireDataLock(dir, 'preview');
    const b = await acquireDataLock(dir, 'cli', { waitForCliMs: 0 });
    await b.release();
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    await a.release();
  });
});

describe.runIf(process.platform !== 'win32')('parley.lock planted as a link or special file', () => {
  const unblock: string[] = [];
  afterEach(() => {
    // A reader stuck on a FIFO (a regression) gets end-of-file, so no thread is left blocked.
    for (const fifo of unblock.splice(0)) {
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // no reader: nothing is blocked
      }
    }
  });

  it('a link to another process\'s lock-like file is refused with a clear error, and left as it is', async () => {
    const dir = await temp();
    const elsewhere = join(dir, 'elsewhere.lock');
    await writeFile(elsewhere, other(4242));
    await symlink(elsewhere, join(dir, LOCK_FILE));
    await expect(acquireDataLock(dir, 'cli', { isAlive: () => false, waitForCliMs: 0 })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringMatching(/parley\.lock is a symbolic link, not a lock file Parley wrote/),
    });
    expect(await readlink(join(dir, LOCK_FILE))).toBe(elsewhere);
    expect(await readFile(elsewhere, 'utf8')).toBe(other(4242));
  });

  it('a dangling link is refused instead of looking like a lock released over and over', async () => {
    const dir = await temp();
    await symlink(join(dir, 'nowhere'), join(dir, LOCK_FILE));
    await expect(acquireDataLock(dir, 'preview', { waitForCliMs: 0 })).rejects.toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/symbolic link/) });
  }, 5_000);

  it('a FIFO or a folder is refused at once', async () => {
    const dir = await temp();
    const fifo = join(dir, LOCK_FILE);
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    unblock.push(fifo);
    await expect(acquireDataLock(dir, 'cli', { waitForCliMs: 0 })).rejects.toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/pipe, socket or device/) });
    const dir2 = await temp();
    await mkdir(join(dir2, LOCK_FILE));
    await expect(acquireDataLock(dir2, 'cli', { waitForCliMs: 0 })).rejects.toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/a directory/) });
  }, 5_000);
});
