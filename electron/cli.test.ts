import { describe, it, expect, beforeEach, afterEach, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { runParley, type CliRun } from '../tests/helpers/cli';
import { startMockLlmServer, type MockLlmServer } from '../tests/helpers/mock-llm-server';
import { Session } from '../shared/session';
import { ProviderChoice } from '../shared/providers';
import { EXPORT_FORMATS, exportSession } from './export';
import { customerSupportSession } from '../tests/support/export/sessions';
import { writeFixtureSessions } from '../tests/support/session-fixtures';
import { USAGE, VERSION } from './cli';
import pkg from '../package.json';

const REPO_ROOT = join(import.meta.dirname, '..');
const BUNDLE = join(REPO_ROOT, 'out', 'cli', 'parley.mjs');

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
    expect(bad.err).toMatch(/elevenlabs, elevenlabs-agent, openai-realtime, vapi, markdown, parley/);
    const missing = await cli(['import', join(dataDir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no such file/);
    expect((await readdir(dataDir)).includes('x.json')).toBe(false);
    expect(json<Listed>(await cli(['list', '--json'])).total).toBe(1);
  });

  it('exports an ElevenLabs project to a folder or a .zip, links tool ids after tools push, keeps them on re-export, and imports the project', async () => {
    const design = join(dataDir, 'design.parley.json');
    await writeFile(design, exportSession(customerSupportSession(), 'parley').content);
    const { id } = json<{ id: string }>(await cli(['import', design, '--json']), { warnings: true });

    const project = join(dataDir, 'support');
    const written = json<{ file: string; format: string }>(await cli(['export', id, '--out', project, '--json']), { warnings: true });
    expect(written).toMatchObject({ file: project, format: 'elevenlabs' });
    const agentFile = join(project, 'agent_configs', 'customer-support-agent.json');
    const toolIds = async () => (JSON.parse(await readFile(agentFile, 'utf8')) as { conversation_config: { agent: { prompt: { tool_ids: string[] } } } }).conversation_config.agent.prompt.tool_ids;
    expect(await toolIds()).toEqual(['get_order_status']);

    const early = await cli(['elevenlabs-link', project, '--json']);
    expect(early.code).toBe(1);
    expect(JSON.parse(early.err)).toMatchObject({ error: { code: 'CONFLICT', message: expect.stringMatching(/tools push/) } });

    // What `elevenlabs tools push` writes back.
    await writeFile(join(project, 'tools.json'), JSON.stringify({ tools: [{ type: 'webhook', config: 'tool_configs/get_order_status.json', id: 'tool_123' }] }, null, 4));
    const linked = json<{ linked: unknown[]; files: string[] }>(await cli(['elevenlabs-link', project, '--json']));
    expect(linked).toEqual({ linked: [{ agent: 'agent_configs/customer-support-agent.json', tool: 'get_order_status', id: 'tool_123' }], files: ['agent_configs/customer-support-agent.json'] });
    expect(await toolIds()).toEqual(['tool_123']);

    json(await cli(['export', id, '--out', project, '--json']), { warnings: true });
    expect(await toolIds()).toEqual(['tool_123']);
    expect(JSON.parse(await readFile(join(project, 'tools.json'), 'utf8'))).toEqual({ tools: [{ type: 'webhook', config: 'tool_configs/get_order_status.json', id: 'tool_123' }] });

    const zip = join(dataDir, 'support.zip');
    json(await cli(['export', id, '--format', 'elevenlabs', '--out', zip, '--json']), { warnings: true });
    for (const source of [zip, project]) {
      const imported = json<{ id: string; stage: string; name: string }>(await cli(['import', source, '--json']), { warnings: true });
      expect(imported).toMatchObject({ stage: 'REVIEWING_WORKFLOW', name: 'Customer support agent' });
    }
    const notProject = await cli(['elevenlabs-link', dataDir]);
    expect(notProject.code).toBe(2);
    expect(notProject.err).toMatch(/not an ElevenLabs agents-as-code project/);
  });

  it('keys status answers without any key and never prints one', async () => {
    const status = json<{ backend: string; providers: Array<{ provider: string; set: boolean }> }>(await cli(['keys', 'status', '--json']));
    expect(status.providers.map((p) => p.provider).sort()).toEqual(['anthropic', 'elevenlabs', 'openai']);
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

describe('cli list pages', () => {
  async function create(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(json<{ id: string }>(await cli(['new', '--provider', 'offline', '--json'])).id);
    return ids;
  }

  it('--limit 5 --json on 12 sessions prints 5 entries and total 12, and says on stderr how many more there are', async () => {
    const ids = await create(12);
    const run = await cli(['list', '--limit', '5', '--json']);
    expect(run.code).toBe(0);
    const page = JSON.parse(run.out) as Listed;
    expect(page.items).toHaveLength(5);
    expect(page.total).toBe(12);
    expect(page.offset).toBe(0);
    expect(run.err).toBe('7 more sessions not shown (--offset 5 for the next ones; 12 in all).\n');
    // Newest first, and the pages put together are the whole list, each session once.
    const all = json<Listed>(await cli(['list', '--json']));
    expect(all.items.map((r) => r.id)).toEqual([...ids].reverse());
    const pages: string[] = [];
    for (let offset = 0; offset < 12; offset += 5) {
      const r = await cli(['list', '--json', '--limit', '5', '--offset', String(offset)]);
      const p = JSON.parse(r.out) as Listed;
      expect(p).toMatchObject({ total: 12, offset });
      pages.push(...p.items.map((i) => i.id));
      expect(r.err === '').toBe(offset + 5 >= 12);
    }
    expect(pages).toEqual(all.items.map((r) => r.id));
    expect(json<Listed>(await cli(['list', '--json', '--limit', '0']), { warnings: true })).toEqual({ items: [], total: 12, offset: 0 });
    expect(json<Listed>(await cli(['list', '--json', '--offset', '40']))).toEqual({ items: [], total: 12, offset: 40 });
    const human = await cli(['list', '--limit', '2', '--offset', '10']);
    expect(human.out.trim().split('\n')).toHaveLength(2);
    expect(human.err).toBe('');
  });

  it("lists every session past the contract's 500 a page: nothing is cut silently", async () => {
    await writeFixtureSessions(dataDir, 620);
    const run = await cli(['list', '--json']);
    expect(run.err).toBe('');
    const all = JSON.parse(run.out) as Listed;
    expect(all.total).toBe(620);
    expect(new Set(all.items.map((r) => r.id)).size).toBe(620);
    const human = await cli(['list']);
    expect(human.out.trim().split('\n')).toHaveLength(620);
    const tail = await cli(['list', '--json', '--offset', '400', '--limit', '600']);
    expect((JSON.parse(tail.out) as Listed).items).toHaveLength(220);
    expect(tail.err).toBe('');
  });

  it.each([['-1'], ['x'], ['1.5'], ['']])('refuses --limit %j as a usage error', async (bad) => {
    const run = await cli(['list', '--json', '--limit', bad]);
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    expect(JSON.parse(run.err)).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringMatching(/--limit/) } });
  });
});

