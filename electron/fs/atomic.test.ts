import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { afterEach, describe, expect, it } from 'vitest';
import { AtomicJsonFile, writeFileAtomic } from './atomic';
import { nodeFs, type FsLayer } from './layer';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('atomic writes', () => {
  it('replace the file through lowdb and leave no temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-atomic-'));
    dirs.push(dir);
    const db = new Low<{ n: number }>(new AtomicJsonFile(nodeFs, join(dir, 'a.json')), { n: 0 });
    await db.read();
    for (let n = 1; n <= 5; n++) await db.update((d) => void (d.n = n));
    expect(JSON.parse(await readFile(join(dir, 'a.json'), 'utf8'))).toEqual({ n: 5 });
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it('leave the old file untouched and remove the temp file when the rename fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-atomic-'));
    dirs.push(dir);
    await writeFile(join(dir, 'a.json'), 'old');
    const fs: FsLayer = { ...nodeFs, rename: () => Promise.reject(Object.assign(new Error('nope'), { code: 'EXDEV' })) };
    await expect(writeFileAtomic(fs, join(dir, 'a.json'), 'new')).rejects.toMatchObject({ code: 'EXDEV' });
    expect(await readFile(join(dir, 'a.json'), 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['a.json']);
  });
});
