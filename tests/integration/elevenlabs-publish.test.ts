import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '../../shared/errors';
import type { PublishProgress } from '../../shared/publish';
import type { Session } from '../../shared/session';
import { createBackend, type Backend } from '../../electron/backend';
import { dispatch } from '../../electron/rpc';
import { createAppSecretStore, createNodeSecretStore } from '../../electron/secrets';
import { exportSession } from '../../electron/export';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/ipc';
import { customerSupportSession, restaurantSession, surveySession } from '../support/export/sessions';
import { startElevenLabsMock, type ElevenLabsMock, type RecordedRequest } from '../helpers/elevenlabs-mock';
import { deployProblems, DUMMY_API_KEY } from '../helpers/elevenlabs-deploy';
import { aesSafeStorage } from '../helpers/aes-safe-storage';
import { runParley } from '../helpers/cli';

/**
 * Publish against the local ElevenLabs mock, through the backend's IPC contract, with the real
 * secret store (Electron's safeStorage stand-in that really encrypts: the keychain cannot run here).
 */

let mock: ElevenLabsMock;
let dataDir: string;
let backend: Backend;
const progress: PublishProgress[] = [];
const TOKEN = 'Bearer publish-test-token-7c1f';

async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const envelope = await dispatch(backend.handlers, channel, input);
  if (!envelope.ok) throw new ParleyError(envelope.error.code, envelope.error.message);
  return envelope.value as ChannelOutput<C>;
}

async function failure(work: Promise<unknown>): Promise<ParleyError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof ParleyError) return error;
    throw error;
  }
  throw new Error('expected the publish to fail');
}

async function importDesign(session: Session): Promise<string> {
  const { session: imported } = await call('sessions:import', { text: exportSession(session, 'parley').content });
  return imported.id;
}

const since = (from: number): RecordedRequest[] => mock.requests.slice(from);
const creates = (requests: RecordedRequest[], route: string) => requests.filter((r) => r.method === 'POST' && r.route === route && r.status < 300).length;

beforeAll(async () => {
  mock = await startElevenLabsMock();
  dataDir = await mkdtemp(path.join(tmpdir(), 'parley-publish-'));
  const secrets = await createAppSecretStore({ dataDir, env: { ELEVENLABS_API_KEY: DUMMY_API_KEY }, safeStorage: aesSafeStorage(), loadKeytar: () => ({ ok: false, reason: 'no keytar in this test' }) });
  backend = await createBackend({ dataDir, host: 'cli', version: 'test', secrets, elevenLabsBaseUrl: mock.url, elevenLabsMaxRetries: 0 });
  backend.onEvent((event, payload) => {
    if (event === 'publish:progress') progress.push(payload as PublishProgress);
  });
}, 120_000);

