import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '../../shared/errors';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/ipc';
import { EXPORT_FORMATS } from '../../shared/export';
import type { TryResult } from '../../shared/workbench';
import { createBackend, type Backend } from '../../electron/backend';
import { dispatch } from '../../electron/rpc';
import { createAppSecretStore } from '../../electron/secrets';
import { fire } from '../../electron/workbench/http';
import { createWorkbenchService } from '../../electron/workbench/service';
import { exportSession } from '../../electron/export';
import { aesSafeStorage } from '../helpers/aes-safe-storage';
import { BIG_BYTES, startWorkbenchServer, type WorkbenchServer } from '../helpers/workbench-server';

/**
 * Test-fires against a real local API (HTTP, and HTTPS with a CA only this test trusts), through
 * the backend's contract, with the real secret store (an encrypting safeStorage stand-in: the OS
 * keychain cannot run here). Every envelope and event is recorded to prove the secret never
 * crosses the contract.
 */

const TOKEN = 'planted-secret-token-5f0c2a9e';
const PARTNER_KEY = 'planted-partner-key-91d3b7';
const SPEC = path.join(import.meta.dirname, '../fixtures/workbench/shop-openapi-3.1.yaml');

let server: WorkbenchServer;
let dataDir: string;
let backend: Backend;
let sessionId: string;
const wire: string[] = [];

async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  wire.push(JSON.stringify({ channel, input }));
  const envelope = await dispatch(backend.handlers, channel, input);
  wire.push(JSON.stringify(envelope));
  if (!envelope.ok) throw new ParleyError(envelope.error.code, envelope.error.message);
  return envelope.value as ChannelOutput<C>;
}

let tries = 0;
const tryId = () => `try-${String(++tries).padStart(6, '0')}`;

async function fireTool(tool: number, input: Record<string, unknown>, consent: { confirmHost?: boolean; allowPrivate?: boolean } = { confirmHost: true, allowPrivate: true }): Promise<TryResult> {
  return call('tools:try', { sessionId, tool, tryId: tryId(), input, ...consent });
}

function response(result: TryResult): Extract<TryResult, { kind: 'response' }> {
  if (result.kind !== 'response') throw new Error(`expected a response, got ${JSON.stringify(result)}`);
  return result;
}

