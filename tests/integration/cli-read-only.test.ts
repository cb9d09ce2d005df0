/**
 * Commands that only read (show, list, export, keys status) write nothing in the data folder: no
 * temp cleanup (a running app's save in progress keeps its temp file), no lock, no index repair,
 * no quarantine move, and no data folder is created by a mistyped --data-dir.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parleyJson, runParley } from '../helpers/cli';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const name of (await readdir(d)).sort()) {
      const p = join(d, name);
      const st = await lstat(p);
      if (st.isDirectory()) {
        out[p] = `dir ${st.mtimeMs}`;
        await walk(p);
      } else out[p] = `${st.size} ${st.mtimeMs} ${createHash('sha256').update(await readFile(p)).digest('hex')}`;
    }
  };
  await walk(dir);
  return out;
}

describe('read-only CLI commands', () => {
  it('change nothing in the data folder, not even a running save\'s temp file or a damaged index', async () => {
    const root = await mkdtemp(join(tmpdir(), 'parley-cli-ro-'));
    dirs.push(root);
    const dataDir = join(root, 'data');
    const { id } = await parleyJson<{ id: string }>(dataDir, ['new', '--provider', 'offline']);
    await parleyJson(dataDir, ['say', id, 'A booking agent for a hair salon']);
    // What a running app leaves around: a save in progress, and a damaged index and session file.
    await writeFile(join(dataDir, 'sessions', `.${id}.json.a1b2c3d4e5f6.tmp`), '{"half a save": ');
    await unlink(join(dataDir, 'index.json')).catch(() => undefined);
    await writeFile(join(dataDir, 'sessions', '40000000-0000-4000-8000-000000000004.json'), '{ damaged');
    const before = await snapshot(dataDir);

    for (const args of [['list'], ['list', '--search', 'salon'], ['show', id], ['export', id, '--format', 'markdown', '--out', join(root, 'agent.md')], ['keys', 'status']]) {
      const run = await runParley(dataDir, ['--json', ...args]);
      expect([args.join(' '), run.code]).toEqual([args.join(' '), 0]);
    }
    expect(await snapshot(dataDir)).toEqual(before);
    const listed = await runParley(dataDir, ['list']);
    expect(listed.err).toMatch(/quarantined: sessions\/40000000-0000-4000-8000-000000000004\.json: not valid JSON/);
  });

  it('a mistyped --data-dir is a clear error, and no folder is created', async () => {
    const root = await mkdtemp(join(tmpdir(), 'parley-cli-ro-'));
    dirs.push(root);
    const typo = join(root, 'Parely');
    for (const args of [['show', '00000000-0000-4000-8000-000000000000'], ['list'], ['keys', 'status']]) {
      const run = await runParley(typo, ['--json', ...args]);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.err)).toEqual({ error: { code: 'NOT_FOUND', message: expect.stringMatching(/no Parley data folder at .*Parely/) } });
    }
    expect(await readdir(root)).toEqual([]);
  });
});