afterAll(async () => {
  await backend?.close();
  await mock?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('Publish to ElevenLabs (local API mock)', () => {
  it('creates the secret, tools and agent, then a re-publish updates the same ones', async () => {
    const id = await importDesign(customerSupportSession());
    expect((await call('publish:secrets', { sessionId: id })).secrets).toEqual([
      { label: 'ORDERS_API_TOKEN', tool: 'get_order_status', header: 'Authorization', holds: '"Bearer " followed by the access token', stored: false },
    ]);

    // Without the value, nothing is sent to ElevenLabs and the step says what to type.
    const before = mock.requests.length;
    const missing = await failure(call('publish:run', { sessionId: id }));
    expect(missing.code).toBe('INVALID_INPUT');
    expect(missing.message).toMatch(/step 1 of 4 \(create the secrets for tool authentication\).*Type the value of ORDERS_API_TOKEN/);
    expect(since(before)).toEqual([]);
    expect((await call('sessions:get', { id })).elevenlabs?.lastError?.step).toBe('secrets');

    progress.length = 0;
    const from = mock.requests.length;
    const first = await call('publish:run', { sessionId: id, secrets: { ORDERS_API_TOKEN: TOKEN } });
    expect(first.agent).toBe('created');
    expect(progress.map((p) => `${p.step}:${p.status}`)).toEqual([
      'secrets:started', 'secrets:done', 'tools:started', 'tools:done', 'knowledge_base:started', 'knowledge_base:done', 'agent:started', 'agent:done',
    ]);
    const requests = since(from);
    expect(deployProblems(requests, { secrets: [TOKEN] })).toEqual([]);
    expect(requests.every((r) => r.schemaErrors === null || r.schemaErrors.length === 0)).toBe(true);
    const toolId = first.toolIds.get_order_status!;
    const agent = mock.state.agents.get(first.agentId)!;
    expect((agent.conversation_config as { agent: { prompt: { tool_ids: string[] } } }).agent.prompt.tool_ids).toEqual([toolId]);
    const variable = [...mock.state.envVars.values()].find((v) => v.label === 'ORDERS_API_TOKEN')!;
    const secretId = (variable.values.production as { secret_id: string }).secret_id;
    expect(mock.state.secrets.get(secretId)?.value).toBe(TOKEN);

    // Stored: in the session the ids, in the keychain the value; nowhere in the data folder in clear.
    const session = await call('sessions:get', { id });
    expect(session.elevenlabs).toMatchObject({ agentId: first.agentId, toolIds: { get_order_status: toolId }, dashboardUrl: first.dashboardUrl });
    expect(session.elevenlabs?.lastError).toBeUndefined();
    expect((await call('publish:secrets', { sessionId: id })).secrets[0]?.stored).toBe(true);
    await backend.sessions.flush();
    for (const entry of await readdir(dataDir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) expect(await readFile(path.join(entry.parentPath, entry.name), 'utf8'), entry.name).not.toContain('publish-test-token');
    }

    const mark = mock.requests.length;
    const second = await call('publish:run', { sessionId: id });
    expect(second).toMatchObject({ agent: 'updated', agentId: first.agentId, toolIds: first.toolIds });
    const updates = since(mark);
    expect(updates.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([]);
    expect(updates.filter((r) => r.method === 'PATCH').map((r) => r.route).sort()).toEqual(['/v1/convai/agents/{agent_id}', '/v1/convai/secrets/{secret_id}', '/v1/convai/tools/{tool_id}']);
    expect(deployProblems(updates, { knownToolIds: [toolId], secrets: [TOKEN] })).toEqual([]);
  }, 60_000);

  it('a failure injected at each step names the step, keeps what was done, and the next publish resumes without duplicates', async () => {
    const id = await importDesign(restaurantSession());
    const from = mock.requests.length;
    const agentsBefore = mock.state.agents.size;
    const steps = [
      { step: 'secrets', n: 1, inject: { method: 'POST', route: '/v1/convai/environment-variables', status: 500 } },
      { step: 'tools', n: 2, inject: { method: 'POST', route: '/v1/convai/tools', status: 503 }, after: 1 },
      { step: 'knowledge_base', n: 3, inject: { method: 'POST', route: '/v1/convai/knowledge-base/url', status: 422 } },
      { step: 'agent', n: 4, inject: { method: 'POST', route: '/v1/convai/agents/create', status: 500 } },
    ] as const;
    for (const s of steps) {
      // The tools step fails on its second tool, after the first one was created.
      mock.inject({ ...s.inject, after: 'after' in s ? s.after : 0, detail: `injected at ${s.step}` });
      progress.length = 0;
      const error = await failure(call('publish:run', { sessionId: id, secrets: s.step === 'secrets' ? { BOOKING_KEY: 'booking-key-value-1234' } : undefined }));
      expect(error.message).toContain(`step ${s.n} of 4`);
      expect(error.message).toContain(`injected at ${s.step}`);
      expect(error.message).toMatch(/publish again to retry/);
      expect(progress.at(-1)).toMatchObject({ step: s.step, status: 'failed' });
      const stored = (await call('sessions:get', { id })).elevenlabs;
      expect(stored?.lastError?.step).toBe(s.step);
      expect(stored?.agentId).toBeUndefined();
      expect(mock.state.agents.size).toBe(agentsBefore);
    }
    const done = await call('publish:run', { sessionId: id });
    expect(done.agent).toBe('created');
    const requests = since(from);
    // One of everything, however many attempts it took.
    expect(creates(requests, '/v1/convai/secrets')).toBe(1);
    expect(creates(requests, '/v1/convai/environment-variables')).toBe(1);
    expect(creates(requests, '/v1/convai/tools')).toBe(2);
    expect(creates(requests, '/v1/convai/knowledge-base/url')).toBe(1);
    expect(creates(requests, '/v1/convai/agents/create')).toBe(1);
    expect(mock.state.agents.size).toBe(agentsBefore + 1);
    const agent = mock.state.agents.get(done.agentId)!;
    const prompt = (agent.conversation_config as { agent: { prompt: { tool_ids: string[]; knowledge_base: unknown[] } } }).agent.prompt;
    expect(prompt.tool_ids).toEqual([done.toolIds.create_reservation, done.toolIds.cancel_reservation]);
    expect(prompt.knowledge_base).toEqual([{ type: 'url', name: 'Carta', id: expect.any(String) }]);
    expect((await call('sessions:get', { id })).elevenlabs?.lastError).toBeUndefined();
    expect(requests.every((r) => r.schemaErrors === null || r.schemaErrors.length === 0)).toBe(true);
  }, 60_000);

  it('uploads knowledge-base files and text once, attaches them to the agent, and reuses them on re-publish', async () => {
    const faq = path.join(dataDir, 'faq.txt');
    await writeFile(faq, 'Q: When do technicians come?\nA: Between 8 and 12.\n');
    const design = surveySession();
    design.spec.knowledge_base = [
      { value: { type: 'file', path: faq, name: 'FAQ' }, confidence: 1, source: 'user-edit', locked: false },
      { value: { type: 'text', name: 'Opening hours', text: 'Mon-Fri 8-18.' }, confidence: 1, source: 'user-edit', locked: false },
    ];
    const id = await importDesign(design);
    const from = mock.requests.length;
    const first = await call('publish:run', { sessionId: id });
    const uploads = since(from).filter((r) => r.route?.startsWith('/v1/convai/knowledge-base/'));
    expect(uploads.map((r) => `${r.route} ${r.status}`)).toEqual(['/v1/convai/knowledge-base/file 200', '/v1/convai/knowledge-base/text 200']);
    expect(uploads[0]!.body).toMatchObject({ name: 'FAQ', file: expect.stringContaining('When do technicians come?') });
    const prompt = (mock.state.agents.get(first.agentId)!.conversation_config as { agent: { prompt: { knowledge_base: Array<{ type: string; name: string }> } } }).agent.prompt;
    expect(prompt.knowledge_base.map((d) => `${d.type}:${d.name}`)).toEqual(['file:FAQ', 'text:Opening hours']);
    const again = mock.requests.length;
    await call('publish:run', { sessionId: id });
    expect(since(again).filter((r) => r.route?.startsWith('/v1/convai/knowledge-base/'))).toEqual([]);
  }, 30_000);

  it('a refused key is a PROVIDER_AUTH error at the first step that calls ElevenLabs', async () => {
    const id = await importDesign(surveySession());
    mock.inject({ method: 'POST', route: '/v1/convai/agents/create', status: 401, detail: 'Invalid API key' });
    const error = await failure(call('publish:run', { sessionId: id }));
    expect(error.code).toBe('PROVIDER_AUTH');
    expect(error.message).toMatch(/step 4 of 4 .*refused the API key \(401\)/);
    expect(error.message).not.toContain(DUMMY_API_KEY);
  }, 30_000);

  it('the key test reaches ElevenLabs with the stored key', async () => {
    expect(await call('keys:test', { provider: 'elevenlabs' })).toEqual({ ok: true, message: 'ElevenLabs accepted the key.' });
    mock.inject({ method: 'GET', route: '/v1/convai/agents', status: 401, detail: 'bad key' });
    expect(await call('keys:test', { provider: 'elevenlabs' })).toMatchObject({ ok: false, message: expect.stringMatching(/refused the API key \(401\)/) });
  });

  it('parley publish <id> --json prints the agent, progress on stderr without --json', async () => {
    const cliData = await mkdtemp(path.join(tmpdir(), 'parley-publish-cli-'));
    try {
      const design = path.join(cliData, 'survey.parley.json');
      await writeFile(design, exportSession(surveySession(), 'parley').content);
      const env = { PATH: process.env.PATH, HOME: process.env.HOME, ELEVENLABS_API_KEY: DUMMY_API_KEY, ELEVENLABS_BASE_URL: mock.url };
      const imported = await runParley(cliData, ['import', design, '--json'], { env });
      const { id } = JSON.parse(imported.out) as { id: string };
      const first = await runParley(cliData, ['publish', id, '--json'], { env });
      expect(first.code, first.err).toBe(0);
      const result = JSON.parse(first.out) as { agent: string; agentId: string; dashboardUrl: string };
      expect(result).toMatchObject({ agent: 'created', dashboardUrl: expect.stringContaining(result.agentId) });
      const second = await runParley(cliData, ['publish', id], { env });
      expect(second.code, second.err).toBe(0);
      expect(second.out).toContain(`Updated agent ${result.agentId}`);
      expect(second.err).toMatch(/✓ agent: Agent updated/);
      // A design whose tool needs a secret, typed on stdin (no keychain here: used for this publish only).
      const orders = path.join(cliData, 'orders.parley.json');
      await writeFile(orders, exportSession(customerSupportSession(), 'parley').content);
      const { id: ordersId } = JSON.parse((await runParley(cliData, ['import', orders, '--json'], { env })).out) as { id: string };
      const noSecret = await runParley(cliData, ['publish', ordersId, '--json'], { env });
      expect(noSecret.code).toBe(2);
      expect(noSecret.err).toMatch(/Type the value of ORDERS_API_TOKEN/);
      const withSecret = await runParley(cliData, ['publish', ordersId, '--secrets-from-stdin', '--json'], { env, stdin: JSON.stringify({ ORDERS_API_TOKEN: 'Bearer cli-typed-token-99' }) });
      expect(withSecret.code, withSecret.err).toBe(0);
      expect(JSON.parse(withSecret.out)).toMatchObject({ agent: 'created' });
      expect(JSON.stringify((JSON.parse(withSecret.out) as { steps: unknown }).steps)).toMatch(/not kept/);
      const store = await createNodeSecretStore({ dataDir: cliData, env: {} });
      expect(await store.getToolSecret('ORDERS_API_TOKEN')).toBeNull();
    } finally {
      await rm(cliData, { recursive: true, force: true });
    }
  }, 60_000);
});