async function importCurl(command: string): Promise<number> {
  const { session, tools } = await call('tools:import', { sessionId, source: { text: command } });
  return session.spec.tools.findIndex((t) => t.name?.value === tools[0]);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

beforeAll(async () => {
  server = await startWorkbenchServer({ token: TOKEN, partnerKey: PARTNER_KEY, files: { '/openapi.yaml': await readFile(SPEC, 'utf8') } });
  dataDir = await mkdtemp(path.join(tmpdir(), 'parley-workbench-'));
  const secrets = await createAppSecretStore({ dataDir, env: {}, safeStorage: aesSafeStorage(), loadKeytar: () => ({ ok: false, reason: 'no keytar in this test' }) });
  await secrets.setToolSecret('SHOP_API_TOKEN', `Bearer ${TOKEN}`);
  await secrets.setToolSecret('SHOP_API_API_KEY', PARTNER_KEY);
  backend = await createBackend({ dataDir, host: 'cli', version: 'test', secrets, workbenchNetwork: { ca: server.ca } });
  backend.onEvent((event, payload) => wire.push(JSON.stringify({ event, payload })));
  sessionId = (await call('sessions:create', { provider: 'offline' })).id;
  // The user's own API description, its server being the local test API over HTTPS.
  const text = (await readFile(SPEC, 'utf8')).replace('https://{env}.shop.test/v1', server.httpsUrl);
  const imported = await call('tools:import', { sessionId, source: { text }, operations: ['getOrder', 'createOrder', 'cancelOrder'] });
  expect(imported.tools).toEqual(['get_order', 'create_order', 'cancel_order']);
}, 60_000);

afterAll(async () => {
  await backend?.close();
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('test-fire against the local API', () => {
  it('asks before the first call to a new host, then GETs with path and query params and the secret', async () => {
    const first = await fireTool(0, { order_id: 'A-1001', include: 'items' }, {});
    expect(first).toMatchObject({ kind: 'confirm-host', host: new URL(server.httpsUrl).host });
    expect(first.kind === 'confirm-host' && first.message).toMatch(/never called .* with the secret SHOP_API_TOKEN/);
    const before = server.seen.length;
    const hit = await fireTool(0, { order_id: 'A-1001', include: 'items' }, { confirmHost: true, allowPrivate: true });
    const r = response(hit);
    expect(server.seen.slice(before)).toHaveLength(1);
    expect(server.seen.at(-1)).toMatchObject({ method: 'GET', url: '/orders/A-1001?include=items' });
    expect(server.seen.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(r.status).toBe(200);
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    expect(r.json).toBe(true);
    expect(JSON.parse(r.body)).toMatchObject({ id: 'A-1001', status: 'paid', loyalty_points: 12 });
    expect(r.body).toContain('\n  "id": "A-1001"'); // pretty-printed
    expect(r.request.headers.authorization).toBe('<secret SHOP_API_TOKEN>');
    // The body has a field the schema lacks: the proposal adds it.
    expect(r.schema.matches).toBe(false);
    expect(r.schema.changes).toContain('new field: loyalty_points (integer)');
    expect(r.schema.proposed).toMatchObject({ properties: { loyalty_points: { type: 'integer' }, total: { required: ['amount', 'currency'] } } });
    // Consent is remembered on the tool: the next call does not ask.
    const session = await call('sessions:get', { id: sessionId });
    expect(session.spec.tools[0]!.workbench).toMatchObject({ confirmed_hosts: [new URL(server.httpsUrl).host], allow_private_network: true });
    expect(response(await fireTool(0, { order_id: 'A-1001' }, {})).status).toBe(200);
  });

  it('accepts the proposed output schema and saves the exchange as a fixture without the secret', async () => {
    const r = response(await fireTool(0, { order_id: 'A-1001', include: 'items' }));
    await call('spec:edit', { sessionId, path: 'tools[0].output_schema', value: r.schema.proposed });
    const saved = await call('tools:save-example', { sessionId, tool: 0, tryId: `try-${String(tries).padStart(6, '0')}` });
    const tool = saved.spec.tools[0]!;
    expect(tool.output_schema!.value).toEqual(r.schema.proposed);
    const example = tool.workbench!.examples!.at(-1)!;
    expect(example).toMatchObject({ input: { order_id: 'A-1001', include: 'items' }, request: { method: 'GET', headers: { authorization: '<secret SHOP_API_TOKEN>' } }, response: { status: 200, truncated: false } });
    expect(JSON.parse(example.response.body)).toMatchObject({ id: 'A-1001' });
    // Fired again, the body now fits the accepted schema.
    expect(response(await fireTool(0, { order_id: 'A-1001', include: 'items' })).schema).toEqual({ matches: true, changes: [], proposed: null });
  });

  it('keeps the newest 5 fixtures of a tool, each body cut at 32 KB', async () => {
    const index = await importCurl(`curl ${server.httpUrl}/big`);
    let session;
    for (let i = 0; i < 6; i++) {
      const id = tryId();
      await call('tools:try', { sessionId, tool: index, tryId: id, input: {}, confirmHost: true, allowPrivate: true });
      session = await call('tools:save-example', { sessionId, tool: index, tryId: id });
    }
    const examples = session!.spec.tools[index]!.workbench!.examples!;
    expect(examples).toHaveLength(5);
    expect(examples.every((e) => e.response.body.length === 32 * 1024 && e.response.truncated)).toBe(true);
    await expect(call('tools:save-example', { sessionId, tool: index, tryId: 'never-fired-1' })).rejects.toThrow(/no longer kept/);
  });

  it('POSTs a nested JSON body with the API key header', async () => {
    const input = (await call('tools:example-input', { sessionId, tool: 1 })).input;
    expect(input).toMatchObject({ customer: { name: expect.any(String), phone: expect.any(String) }, items: [{ sku: expect.any(String), quantity: 1 }] });
    const r = response(await fireTool(1, { ...input, customer: { name: 'Ana', phone: '+34600000000' } }));
    expect(r.status).toBe(201);
    const seen = server.seen.at(-1)!;
    expect(seen.method).toBe('POST');
    expect(seen.headers['x-partner-key']).toBe(PARTNER_KEY);
    expect(JSON.parse(seen.body)).toMatchObject({ customer: { name: 'Ana', phone: '+34600000000' }, items: [{ quantity: 1 }] });
    expect(r.request.headers['x-partner-key']).toBe('<secret SHOP_API_API_KEY>');
  });

  it('DELETEs with a required query param; no body, nothing to propose', async () => {
    const r = response(await fireTool(2, { order_id: 'A-1002', reason: 'changed my mind' }));
    expect(r.status).toBe(204);
    expect(server.seen.at(-1)).toMatchObject({ method: 'DELETE', url: '/orders/A-1002?reason=changed+my+mind' });
    expect(r.schema).toEqual({ matches: true, changes: [], proposed: null });
  });

  it('404 shows the URL that was called; 401 names the secret to check', async () => {
    const missing = response(await fireTool(0, { order_id: 'NOPE' }));
    expect(missing.status).toBe(404);
    expect(missing.problem).toContain(`GET ${server.httpsUrl}/orders/NOPE`);
    const index = await importCurl(`curl -H 'Authorization: Bearer x' ${server.httpUrl}/orders/A-1001`);
    const refused = response(await fireTool(index, {}));
    expect(refused.status).toBe(401);
    expect(refused.problem).toBe("401: no value is stored for the secret API_TOKEN, so the request went without it. Type it in the test-fire's secret field (the CLI: --secrets-from-stdin) and fire again.");
    await backend.secrets.setToolSecret('API_TOKEN', 'Bearer not-the-right-token');
    const wrong = response(await fireTool(index, {}));
    expect(wrong.status).toBe(401);
    expect(wrong.problem).toBe('401: the server refused the credentials. Check the secret API_TOKEN: its value may be wrong, expired or lack permission for this call.');
  });

  it('a private address is refused without consent', async () => {
    const index = await importCurl(`curl ${server.httpUrl}/echo-auth`);
    const before = server.seen.length;
    const result = await fireTool(index, {}, { confirmHost: true });
    expect(result).toMatchObject({ kind: 'error', reason: 'private-address' });
    expect(server.seen.length).toBe(before);
  });

  it('a redirect to another host is refused; one to the same host is followed', async () => {
    const other = await importCurl(`curl ${server.httpUrl}/redirect-other`);
    const before = server.seen.length;
    const refused = await fireTool(other, {});
    expect(refused).toMatchObject({ kind: 'error', reason: 'redirect' });
    expect(refused.kind === 'error' && refused.message).toMatch(/another host \(localhost:\d+\)/);
    expect(server.seen.slice(before).map((s) => s.url)).toEqual(['/redirect-other']);
    const same = await importCurl(`curl ${server.httpUrl}/redirect-same`);
    const followed = response(await fireTool(same, {}));
    expect(followed.request.url).toBe(`${server.httpUrl}/orders/A-1001?include=items`);
  });

  it('a 5 MB response is cut at 1 MB with a notice', async () => {
    const index = await importCurl(`curl ${server.httpUrl}/big`);
    const r = response(await fireTool(index, {}));
    expect(r.truncated).toBe(true);
    expect(r.size).toBe(BIG_BYTES);
    expect(Buffer.byteLength(r.body)).toBe(1024 * 1024);
    expect(r.notice).toMatch(/5\.0 MB; only the first 1\.0 MB is shown/);
    expect(r.schema.proposed).toBeNull();
  });

  it('a secret the server echoes back is shown by its name', async () => {
    const text = `curl -H 'Authorization: Bearer x' ${server.httpUrl}/echo-auth?again=1`;
    const { session, tools } = await call('tools:import', { sessionId, source: { text } });
    const index = session.spec.tools.findIndex((t) => t.name?.value === tools[0]);
    const label = session.spec.tools[index]!.auth!.value.secret_name!;
    await backend.secrets.setToolSecret(label, `Bearer ${TOKEN}`);
    const r = response(await fireTool(index, {}));
    expect(server.seen.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(r.body)).toEqual({ you_sent: `<secret ${label}>` });
  });

  it('a secret typed at the test-fire goes to the key store once and is sent; it is never sent back', async () => {
    const TYPED = 'typed-in-the-dialog-7c1e';
    const text = `curl -H 'Authorization: Bearer x' ${server.httpUrl}/echo-auth?typed=1`;
    const { session, tools } = await call('tools:import', { sessionId, source: { text } });
    const index = session.spec.tools.findIndex((t) => t.name?.value === tools[0]);
    await call('spec:edit', { sessionId, path: `tools[${index}].auth`, value: { type: 'bearer', header: 'Authorization', secret_name: 'TYPED_TOKEN' } });
    expect((await call('tools:example-input', { sessionId, tool: index })).secret).toEqual({ label: 'TYPED_TOKEN', holds: '"Bearer " followed by the access token', stored: false });

    const sentAt = wire.length;
    const r = response(await call('tools:try', { sessionId, tool: index, tryId: tryId(), input: {}, confirmHost: true, allowPrivate: true, secret: TYPED }));
    expect(server.seen.at(-1)!.headers.authorization).toBe(`Bearer ${TYPED}`);
    expect(JSON.parse(r.body)).toEqual({ you_sent: '<secret TYPED_TOKEN>' });
    expect(await backend.secrets.getToolSecret('TYPED_TOKEN')).toBe(TYPED);
    expect((await call('tools:example-input', { sessionId, tool: index })).secret?.stored).toBe(true);
    // On the wire only in the one request that carried it.
    expect(wire.slice(sentAt).filter((m) => m.includes(TYPED))).toEqual([expect.stringContaining('"channel":"tools:try"')]);
    for (const file of await filesUnder(dataDir)) expect((await readFile(file, 'latin1')).includes(TYPED), file).toBe(false);

    await call('spec:edit', { sessionId, path: `tools[${index}].auth`, value: { type: 'none' } });
    expect((await call('tools:example-input', { sessionId, tool: index })).secret).toBeNull();
    await expect(call('tools:try', { sessionId, tool: index, tryId: tryId(), input: {}, confirmHost: true, allowPrivate: true, secret: TYPED })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/has no auth/) });
  });

  it('the planted secrets are in no session file, log, IPC message or export', async () => {
    const files = await filesUnder(dataDir);
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) {
      const content = await readFile(file, 'latin1');
      expect(content.includes(TOKEN), file).toBe(false);
      expect(content.includes(PARTNER_KEY), file).toBe(false);
    }
    expect(wire.length).toBeGreaterThan(20);
    for (const message of wire) {
      expect(message).not.toContain(TOKEN);
      expect(message).not.toContain(PARTNER_KEY);
    }
    // Exported as a finished design would be: the https tools (with their fixtures) and a prompt.
    const session = await call('sessions:get', { id: sessionId });
    const prompt = { value: 'You help callers with their orders.', confidence: 1, source: 'user-edit', locked: true };
    const finished = { ...session, spec: { ...session.spec, tools: session.spec.tools.filter((t) => t.endpoint?.value.startsWith('https:')), system_prompt: prompt, first_message: { ...prompt, value: 'Hi!' } } };
    expect(finished.spec.tools[0]!.workbench!.examples!.length).toBeGreaterThan(0);
    for (const format of EXPORT_FORMATS) {
      const out = exportSession(finished, format);
      const all = [out.content, ...(out.files ?? []).map((f) => (typeof f.content === 'string' ? f.content : Buffer.from(f.content).toString('latin1')))].join('\n');
      expect(all).not.toContain(TOKEN);
      expect(all).not.toContain(PARTNER_KEY);
    }
    // The checks can fail: the server did receive both.
    expect(server.seen.some((s) => s.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(server.seen.some((s) => s.headers['x-partner-key'] === PARTNER_KEY)).toBe(true);
  });
});

describe('import from an address', () => {
  it('fetches the description from main, refusing a private address unless allowed', async () => {
    const url = `${server.httpUrl}/openapi.yaml`;
    await expect(call('tools:parse-import', { url })).rejects.toThrow(/loopback or private address/);
    const preview = await call('tools:parse-import', { url, allowPrivate: true });
    expect(preview).toMatchObject({ kind: 'openapi', title: 'Shop API' });
    expect(preview.operations).toHaveLength(40);
  });
});

describe('network failures read plainly', () => {
  it('a server certificate from a CA not given is a TLS error; verification is never turned off', async () => {
    const result = await fire({ method: 'GET', url: `${server.httpsUrl}/orders/A-1001`, headers: {} }, { allowPrivate: true });
    expect(result).toMatchObject({ kind: 'error', reason: 'tls' });
    expect(result.kind === 'error' && result.message).toMatch(/secure connection to localhost:\d+ failed/);
  });

  it('an unknown host name is a DNS error', async () => {
    const result = await fire({ method: 'GET', url: 'https://no-such-host.invalid/x', headers: {} }, { allowPrivate: false });
    expect(result).toMatchObject({ kind: 'error', reason: 'dns' });
    expect(result.kind === 'error' && result.message).toMatch(/no-such-host\.invalid could not be found/);
  });

  it('a server that never answers times out (the 10 s timer fired by hand), and a cancel stops a request', async () => {
    let fireTimeout: (() => void) | undefined;
    let delay = 0;
    const svcSessions = backend.sessions;
    const workbench = createWorkbenchService({
      sessions: svcSessions,
      secrets: backend.secrets,
      clock: () => new Date(),
      newId: () => crypto.randomUUID(),
      network: {
        setTimer: (f, ms) => {
          fireTimeout = f;
          delay = ms;
          return () => undefined;
        },
      },
    });
    const index = await importCurl(`curl ${server.httpUrl}/slow`);
    const waiting = server.seen.length;
    const pending = workbench.try({ sessionId, tool: index, tryId: 'slow-0001', input: {}, confirmHost: true, allowPrivate: true });
    await expect.poll(() => server.seen.length).toBe(waiting + 1);
    expect(delay).toBe(10_000);
    fireTimeout!();
    const timedOut = await pending;
    expect(timedOut).toMatchObject({ kind: 'error', reason: 'timeout' });
    expect(timedOut.kind === 'error' && timedOut.message).toMatch(/did not answer within 10 s/);

    const second = call('tools:try', { sessionId, tool: index, tryId: 'slow-0002', input: {} });
    await expect.poll(() => server.seen.length).toBe(waiting + 2);
    expect(await call('tools:cancel-try', { tryId: 'slow-0002' })).toEqual({ cancelled: true });
    expect(await second).toMatchObject({ kind: 'error', reason: 'cancelled' });
    expect(await call('tools:cancel-try', { tryId: 'slow-0002' })).toEqual({ cancelled: false });
  });
});
