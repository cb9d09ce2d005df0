import { mkdir, mkdtemp, readFile, rm, symlink, writeFile, lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NotRegularFileError, nodeFs } from './layer';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'parley-layer-'));
  dirs.push(dir);
  const outside = join(dir, 'outside.txt');
  await writeFile(outside, 'outside\n');
  return { dir, outside };
}

const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

describe('the data folder\'s own files are never opened through a link', () => {
  it('appends refuse a link (to a file or to a missing name) and a directory, and change nothing', async () => {
    const { dir, outside } = await setup();
    await symlink(outside, join(dir, 'to-file.log'));
    await symlink(join(dir, 'not-yet'), join(dir, 'dangling.log'));
    await mkdir(join(dir, 'folder.log'));
    for (const append of [nodeFs.appendFile, nodeFs.appendDurable]) {
      expect(await refusal(append(join(dir, 'to-file.log'), 'x\n'))).toMatchObject({ code: 'ENOTREG', kind: 'link' });
      expect(await refusal(append(join(dir, 'dangling.log'), 'x\n'))).toMatchObject({ code: 'ENOTREG', kind: 'link' });
      expect(await refusal(append(join(dir, 'folder.log'), 'x\n'))).toMatchObject({ code: 'ENOTREG', kind: 'directory' });
    }
    expect(await readFile(outside, 'utf8')).toBe('outside\n');
    expect(await refusal(lstat(join(dir, 'not-yet')))).toMatchObject({ code: 'ENOENT' });
    await nodeFs.appendDurable(join(dir, 'fine.log'), 'ok\n');
    expect(await readFile(join(dir, 'fine.log'), 'utf8')).toBe('ok\n');
  });

  it('reads with noFollow refuse a link and a directory; plain reads (files the user names) follow links', async () => {
    const { dir, outside } = await setup();
    await symlink(outside, join(dir, 'link.json'));
    await mkdir(join(dir, 'folder.json'));
    expect(await refusal(nodeFs.readFile(join(dir, 'link.json'), { noFollow: true }))).toBeInstanceOf(NotRegularFileError);
    expect(await refusal(nodeFs.readFile(join(dir, 'folder.json'), { noFollow: true }))).toMatchObject({ kind: 'directory' });
    expect((await nodeFs.readFile(join(dir, 'link.json'))).toString()).toBe('outside\n');
    expect((await nodeFs.lstat(join(dir, 'link.json'))).kind).toBe('link');
  });
});