describe('cli usage', () => {
  it('--version and -v print the package version; --help prints the usage on stdout, also with --json', async () => {
    expect(VERSION).toBe(pkg.version);
    for (const args of [['--version'], ['-v'], ['list', '--version']]) {
      const run = await cli(args);
      expect(run).toEqual({ code: 0, out: `${pkg.version}\n`, err: '' });
    }
    expect(JSON.parse((await cli(['--version', '--json'])).out)).toEqual({ version: pkg.version });
    for (const args of [['--help'], ['-h'], ['--help', '--json'], ['say', '--help']]) {
      const run = await cli(args);
      expect(run).toEqual({ code: 0, out: `${USAGE}\n`, err: '' });
    }
  });

  it('the usage names every provider choice and export format', () => {
    for (const p of ProviderChoice.options) expect(USAGE).toContain(p);
    for (const f of EXPORT_FORMATS) expect(USAGE).toContain(f);
  });

  it.each([
    [[]],
    [['frobnicate']],
    [['--frobnicate']],
    [['new', '--provider', 'gemini']],
    [['show']],
    [['say', '00000000-0000-4000-8000-000000000000']],
    [['keys', 'set', 'openai', 'sk-on-the-command-line']],
    [['keys', 'rotate']],
    [['export', '00000000-0000-4000-8000-000000000000']],
    [['export', '00000000-0000-4000-8000-000000000000', '--out', 'x.json', '--format', 'pdf']],
    [['import']],
    [['list', '--offset', 'ten']],
  ])('with --json, the usage error of %j is one JSON line on stderr, exit 2', async (args) => {
    const run = await cli(['--json', ...args]);
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    expect(run.err.endsWith('\n')).toBe(true);
    expect(run.err.trim().split('\n')).toHaveLength(1);
    const { error } = JSON.parse(run.err) as { error: { code: string; message: string } };
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/parley --help/);
    const plain = await cli(args);
    expect(plain.code).toBe(2);
    expect(plain.err).toContain(USAGE);
  });
});

