import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempNameFor } from './atomic';
import { nodeFs, type FsLayer } from './layer';
import { writeProject } from './project';
import { EXPORT_FILE_MODE, STALE_TEMP_MS, writeExportFile } from './user-files';

/** What Parley does at the path an export goes to: only regular files are replaced, temps never linger, 0600. */

const posix = process.platform !== 'win32';
const repoRoot = path.resolve(import.meta.dirname, '../..');
let dir: string;
let child: ChildProcess | null = null;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'parley-export-target-'));
});
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = null;
  await rm(dir, { recursive: true, force: true });
});

function mkfifo(file: string): void {
  const r = spawnSync('mkfifo', [file]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr.toString()}`);
}

describe.runIf(posix)('an export never replaces what is not a regular file, even with force', () => {
  it('a FIFO stays a FIFO, and no temp file is left', async () => {
    const fifo = path.join(dir, 'agent.json');
    mkfifo(fifo);
    for (const force of [false, true]) {
      await expect(writeExportFile(fifo, 'x', { force })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/pipe, socket or device.*even with --force/) });
    }
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    expect(await readdir(dir)).toEqual(['agent.json']);
  });

  it('a symlink to a device stays a symlink (as root, --out /dev/null --force would otherwise replace the entry)', async () => {
    const link = path.join(dir, 'null.json');
    await symlink('/dev/null', link);
    await expect(writeExportFile(link, 'x', { force: true })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/symbolic link/) });
    expect(await readlink(link)).toBe('/dev/null');
    expect((await stat('/dev/null')).isCharacterDevice()).toBe(true);
    expect(await readdir(dir)).toEqual(['null.json']);
  });

  it('a symlink to a regular file elsewhere is neither replaced nor written through', async () => {
    const outside = path.join(dir, 'outside');
    await mkdir(outside);
    await writeFile(path.join(outside, 'target.txt'), 'keep');
    const link = path.join(dir, 'link.json');
    await symlink(path.join(outside, 'target.txt'), link);
    await expect(writeExportFile(link, 'x', { force: true })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await readFile(path.join(outside, 'target.txt'), 'utf8')).toBe('keep');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['link.json', 'outside']);
  });

  // A device node of the test's own (mknod needs root): a regression must never be able to replace a real /dev entry.
  it.runIf(process.getuid?.() === 0)('a device node is refused with force and stays a device', async () => {
    const device = path.join(dir, 'null.json');
    const made = spawnSync('mknod', ['-m', '666', device, 'c', '1', '3']);
    if (made.status !== 0) throw new Error(`mknod failed: ${made.stderr.toString()}`);
    await expect(writeExportFile(device, 'x', { force: true })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/device/) });
    expect((await lstat(device)).isCharacterDevice()).toBe(true);
    expect(await readdir(dir)).toEqual(['null.json']);
  });

  it('a link planted between the check and the rename is refused too, and the temp file removed', async () => {
    const file = path.join(dir, 'agent.json');
    await writeFile(file, 'old');
    const elsewhere = path.join(dir, 'elsewhere.txt');
    await writeFile(elsewhere, 'keep');
    const racing: FsLayer = {
      ...nodeFs,
      createExclusive: async (p, mode) => {
        const handle = await nodeFs.createExclusive(p, mode);
        await unlink(file);
        await symlink(elsewhere, file);
        return handle;
      },
    };
    await expect(writeExportFile(file, 'new', { force: true, fs: racing })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/symbolic link/) });
    expect((await lstat(file)).isSymbolicLink()).toBe(true);
    expect(await readFile(elsewhere, 'utf8')).toBe('keep');
    expect((await readdir(dir)).sort()).toEqual(['agent.json', 'elsewhere.txt']);
  });

  it('a regular file is still replaced with force', async () => {
    const file = path.join(dir, 'agent.json');
    await writeFile(file, 'old');
    await writeExportFile(file, 'new', { force: true });
    expect(await readFile(file, 'utf8')).toBe('new');
  });

  it('a project folder whose config folder is a link to elsewhere is refused before anything is written there', async () => {
    const project = path.join(dir, 'project');
    const elsewhere = path.join(dir, 'elsewhere');
    await mkdir(project);
    await mkdir(elsewhere);
    await writeFile(path.join(project, 'agents.json'), '{"agents":[]}');
    await symlink(elsewhere, path.join(project, 'agent_configs'));
    const files = [
      { path: 'agents.json', content: '{"agents":[]}\n' },
      { path: 'agent_configs/a.json', content: '{}\n' },
    ];
    await expect(writeProject(project, files, { force: true })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/symbolic link/) });
    expect(await readdir(elsewhere)).toEqual([]);
  });
});

describe.runIf(posix)('export files are 0600', () => {
  it('a new export and a replaced one are readable by the owner only, whatever the umask allows', async () => {
    const file = path.join(dir, 'agent.json');
    await writeExportFile(file, 'x');
    expect((await stat(file)).mode & 0o777).toBe(EXPORT_FILE_MODE & ~process.umask());
    expect((await stat(file)).mode & 0o077).toBe(0);
    await writeFile(path.join(dir, 'old.json'), 'old', { mode: 0o644 });
    await writeExportFile(path.join(dir, 'old.json'), 'new', { force: true });
    expect((await stat(path.join(dir, 'old.json'))).mode & 0o077).toBe(0);
  });

  it('every file of a project folder and a project .zip too', async () => {
    const files = [
      { path: 'agents.json', content: '{}\n' },
      { path: 'agent_configs/a.json', content: '{}\n' },
    ];
    const project = await writeProject(path.join(dir, 'project'), files);
    for (const f of files) expect((await stat(path.join(project, f.path))).mode & 0o077).toBe(0);
    const zip = await writeProject(path.join(dir, 'project.zip'), files);
    expect((await stat(zip)).mode & 0o077).toBe(0);
  });
});

describe('temp files of an interrupted export', () => {
  async function plantTemp(file: string, ageMs: number, now: number): Promise<string> {
    const temp = tempNameFor(file);
    await writeFile(temp, 'partial');
    const when = new Date(now - ageMs);
    await utimes(temp, when, when);
    return temp;
  }

  it('are removed at the start of the next export to the same name when older than a minute; nothing else is touched', async () => {
    const file = path.join(dir, 'agent.json');
    const now = Date.UTC(2026, 10, 29, 12);
    const stale = await plantTemp(file, STALE_TEMP_MS + 1000, now);
    const fresh = await plantTemp(file, 5_000, now); // maybe another export in progress
    const otherName = await plantTemp(path.join(dir, 'other.json'), 10 * STALE_TEMP_MS, now);
    await writeFile(path.join(dir, '.agent.json.notmine.tmp'), 'user file');
    await writeExportFile(file, 'x', { now: () => now });
    const left = await readdir(dir);
    expect(left).not.toContain(path.basename(stale));
    expect(left).toContain(path.basename(fresh));
    expect(left).toContain(path.basename(otherName));
    expect(left).toContain('.agent.json.notmine.tmp');
    expect(left).toContain('agent.json');
  });

  it.runIf(posix)('a link or folder with a temp name is not removed (only regular temp files are Parley’s)', async () => {
    const file = path.join(dir, 'agent.json');
    const now = Date.now();
    const linkTemp = tempNameFor(file);
    await symlink(path.join(dir, 'nowhere'), linkTemp);
    const dirTemp = tempNameFor(file);
    await mkdir(dirTemp);
    await writeExportFile(file, 'x', { now: () => now + 10 * STALE_TEMP_MS });
    expect(await readdir(dir)).toEqual(expect.arrayContaining([path.basename(linkTemp), path.basename(dirTemp)]));
  });

  it('a failed write removes its own temp file', async () => {
    const file = path.join(dir, 'agent.json');
    const failing: FsLayer = {
      ...nodeFs,
      createExclusive: async (p, mode) => {
        const handle = await nodeFs.createExclusive(p, mode);
        return { ...handle, write: handle.write.bind(handle), close: handle.close.bind(handle), sync: () => Promise.reject(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })) };
      },
    };
    await expect(writeExportFile(file, 'x', { fs: failing })).rejects.toMatchObject({ code: 'SAVE_FAILED' });
    expect(await readdir(dir)).toEqual([]);
  });

  it.runIf(posix)('kill -9 mid-export leaves a temp file, which the next export removes', async () => {
    const file = path.join(dir, 'agent.json');
    const proc = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'tests/support/export-child.ts'), file], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const temp = await new Promise<string>((resolve, reject) => {
      let out = '';
      proc.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^writing (.+)\n/m.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      proc.on('exit', (code) => reject(new Error(`child exited (${code}) before writing: ${stderr}`)));
    });
    const exited = new Promise((resolve) => proc.on('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
    expect(await readdir(dir)).toEqual([path.basename(temp)]);
    // The next export, a few minutes later.
    await writeExportFile(file, 'whole export', { now: () => Date.now() + 3 * STALE_TEMP_MS });
    expect(await readdir(dir)).toEqual(['agent.json']);
    expect(await readFile(file, 'utf8')).toBe('whole export');
  });
});
