import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NotRegularFileError, nodeFs } from './layer';
import { appendLogLine } from './log-file';

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

  it('truncate empties a file of the data folder, and refuses a link and a directory without changing their target', async () => {
    const { dir, outside } = await setup();
    await symlink(outside, join(dir, 'to-file.journal'));
    await mkdir(join(dir, 'folder.journal'));
    expect(await refusal(nodeFs.truncate(join(dir, 'to-file.journal')))).toMatchObject({ code: 'ENOTREG', kind: 'link' });
    expect(await refusal(nodeFs.truncate(join(dir, 'folder.journal')))).toMatchObject({ code: 'ENOTREG', kind: 'directory' });
    expect(await readFile(outside, 'utf8')).toBe('outside\n');
    expect(await refusal(nodeFs.truncate(join(dir, 'missing.journal')))).toMatchObject({ code: 'ENOENT' });
    await nodeFs.appendDurable(join(dir, 'own.journal'), 'line\n');
    await nodeFs.truncate(join(dir, 'own.journal'));
    expect(await readFile(join(dir, 'own.journal'), 'utf8')).toBe('');
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

describe('the diagnostic log', () => {
  it('drops a line rather than write it through a link at the log or at its folder', async () => {
    const { dir, outside } = await setup();
    await mkdir(join(dir, 'data'));
    await symlink(outside, join(dir, 'data', 'providers.log'));
    appendLogLine(join(dir, 'data', 'providers.log'), 'a warning', 1024);
    await mkdir(join(dir, 'elsewhere'));
    await symlink(join(dir, 'elsewhere'), join(dir, 'data', 'logs'));
    appendLogLine(join(dir, 'data', 'logs', 'providers.log'), 'a warning', 1024);
    expect(await readFile(outside, 'utf8')).toBe('outside\n');
    expect(await readdir(join(dir, 'elsewhere'))).toEqual([]);
    appendLogLine(join(dir, 'data', 'real', 'providers.log'), 'a warning', 1024);
    expect(await readFile(join(dir, 'data', 'real', 'providers.log'), 'utf8')).toBe('a warning\n');
  });
});
