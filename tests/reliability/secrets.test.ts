/**
 * No secret leaks: with a planted key set through `keys set` into the real OS keychain (gnome-keyring
 * over D-Bus), or taken from the environment, or kept in the safeStorage-encrypted file, a full
 * interview, exports, provider errors that echo the key and a key test run through the real preview
 * host and CLI. Then the data dir, exports, every process output and every IPC response and event
 * payload are scanned for the key: 0 hits. `keys status` shows only whether a key is set and its last 4.
 */
import { spawnSync } from 'node:child_process';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeysStatus } from '../../shared/keys';
import type { Session } from '../../shared/session';
import { createAppSecretStore } from '../../electron/secrets';
import { startMockLlmServer, type MockLlmServer } from '../helpers/mock-llm-server';
import { BridgeClient, call, cleanEnv, cliArgv, ensureBundle, runCliProcess, startHost, turn, type Wrap } from './support/processes';
import { record } from './support/figures';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const missing = ['dbus-run-session', 'gnome-keyring-daemon', 'secret-tool'].filter((c) => !has(c));
const CI = process.env.CI === 'true';
if (missing.length && !CI) {
  console.warn(`\n!!! SKIPPING the real keychain secrets scan: ${missing.join(', ')} not installed (apt-get install dbus gnome-keyring libsecret-tools). In CI this is a failure.\n`);
}

/** The offline interviewer's example conversation, start to COMPLETED. */
const INTERVIEW = [
  'I want to build a customer support agent',
  'Help customers track orders and handle returns',
  'Friendly and empathetic',
  'Yes, I want to integrate our order API',
  'get_order_status',
  'Looks up where an order is and when it will arrive',
  'https://api.example.com/orders/{order_id}',
  'GET',
  'Bearer token in the Authorization header',
  '{"type":"object","properties":{"order_id":{"type":"string","description":"The order number"}},"required":["order_id"]}',
  'status: string, estimated_delivery: string optional',
  'When the caller asks where their order is',
  'Apologise, and offer to take a message',
  'no more tools',
  'Looks good, approve',
];
const FORMATS = ['elevenlabs', 'openai-realtime', 'vapi', 'markdown', 'parley'];

