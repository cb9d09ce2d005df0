import { lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../shared/errors';
import { MAX_FILE_BYTES } from '../../shared/limits';
import { nodeFs, type FsLayer } from './layer';
import { readImportFile, writeExportFile } from './user-files';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'parley-user-files-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeExportFile', () => {
  it('writes UTF-8 to exactly the chosen path, readable by the owner only (0600), and leaves no temp file', async () => {
    const file = path.join(dir, 'agent.json');
    expect(await writeExportFile(file, '{"name":"Café"}\n')).toBe(file);
    expect(await readFile(file, 'utf8')).toBe('{"name":"Café"}\n');
    expect(await readdir(dir)).toEqual(['agent.json']);
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600 & ~process.umask());
  });

  it('makes the new name durable (directory fsync) without keeping the folder open', async () => {
    const synced: Array<{ dir: string; keepOpen: boolean | undefined }> = [];
    const watching: FsLayer = { ...nodeFs, syncDir: async (d, options) => void synced.push({ dir: d, keepOpen: options?.keepOpen }) };
    await writeExportFile(path.join(dir, 'agent.json'), 'x', { fs: watching });
    expect(synced).toEqual([{ dir, keepOpen: false }]);
  });

  it('refuses to overwrite without force and keeps the old content', async () => {
    const file = path.join(dir, 'agent.json');
    await writeFile(file, 'old');
    await expect(writeExportFile(file, 'new')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await readFile(file, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['agent.json']);
  });

  it('never replaces a file that appears between the check and the write', async () => {
    const file = path.join(dir, 'agent.json');
    // Another program creates the target while the temp file is being written.
    const racing: FsLayer = {
      ...nodeFs,
      createExclusive: async (p, mode) => {
        const handle = await nodeFs.createExclusive(p, mode);
        await writeFile(file, 'theirs');
        return handle;
      },
    };
    await expect(writeExportFile(file, 'ours', { fs: racing })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await readFile(file, 'utf8')).toBe('theirs');
    expect(await readdir(dir)).toEqual(['agent.json']);
  });

  it('overwrites with force', async () => {
    const file = path.join(dir, 'agent.json');
    await writeFile(file, 'old');
    await writeExportFile(file, 'new', { force: true });
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['agent.json']);
  });

  it('neither replaces a symlink nor writes through it to another place, even with force', async () => {
    const outside = path.join(dir, 'outside');
    await mkdir(outside);
    await writeFile(path.join(outside, 'target.txt'), 'keep');
    const link = path.join(dir, 'link.json');
    await symlink(path.join(outside, 'target.txt'), link);
    await expect(writeExportFile(link, 'x')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(writeExportFile(link, 'x', { force: true })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/symbolic link/) });
    expect(await readFile(path.join(outside, 'target.txt'), 'utf8')).toBe('keep');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
  });

  it('rejects a folder, a missing folder and a path ending in a separator', async () => {
    await expect(writeExportFile(dir, 'x', { force: true })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(writeExportFile(path.join(dir, 'nope', 'a.json'), 'x')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(writeExportFile(`${dir}/`, 'x')).rejects.toBeInstanceOf(ParleyError);
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports a failed write as SAVE_FAILED and leaves nothing behind', async () => {
    const full: FsLayer = { ...nodeFs, createExclusive: () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })) };
    await expect(writeExportFile(path.join(dir, 'agent.json'), 'x', { fs: full })).rejects.toMatchObject({ code: 'SAVE_FAILED', message: expect.stringMatching(/ENOSPC/) });
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('readImportFile', () => {
  async function rejects(file: string, message: RegExp) {
    await expect(readImportFile(file)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(message) });
  }

  it('returns a UTF-8 file as text', async () => {
    const file = path.join(dir, 'agent.json');
    await writeFile(file, '{"name":"Café"}');
    expect(await readImportFile(file)).toBe('{"name":"Café"}');
  });

  it('refuses a file over the limit before reading it (a sparse file: nothing is allocated)', async () => {
    const file = path.join(dir, 'huge.json');
    await writeFile(file, '');
    await truncate(file, MAX_FILE_BYTES + 1);
    let reads = 0;
    const counting: FsLayer = { ...nodeFs, readFile: (p) => (reads++, nodeFs.readFile(p)) };
    await expect(readImportFile(file, counting)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/larger than the 64 MB/) });
    expect(reads).toBe(0);
  });

  it('wrong type: not UTF-8, binary, a folder, a missing file', async () => {
    await writeFile(path.join(dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00]));
    await rejects(path.join(dir, 'logo.png'), /not a UTF-8 text file/);
    await writeFile(path.join(dir, 'nul.json'), '{"a":\u0000}');
    await rejects(path.join(dir, 'nul.json'), /binary file/);
    await mkdir(path.join(dir, 'folder.json'));
    await rejects(path.join(dir, 'folder.json'), /not a file/);
    await rejects(path.join(dir, 'missing.json'), /no such file/);
  });
});
