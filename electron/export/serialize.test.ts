import { mkdtemp, readdir, readFile, rm, mkdir, writeFile, symlink, lstat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalize, toStableJson, toTextFile, writeFileAtomic } from './serialize';
import { ParleyError } from '../../shared/errors';

describe('stable JSON', () => {
  it('sorts keys at every depth, keeps array order, drops undefined, ends with a newline', () => {
    const a = toStableJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } });
    expect(a).toBe('{\n  "a": {\n    "d": [\n      3,\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n');
  });

  it('gives the same bytes whatever order the fields were filled in', () => {
    expect(toStableJson({ x: 1, y: { p: 'é', q: [1] } })).toBe(toStableJson({ y: { q: [1], p: 'é' }, x: 1 }));
    expect(canonicalize([undefined])).toEqual([null]);
  });

  it('normalises text files to LF with one trailing newline', () => {
    expect(toTextFile('a\r\nb\n\n\n')).toBe('a\nb\n');
  });
});

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'parley-export-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes UTF-8 to exactly the chosen path and leaves no temp file', async () => {
    const file = path.join(dir, 'agent.json');
    expect(await writeFileAtomic(file, '{"name":"Café"}\n')).toBe(file);
    expect(await readFile(file, 'utf8')).toBe('{"name":"Café"}\n');
    expect(await readdir(dir)).toEqual(['agent.json']);
  });

  it('refuses to overwrite without force and keeps the old content', async () => {
    const file = path.join(dir, 'agent.json');
    await writeFile(file, 'old');
    await expect(writeFileAtomic(file, 'new')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await readFile(file, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['agent.json']);
  });

  it('overwrites with force', async () => {
    const file = path.join(dir, 'agent.json');
    await writeFile(file, 'old');
    await writeFileAtomic(file, 'new', { force: true });
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['agent.json']);
  });

  it('replaces a symlink itself rather than writing through it to another place', async () => {
    const outside = path.join(dir, 'outside');
    await mkdir(outside);
    await writeFile(path.join(outside, 'target.txt'), 'keep');
    const link = path.join(dir, 'link.json');
    await symlink(path.join(outside, 'target.txt'), link);
    await expect(writeFileAtomic(link, 'x')).rejects.toMatchObject({ code: 'CONFLICT' });
    await writeFileAtomic(link, 'x', { force: true });
    expect(await readFile(path.join(outside, 'target.txt'), 'utf8')).toBe('keep');
    expect((await lstat(link)).isSymbolicLink()).toBe(false);
  });

  it('rejects a folder, a missing folder and a path ending in a separator', async () => {
    await expect(writeFileAtomic(dir, 'x', { force: true })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(writeFileAtomic(path.join(dir, 'nope', 'a.json'), 'x')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(writeFileAtomic(`${dir}/`, 'x')).rejects.toBeInstanceOf(ParleyError);
    expect(await readdir(dir)).toEqual([]);
  });
});
