/**
 * Keys without a keychain: a key given "for this session only" answers a real turn against the
 * mock OpenAI server, lives only in the main process (never in the data folder), and is gone after
 * the backend closes (what quitting does).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../electron/backend';
import { createNodeSecretStore } from '../../electron/secrets';
import { dispatch } from '../../electron/rpc';
import { sendTurn, turnPortOf } from '../../shared/client';
import { ParleyError } from '../../shared/errors';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/ipc';
import { startMockLlmServer, type MockLlmServer } from '../helpers/mock-llm-server';

const KEY = 'sk-session-only-0123456789-abcd';
let dataDir: string;
let mock: MockLlmServer;
let backend: Backend;

async function call<C extends Channel>(channel: C, input?: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const envelope = await dispatch(backend.handlers, channel, input, { validateOutput: true });
  if (!envelope.ok) throw new ParleyError(envelope.error.code, envelope.error.message);
  return envelope.value as ChannelOutput<C>;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'parley-session-key-'));
  mock = await startMockLlmServer();
  const secrets = await createNodeSecretStore({ dataDir, env: {}, loadKeytar: () => ({ ok: false, reason: 'no keychain in this test' }) });
  backend = await createBackend({ dataDir, host: 'preview', version: '1', secrets });
});
afterEach(async () => {
  await backend.close();
  await mock.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a key for this session only', () => {
  it('is refused for storage without a keychain, answers a turn when kept in memory, and is forgotten at quit', async () => {
    expect((await call('keys:status')).backend).toBe('none');
    await expect(call('keys:set', { provider: 'openai', key: KEY })).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });

    const status = await call('keys:set', { provider: 'openai', key: KEY, sessionOnly: true });
    expect(status.providers.find((p) => p.provider === 'openai')).toEqual({ provider: 'openai', set: true, source: 'memory', last4: 'abcd', readOnly: false });

    await call('settings:set', { baseURLs: { openai: mock.openaiBaseURL } });
    const session = await call('sessions:create', { provider: 'openai' });
    const reply = JSON.stringify({ reply: 'Which tone should it have?', extracted: [], stage_complete: null, awaiting: 'tone', intent: { approve: null, no_more_tools: null, go_back_to: null } });
    mock.script('openai', { type: 'reply', text: reply });
    const done = await sendTurn(turnPortOf((input) => call('turn:send', input), (listener) => backend.onEvent(listener)), { sessionId: session.id, text: 'A booking agent' });
    expect(done).toMatchObject({ provider: 'openai', reply: 'Which tone should it have?' });
    expect(mock.modelRequests('openai')[0]?.headers.authorization).toBe(`Bearer ${KEY}`);

    await backend.close();
    const files = await filesUnder(dataDir);
    expect(files.some((f) => f.includes('sessions'))).toBe(true);
    for (const file of files) expect(await readFile(file, 'utf8'), file).not.toContain(KEY);
    expect(await backend.secrets.get('openai')).toBeNull();
    expect((await backend.secrets.status()).providers.find((p) => p.provider === 'openai')?.set).toBe(false);
  });
});