describe('the built parley', () => {
  let mock: MockLlmServer;
  beforeAll(async () => {
    // npm run cli: the launcher rebuilds out/cli/parley.mjs first when a source is newer.
    const built = spawnSync('npm', ['run', '--silent', 'cli', '--', '--version'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(built.stderr).toBe('');
    expect(built.stdout).toBe(`${pkg.version}\n`);
    mock = await startMockLlmServer();
  }, 120_000);
  afterAll(async () => {
    await mock?.close();
  });

  it('is package.json bin "parley": a Node script with a shebang, executable', async () => {
    expect((pkg as { bin?: Record<string, string> }).bin).toEqual({ parley: 'out/cli/parley.mjs' });
    expect((await readFile(BUNDLE, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect((await stat(BUNDLE)).mode & 0o111).toBe(0o111);
    const run = spawnSync(BUNDLE, ['--help'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${USAGE}\n`);
  });

  /**
   * The ES modules a run of the bundle loaded, as paths under out/cli. Asynchronous: the mock
   * provider answers from this process.
   */
  async function loaded(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ modules: string[]; status: number | null; stderr: string }> {
    const trace = join(dataDir, 'modules.txt');
    const hooks = pathToFileURL(join(REPO_ROOT, 'tests', 'helpers', 'trace-modules.mjs')).href;
    const child = spawn(process.execPath, ['--import', hooks, BUNDLE, '--data-dir', dataDir, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PARLEY_TRACE_MODULES: trace, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const text = await readFile(trace, 'utf8').catch(() => '');
    await rm(trace, { force: true });
    const prefix = `${pathToFileURL(join(REPO_ROOT, 'out', 'cli')).href}/`;
    return { modules: text.split('\n').filter(Boolean).map((u) => u.slice(prefix.length)), status, stderr };
  }

  it('loads no provider SDK for --version or list; a turn with a provider does', async () => {
    const chunks = await readdir(join(REPO_ROOT, 'out', 'cli', 'chunks'));
    const sdkChunks: string[] = [];
    for (const c of chunks.filter((n) => n.endsWith('.mjs'))) {
      const text = await readFile(join(REPO_ROOT, 'out', 'cli', 'chunks', c), 'utf8');
      if (text.includes('OPENAI_BASE_URL') || text.includes('ANTHROPIC_BASE_URL')) sdkChunks.push(`chunks/${c}`);
    }
    expect(sdkChunks).toHaveLength(2); // the OpenAI SDK and the Anthropic SDK

    const version = await loaded(['--version']);
    expect(version.status).toBe(0);
    expect(version.modules).toEqual(['parley.mjs']);
    json(await cli(['new', '--provider', 'offline', '--json']));
    const list = await loaded(['list']);
    expect(list.status, list.stderr).toBe(0);
    expect(list.modules).toContain('parley.mjs');
    expect(list.modules.filter((m) => sdkChunks.includes(m))).toEqual([]);

    const env = { OPENAI_API_KEY: 'sk-test-cli-062056789abcdef', OPENAI_BASE_URL: mock.openaiBaseURL };
    const { id } = json<{ id: string }>(await runParley(dataDir, ['new', '--provider', 'openai', '--json'], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } }));
    mock.script('openai', { type: 'reply', text: JSON.stringify({ reply: 'A support agent, got it. What should it achieve?', proposals: [] }) });
    const turn = await loaded(['--json', 'say', id, 'A support agent'], env);
    expect(turn.status, turn.stderr).toBe(0);
    expect(turn.modules.filter((m) => sdkChunks.includes(m))).toHaveLength(1);
  });
});

