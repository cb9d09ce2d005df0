import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtemp, rm, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runParley, type CliRun } from '../tests/helpers/cli';
import { Session } from '../shared/session';

let dataDir: string;

interface Listed {
  items: Array<{ id: string; title: string; stage: string; updatedAt: string }>;
  total: number;
  offset: number;
}

const cli = (args: string[], stdin = '') => runParley(dataDir, args, { stdin });

function json<T = Record<string, unknown>>(run: CliRun, options: { warnings?: boolean } = {}): T {
  if (!options.warnings) expect(run.err).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.out) as T;
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'parley-cli-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('cli', () => {
  it('new → list → show → delete round trip against a temp data dir', async () => {
    const created = json<{ id: string; stage: string; reply: string; awaiting: string | null }>(
      await cli(['new', '--provider', 'offline', '--json']),
    );
    expect(created.stage).toBe('INITIAL');
    expect(created.reply).toMatch(/what kind of voice agent/i);
    expect(created.awaiting).toBe('agent_type');

    const listed = json<Listed>(await cli(['list', '--json']));
    expect(listed).toMatchObject({ total: 1, offset: 0 });
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({ id: created.id, stage: 'INITIAL' });
    expect(Object.keys(listed.items[0]!).sort()).toEqual(['id', 'stage', 'title', 'updatedAt']);

    const shown = Session.parse(json(await cli(['show', created.id, '--json'])));
    expect(shown.id).toBe(created.id);
    expect(shown.messages.at(-1)?.text).toBe(created.reply);

    expect(json(await cli(['delete', created.id, '--json']))).toEqual({ id: created.id, deleted: true });
    expect(json<Listed>(await cli(['list', '--json']))).toEqual({ items: [], total: 0, offset: 0 });
    const gone = await cli(['show', created.id, '--json']);
    expect(gone.code).toBe(1);
    expect(JSON.parse(gone.err)).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('say runs one turn and answers with stage, awaiting and spec', async () => {
    const { id } = json<{ id: string }>(await cli(['new', '--provider', 'offline', '--json']));
    const said = json<{ id: string; stage: string; reply: string; awaiting: string | null; spec: { agent_type?: { value: string } } }>(
      await cli(['say', id, 'I want to build a customer support agent', '--json']),
    );
    expect(said.id).toBe(id);
    expect(said.stage).toBe('COLLECTING_BASICS');
    expect(said.awaiting).toBe('goals');
    expect(said.spec.agent_type?.value).toMatch(/customer support/i);
    expect(said.reply.length).toBeGreaterThan(0);
  });

  it.each([['../x'], [''], ['not-a-uuid'], ['../../etc/passwd'], ['00000000-0000-0000-0000-000000000000/..']])(
    'rejects the bad id %j with a clear message and exit code 2',
    async (bad) => {
      for (const command of ['show', 'delete', 'say']) {
        const args = command === 'say' ? [command, bad, 'hello'] : [command, bad];
        const run = await cli(args);
        expect(run.code).toBe(2);
        expect(run.err).toMatch(/UUID|needs a session id/i);
        expect(run.out).toBe('');
      }
      // Nothing outside the data dir was created or touched.
      const entries = await readdir(dataDir);
      expect(entries.every((e) => !e.includes('..'))).toBe(true);
    },
  );

  it('reports usage errors with exit code 2', async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['new', '--provider', 'gemini'])).code).toBe(2);
    expect((await cli(['keys', 'set', 'openai', 'sk-on-the-command-line'])).code).toBe(2);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/Usage: parley/);
  });

  it('exports the Parley file, refuses to overwrite without --force, and imports it back', async () => {
    const { id } = json<{ id: string }>(await cli(['new', '--provider', 'offline', '--json']));
    const out = join(dataDir, 'export.parley.json');
    const first = json<{ file: string; format: string; warnings: unknown[]; losses: unknown[] }>(
      await cli(['export', id, '--format', 'parley', '--out', out, '--json']),
      { warnings: true },
    );
    expect(first).toMatchObject({ file: out, format: 'parley' });
    expect(Session.parse(JSON.parse(await readFile(out, 'utf8'))).id).toBe(id);

    const again = await cli(['export', id, '--format', 'parley', '--out', out, '--json']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.err)).toMatchObject({ error: { code: 'CONFLICT' } });
    json(await cli(['export', id, '--format', 'parley', '--out', out, '--force', '--json']), { warnings: true });

    const imported = json<{ id: string; stage: string; name: string }>(await cli(['import', out, '--json']), { warnings: true });
    expect(imported.id).not.toBe(id);
    expect(imported.stage).toBe('REVIEWING_WORKFLOW');
    expect(json<Listed>(await cli(['list', '--json'])).total).toBe(2);
  });

  it('refuses unknown formats and unreadable import files without writing anything', async () => {
    const { id } = json<{ id: string }>(await cli(['new', '--provider', 'offline', '--json']));
    const out = join(dataDir, 'x.json');
    const bad = await cli(['export', id, '--format', 'pdf', '--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/elevenlabs, openai-realtime, vapi, markdown, parley/);
    const missing = await cli(['import', join(dataDir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no such file/);
    expect((await readdir(dataDir)).includes('x.json')).toBe(false);
    expect(json<Listed>(await cli(['list', '--json'])).total).toBe(1);
  });

  it('keys status answers without any key and never prints one', async () => {
    const status = json<{ backend: string; providers: Array<{ provider: string; set: boolean }> }>(await cli(['keys', 'status', '--json']));
    expect(status.providers.map((p) => p.provider).sort()).toEqual(['anthropic', 'openai']);
    expect(status.providers.every((p) => p.set === false)).toBe(true);
  });

  it('runs as a real process through npm run cli', () => {
    const r = spawnSync('npm', ['run', '--silent', 'cli', '--', '--data-dir', dataDir, 'new', '--provider', 'offline', '--json'], {
      encoding: 'utf8',
      env: { ...process.env, OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { id: string; stage: string };
    expect(out.stage).toBe('INITIAL');
    const bad = spawnSync('npm', ['run', '--silent', 'cli', '--', '--data-dir', dataDir, 'show', '../x'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/UUID/);
  });
});
