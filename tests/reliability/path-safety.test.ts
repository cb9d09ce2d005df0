/**
 * Path safety: hostile session ids, import and export paths (../, absolute, NUL bytes, Windows
 * device names, folders, devices) and symlinks from the data dir to files outside it. Each is
 * refused with a typed error or contained, and a snapshot proves that nothing outside the data
 * dir, other than the export paths the user chose, was created, changed or removed.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serialize } from '../../electron/fs/atomic';
import { fixtureId, makeSession } from '../support/session-fixtures';
import { runParley } from '../helpers/cli';
import { runCliProcess } from './support/processes';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** Every entry under `root` except `skip`: type, size, mtime and content hash. */
async function snapshot(root: string, skip: (rel: string) => boolean): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const rel = relative(root, path);
    if (skip(rel)) continue;
    const st = await lstat(path);
    if (st.isSymbolicLink()) out.set(rel, `link:${await readlink(path)}`);
    else if (st.isDirectory()) out.set(rel, 'dir');
    else out.set(rel, `${st.size}:${st.mtimeMs}:${createHash('sha256').update(await readFile(path)).digest('hex')}`);
  }
  return out;
}

describe('path safety (real CLI, real files)', () => {
  it('refuses or contains hostile ids, paths and symlinks, and touches nothing outside the data dir and the chosen exports', async () => {
    const root = await mkdtemp(join(tmpdir(), 'parley-rel-paths-'));
    dirs.push(root);
    const dataDir = join(root, 'data');
    const outside = join(root, 'outside');
    const work = join(root, 'work');
    await mkdir(join(dataDir, 'sessions'), { recursive: true });
    await mkdir(outside);
    await mkdir(work);

    // Outside the data dir: a session file, garbage, a secret-looking file.
    const victim = makeSession(7, { messages: 4 });
    await writeFile(join(outside, 'victim.json'), serialize(victim));
    await writeFile(join(outside, 'garbage.txt'), 'not a session');
    await writeFile(join(outside, 'passwd'), 'root:x:0:0::/root:/bin/bash\n');
    // Inside: symlinks named like sessions, pointing out.
    await symlink(join(outside, 'victim.json'), join(dataDir, 'sessions', `${victim.id}.json`));
    const garbageId = fixtureId(8);
    await symlink(join(outside, 'garbage.txt'), join(dataDir, 'sessions', `${garbageId}.json`));
    // In the user's working folder: a symlink the user names as an export target.
    await symlink(join(outside, 'passwd'), join(work, 'agent-link.json'));

    const allowed = new Set(['work/CON', 'work/agent-link.json', 'work/export.parley.json']);
    const before = await snapshot(root, (rel) => rel === 'data' || rel.startsWith('data/') || allowed.has(rel));

    const created = await runParley(dataDir, ['--json', 'new', '--provider', 'offline']);
    expect(created.code, created.err).toBe(0);
    const id = (JSON.parse(created.out) as { id: string }).id;

    const hostileIds = [
      '../outside/victim',
      '../../../../../../etc/passwd',
      '/etc/passwd',
      join(outside, 'victim.json'),
      `${id}/../../outside/victim`,
      `${id}\u0000`,
      'a\u0000b',
      '..\\..\\outside\\victim',
      '%2e%2e%2f%2e%2e%2foutside',
      'CON',
      'NUL',
      'com1',
      'aux.json',
      'LPT1:',
      '',
    ];
    for (const bad of hostileIds) {
      for (const args of [['show', bad], ['delete', bad], ['say', bad, 'hello'], ['export', bad, '--format', 'parley', '--out', join(work, 'x.json')]]) {
        const run = await runParley(dataDir, ['--json', ...args]);
        expect([1, 2], `${args.join(' ')} → ${run.code}: ${run.err}`).toContain(run.code);
        expect(run.err).not.toMatch(/INTERNAL|TypeError|ENOENT|EISDIR/);
      }
    }

    // Export targets: refused when they cannot be what the user meant; written only where asked.
    const exportTo = (out: string, ...extra: string[]) => runParley(dataDir, ['--json', 'export', id, '--format', 'parley', '--out', out, ...extra]);
    for (const out of [`${join(work, 'a')}\u0000.json`, `${outside}/`, join(outside, 'passwd'), join(root, 'missing-folder', 'x.json'), outside]) {
      const run = await exportTo(out);
      expect([1, 2], `--out ${JSON.stringify(out)} → ${run.code}: ${run.err}`).toContain(run.code);
    }
    expect((await exportTo(join(work, 'export.parley.json'))).code).toBe(0);
    // A Windows device name is an ordinary file name here; it is written exactly where asked.
    const con = await runCliProcess(dataDir, ['--json', 'export', id, '--format', 'parley', '--out', 'CON'], { cwd: work });
    expect(con.code, con.err).toBe(0);
    // A symlink the user names is never replaced nor written through, even with --force.
    for (const extra of [[], ['--force']]) {
      const run = await exportTo(join(work, 'agent-link.json'), ...extra);
      expect([run.code, run.err]).toEqual([2, expect.stringContaining('"code":"INVALID_INPUT"')]);
    }
    expect((await lstat(join(work, 'agent-link.json'))).isSymbolicLink()).toBe(true);

    // Imports read what the user names, and only regular UTF-8 files of sane size.
    for (const file of ['/dev/zero', '/dev/null', outside, `${join(outside, 'victim.json')}\u0000`, join(root, 'nope.json'), '/proc/self/environ']) {
      const run = await runParley(dataDir, ['--json', 'import', file]);
      expect([1, 2], `import ${file} → ${run.code}: ${run.err}`).toContain(run.code);
    }
    const imported = await runParley(dataDir, ['--json', 'import', join(outside, 'victim.json')]);
    expect(imported.code, imported.err).toBe(0);

    // Sessions behind symlinks are never read or written through the link: the links themselves
    // go to quarantine/ with a reason, and the files they point to stay as they were.
    const listed = await runParley(dataDir, ['--json', 'list']);
    expect(listed.code, listed.err).toBe(0);
    expect(listed.err).toMatch(new RegExp(`quarantined: quarantine/${garbageId}\\.json: a symbolic link is where the session file should be`));
    expect(listed.err).toMatch(new RegExp(`quarantined: quarantine/${victim.id}\\.json: a symbolic link`));
    const said = await runParley(dataDir, ['--json', 'say', victim.id, 'A booking agent']);
    expect([said.code, said.err]).toEqual([1, expect.stringContaining('"code":"NOT_FOUND"')]);
    expect((await lstat(join(dataDir, 'quarantine', `${victim.id}.json`))).isSymbolicLink()).toBe(true);

    const after = await snapshot(root, (rel) => rel === 'data' || rel.startsWith('data/') || allowed.has(rel));
    expect([...after.entries()]).toEqual([...before.entries()]);
    expect(await readFile(join(outside, 'victim.json'), 'utf8')).toBe(serialize(victim));
    expect(await readFile(join(outside, 'garbage.txt'), 'utf8')).toBe('not a session');
    expect(await readFile(join(outside, 'passwd'), 'utf8')).toBe('root:x:0:0::/root:/bin/bash\n');
    // Everything the hostile run created sits inside the data dir or the chosen export paths.
    expect((await readdir(work)).sort()).toEqual(['CON', 'agent-link.json', 'export.parley.json']);
  });
});