const dirs: string[] = [];
beforeAll(async () => {
  await ensureBundle();
});
afterAll(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
const temp = async (prefix: string) => {
  const d = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

function plantedKey(tag: string): string {
  return `sk-proj-PLANTED${tag}${randomBytes(18).toString('hex')}`;
}

/** Needles: the key, and its tail alone (a key with its prefix stripped is still a leak). */
function hits(text: string | Buffer, key: string): number {
  const s = typeof text === 'string' ? text : text.toString('latin1');
  return [key, key.slice(-24)].reduce((n, needle) => n + s.split(needle).length - 1, 0);
}

async function scanDir(dir: string, key: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (hits(await readFile(path), key)) found.push(path);
  }
  return found;
}

interface Exposure {
  /** Everything the renderer could see, and every process output, as text. */
  texts: Array<[string, string]>;
  status: KeysStatus;
}

/**
 * The whole product flow against a mock provider, through a running preview host: a full offline
 * interview, OpenAI turns (one good, a 401 and a 500 whose bodies echo the key), a key test, export
 * previews of every format; then CLI exports to files and a CLI turn that fails.
 */
async function exercise(opts: { dataDir: string; outDir: string; mock: MockLlmServer; key: string; env: NodeJS.ProcessEnv; wrap?: Wrap }): Promise<Exposure> {
  const { dataDir, outDir, mock, key } = opts;
  const texts: Array<[string, string]> = [];
  const host = await startHost(dataDir, { env: opts.env, wrap: opts.wrap, provider: 'auto' });
  let client: BridgeClient | undefined;
  try {
    client = await BridgeClient.connect(host);
    const interview = await call<Session>(client, 'sessions:create', { provider: 'offline' });
    for (const text of INTERVIEW) expect((await turn(client, interview.id, text)).event).toBe('turn:done');
    expect((await call<Session>(client, 'sessions:get', { id: interview.id })).stage).toBe('COMPLETED');

    const chat = await call<Session>(client, 'sessions:create', { provider: 'openai' });
    const reply = JSON.stringify({ reply: 'Which tone should it have?', extracted: [], stage_complete: null, awaiting: 'tone', intent: { approve: null, no_more_tools: null, go_back_to: null } });
    mock.script('openai', { type: 'reply', text: reply });
    expect((await turn(client, chat.id, 'A booking agent')).event).toBe('turn:done');
    // OpenAI's real 401 body echoes (part of) the key; some proxies echo the header itself.
    mock.script('openai', { type: 'error', status: 401, message: `Incorrect API key provided: ${key}. Authorization: Bearer ${key}` });
    const denied = await turn(client, chat.id, 'Warm');
    expect(denied.event).toBe('turn:error');
    expect((denied.payload.error as { code: string }).code).toBe('PROVIDER_AUTH');
    mock.fallbackStep.openai = { type: 'error', status: 500, message: `upstream failed; headers were {"authorization":"Bearer ${key}","x-api-key":"${key}"}` };
    const failed = await turn(client, chat.id, 'Still warm');
    expect(failed.event).toBe('turn:error');
    mock.script('openai', { type: 'error', status: 401, message: `Incorrect API key provided: ${key}` });
    const tested = await call<{ ok: boolean; message: string }>(client, 'keys:test', { provider: 'openai' });
    expect(tested.ok).toBe(false);
    for (const format of FORMATS) await client.request('export:preview', { sessionId: interview.id, format });
    const status = await call<KeysStatus>(client, 'keys:status');
    await client.request('settings:get');
    await client.request('sessions:list');
    texts.push(['IPC responses and events', client.frames.join('\n')]);

    client.close();
    await host.kill('SIGTERM');
    texts.push(['preview host stderr', host.stderr()]);

    for (const format of FORMATS) {
      const out = join(outDir, `agent.${format}`);
      const run = await runCliProcess(dataDir, ['--json', 'export', interview.id, '--format', format, '--out', out], { env: opts.env, entry: 'bundle' });
      expect(run.code, run.err).toBe(0);
      texts.push([`cli export ${format}`, run.out + run.err]);
    }
    const cliFail = await runCliProcess(dataDir, ['--json', 'say', chat.id, 'One more try'], { env: opts.env, entry: 'bundle' });
    texts.push(['cli failing turn', cliFail.out + cliFail.err]);
    const show = await runCliProcess(dataDir, ['show', chat.id], { env: opts.env, entry: 'bundle' });
    texts.push(['cli show', show.out + show.err]);
    return { texts, status };
  } finally {
    client?.close();
    await host.kill('SIGKILL');
  }
}

async function expectNoLeak(key: string, dataDir: string, outDir: string, exposure: Exposure): Promise<number> {
  const leaks = [...(await scanDir(dataDir, key)), ...(await scanDir(outDir, key)), ...exposure.texts.filter(([, t]) => hits(t, key)).map(([n]) => n)];
  expect(leaks).toEqual([]);
  const openai = exposure.status.providers.find((p) => p.provider === 'openai');
  expect(openai?.set).toBe(true);
  expect(openai?.last4).toBe(key.slice(-4));
  // The scan can find what it looks for: the exposure really did include the key's provider calls.
  expect(exposure.texts.some(([, t]) => t.includes('[redacted]') || t.includes('rejected the API key'))).toBe(true);
  return leaks.length;
}

describe('secrets never leak (real processes, planted keys)', () => {
  it.skipIf(missing.length > 0 && !CI)('keychain: keys set through the CLI into gnome-keyring, then interview, errors, exports — 0 hits', async () => {
    expect(missing, 'keychain prerequisites are missing in CI').toEqual([]);
    const mock = await startMockLlmServer();
    try {
      const dataDir = await temp('parley-rel-secrets-kc-');
      const outDir = await temp('parley-rel-secrets-out-');
      const home = await temp('parley-rel-keyring-home-');
      const key = plantedKey('KC');
      const keyFile = join(home, 'key.txt');
      await writeFile(keyFile, key, { mode: 0o600 });
      const env = {
        ...cleanEnv({ OPENAI_BASE_URL: mock.openaiBaseURL, ANTHROPIC_BASE_URL: mock.anthropicBaseURL }),
        HOME: home,
        XDG_DATA_HOME: join(home, 'data'),
        XDG_RUNTIME_DIR: home,
      };
      const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
      const cli = [...cliArgv('tsx'), '--data-dir', dataDir].map(q).join(' ');
      // One D-Bus session: unlock the keyring, store the key from stdin, look it up, then run the host in it.
      const script = [
        'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1',
        `${cli} keys set openai < ${q(keyFile)} > ${q(join(outDir, 'keys-set.out'))} 2>&1`,
        `${cli} --json keys status > ${q(join(outDir, 'keys-status.json'))} 2>&1`,
        `if secret-tool lookup service Parley account openai | cmp -s - ${q(keyFile)}; then echo match; else echo differ; fi > ${q(join(home, 'lookup.txt'))}`,
        `rm -f ${q(keyFile)}`,
        'exec "$@"',
      ].join('\n');
      const wrap: Wrap = (argv) => ['dbus-run-session', '--', 'bash', '-c', script, 'bash', ...argv];
      const exposure = await exercise({ dataDir, outDir, mock, key, env, wrap });
      expect((await readFile(join(home, 'lookup.txt'), 'utf8')).trim()).toBe('match');
      expect(await readFile(join(outDir, 'keys-set.out'), 'utf8')).toMatch(/openai key stored \(keychain\)/);
      const status = JSON.parse(await readFile(join(outDir, 'keys-status.json'), 'utf8')) as KeysStatus;
      expect(status.backend).toBe('keychain');
      expect(status.providers.find((p) => p.provider === 'openai')).toEqual({ provider: 'openai', set: true, source: 'keychain', last4: key.slice(-4), readOnly: false });
      expect(exposure.status.providers.find((p) => p.provider === 'openai')?.source).toBe('keychain');
      await record('secrets.keychainHits', await expectNoLeak(key, dataDir, outDir, exposure));
    } finally {
      await mock.close();
    }
  });

  it('environment key: interview, errors, exports — 0 hits', async () => {
    const mock = await startMockLlmServer();
    try {
      const dataDir = await temp('parley-rel-secrets-env-');
      const outDir = await temp('parley-rel-secrets-envout-');
      const key = plantedKey('ENV');
      const env = cleanEnv({ OPENAI_API_KEY: key, OPENAI_BASE_URL: mock.openaiBaseURL, ANTHROPIC_BASE_URL: mock.anthropicBaseURL });
      const exposure = await exercise({ dataDir, outDir, mock, key, env });
      expect(exposure.status.providers.find((p) => p.provider === 'openai')?.source).toBe('env');
      await record('secrets.envHits', await expectNoLeak(key, dataDir, outDir, exposure));
    } finally {
      await mock.close();
    }
  });

  it('safeStorage fallback (no keychain): the key file in the data dir holds ciphertext only', async () => {
    const dataDir = await temp('parley-rel-secrets-safe-');
    const key = plantedKey('SAFE');
    // Real encryption standing in for the OS-backed safeStorage (AES-256-GCM with a process key).
    const master = randomBytes(32);
    const safeStorage = {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString(plain: string) {
        const iv = randomBytes(12);
        const c = createCipheriv('aes-256-gcm', master, iv);
        const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
        return Buffer.concat([iv, c.getAuthTag(), body]);
      },
      decryptString(data: Buffer) {
        const d = createDecipheriv('aes-256-gcm', master, data.subarray(0, 12));
        d.setAuthTag(data.subarray(12, 28));
        return Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8');
      },
    };
    const store = await createAppSecretStore({ dataDir, env: {}, safeStorage, loadKeytar: () => ({ ok: false, reason: 'no keychain in this test' }) });
    await store.set('openai', key);
    const status = await store.status();
    expect(status.backend).toBe('safeStorage');
    expect(status.providers.find((p) => p.provider === 'openai')).toEqual({ provider: 'openai', set: true, source: 'safeStorage', last4: key.slice(-4), readOnly: false });
    expect(hits(JSON.stringify(status), key)).toBe(0);
    expect(await store.get('openai')).toBe(key);
    expect(await scanDir(dataDir, key)).toEqual([]);
    expect((await readdir(dataDir)).length).toBeGreaterThan(0); // something was written, and it is not the key
  });
});
