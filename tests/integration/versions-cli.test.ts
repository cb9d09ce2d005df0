import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../electron/backend';
import { createNodeSecretStore } from '../../electron/secrets';
import { exportSession } from '../../electron/export';
import { VersionDiff, VersionList } from '../../shared/versions';
import { runParley } from '../helpers/cli';
import { GOLDENS, goldenBase } from '../support/version-goldens';

/**
 * `parley versions <id>` and `parley diff <id> <v1> <v2> [--json]` on a real data folder: the
 * golden design imported (v1), then each golden change saved as a named version of its own.
 */

let dataDir: string;
let id: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'parley-versions-cli-'));
  const backend = await createBackend({ dataDir, host: 'cli', version: 'test', secrets: await createNodeSecretStore({ dataDir, env: {} }) });
  const { session } = await backend.exports.importText(exportSession(goldenBase(), 'parley').content);
  id = session.id;
  for (const golden of GOLDENS) {
    await backend.sessions.update(id, (s) => ({ ...s, spec: golden.change(structuredClone(session.spec)) }), { snapshot: { cause: 'named', name: golden.name } });
  }
  await backend.close();
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('parley versions / diff', () => {
  it('lists every version with its time, cause and one-line summary', async () => {
    const run = await runParley(dataDir, ['versions', id]);
    expect(run.code).toBe(0);
    const lines = run.out.trim().split('\n');
    expect(lines).toHaveLength(GOLDENS.length + 1);
    expect(lines[0]).toMatch(/^v1 +\d{4}-\d\d-\d\dT\S+ +Import +First version: restaurant booking assistant, 2 tools/);
    expect(lines[1]).toMatch(/^v2 +\S+ +Saved by name +"renamed tool": Tool "create_reservation" renamed to "book_table"$/);
    const json = VersionList.parse(JSON.parse((await runParley(dataDir, ['versions', id, '--json'])).out));
    expect(json.versions.map((v) => v.cause)).toEqual(['import', ...GOLDENS.map(() => 'named')]);
  });

  it('shows each golden change as one readable line, and as JSON with --json', async () => {
    for (const [i, golden] of GOLDENS.entries()) {
      const to = `v${i + 2}`;
      const run = await runParley(dataDir, ['diff', id, 'v1', to]);
      expect({ code: run.code, out: run.out, err: run.err }, golden.name).toEqual({ code: 0, out: `${golden.line}\n`, err: '' });
      const json = VersionDiff.parse(JSON.parse((await runParley(dataDir, ['diff', id, 'v1', to, '--json'])).out));
      expect(json.changes.map((c) => c.line)).toEqual([golden.line]);
    }
  });

  it('export (which only reads) carries the newest version when the design has not changed since', async () => {
    const out = join(dataDir, 'agent.json');
    const run = await runParley(dataDir, ['export', id, '--format', 'elevenlabs-agent', '--out', out, '--json']);
    expect(run.code).toBe(0);
    const { readFile } = await import('node:fs/promises');
    expect((JSON.parse(await readFile(out, 'utf8')) as { tags: string[] }).tags).toEqual(['parley', `parley-v${GOLDENS.length + 1}`]);
  });

  it('explains a bad version and an unknown one', async () => {
    const bad = await runParley(dataDir, ['diff', id, 'v1']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/needs two versions/);
    const unknown = await runParley(dataDir, ['diff', id, 'v1', 'v99', '--json']);
    expect(unknown.code).not.toBe(0);
    expect(JSON.parse(unknown.err)).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
