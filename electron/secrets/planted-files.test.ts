import { spawnSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aesSafeStorage } from '../../tests/helpers/aes-safe-storage';
import { safeStorageBackend, SECRETS_FILE } from './safe-storage';

/** The key store's fallback file (secrets.json) is never read or replaced through a link, and a FIFO never blocks it. */

const posix = process.platform !== 'win32';
const dirs: string[] = [];
const fifos: string[] = [];
afterEach(async () => {
  // A reader stuck on a FIFO (a regression) gets end-of-file, so no thread is left blocked.
  for (const fifo of fifos.splice(0)) {
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // no reader: nothing is blocked
    }
  }
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir() {
  const d = await mkdtemp(join(tmpdir(), 'parley-planted-secrets-'));
  dirs.push(d);
  return d;
}

describe.runIf(posix)('secrets.json planted as a link or special file', () => {
  it('a link to a secrets file elsewhere is refused with a clear error: nothing is read through it or replaced', async () => {
    const root = await tempDir();
    const dataDir = join(root, 'data');
    const elsewhere = join(root, 'elsewhere.json');
    const safeStorage = aesSafeStorage();
    // A valid file, readable with the same key, outside the data folder.
    const outsideStore = safeStorageBackend({ dataDir: root, safeStorage });
    await outsideStore.set('openai', 'sk-outside-0000');
    await writeFile(elsewhere, await readFile(join(root, SECRETS_FILE)));
    await mkdir(dataDir);
    await symlink(elsewhere, join(dataDir, SECRETS_FILE));
    const before = await readFile(elsewhere, 'utf8');

    const store = safeStorageBackend({ dataDir, safeStorage });
    await expect(store.get('openai')).rejects.toThrow(/secrets\.json in the data folder is a symbolic link.*does not follow links/);
    await expect(store.set('openai', 'sk-new-1111')).rejects.toThrow(/symbolic link/);
    expect(await readlink(join(dataDir, SECRETS_FILE))).toBe(elsewhere);
    expect(await readFile(elsewhere, 'utf8')).toBe(before);
  });

  it('a dangling link is refused too (not read as "no keys", then replaced)', async () => {
    const dataDir = await tempDir();
    await symlink(join(dataDir, 'nowhere.json'), join(dataDir, SECRETS_FILE));
    const store = safeStorageBackend({ dataDir, safeStorage: aesSafeStorage() });
    await expect(store.set('openai', 'sk-new-1111')).rejects.toThrow(/symbolic link/);
    expect((await lstat(join(dataDir, SECRETS_FILE))).isSymbolicLink()).toBe(true);
  });

  it('a FIFO is refused at once instead of blocking the read', async () => {
    const dataDir = await tempDir();
    const fifo = join(dataDir, SECRETS_FILE);
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    fifos.push(fifo);
    const store = safeStorageBackend({ dataDir, safeStorage: aesSafeStorage() });
    await expect(store.get('openai')).rejects.toThrow(/pipe, socket or device/);
  }, 5_000);
});
