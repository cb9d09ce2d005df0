import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '../../shared/errors';
import { defaultSettings } from '../../shared/settings';
import { emptySpec } from '../../shared/spec';
import { createAnthropicProvider } from './anthropic';
import { createLocalProvider } from './local';
import { createOpenAiProvider } from './openai';
import type { ProviderConfig } from './router';
import { testKey } from './test-key';
import type { TurnRequest } from './types';

const KEY = 'sk-test-SECRET-0123456789abcdef';

/** This machine's address on a real interface: plain http to it is "another machine" to the URL check. */
const external = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

const request: TurnRequest = {
  stage: 'COLLECTING_BASICS',
  system: 'You interview the user.',
  messages: [{ role: 'user', text: 'A booking agent.' }],
  spec: emptySpec(),
  awaiting: null,
  temperature: 0.7,
  maxTokens: 256,
};

// Issue 17.12: a key must not go over plain http to another machine unless the user confirmed it.
describe.skipIf(!external)('keys and plain http to another machine', () => {
  let server: Server;
  let base: string;
  const seen: IncomingHttpHeaders[] = [];
  beforeAll(async () => {
    // Answers 401 to everything, so an allowed request ends at once; every request is recorded.
    server = createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"no","type":"authentication_error"}}');
    });
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', () => r()));
    base = `http://${external}:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const config = (over: Partial<ProviderConfig>): ProviderConfig => ({ apiKey: KEY, model: 'm', temperature: 0.7, maxTokens: 256, timeoutMs: 5000, retry: { maxAttempts: 1 }, ...over });

  it('refuses before connecting, for both SDKs and the key test, and names the fix', async () => {
    seen.length = 0;
    for (const provider of [createOpenAiProvider(config({ baseURL: `${base}/v1` })), createAnthropicProvider(config({ baseURL: base }))]) {
      const error = await provider.generateTurn(request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ParleyError);
      expect((error as ParleyError).code).toBe('PROVIDER_AUTH');
      expect((error as ParleyError).message).toMatch(/did not send the (OpenAI|Anthropic) key .*plain http/);
      expect((error as ParleyError).message).not.toContain(KEY);
    }
    const settings = { ...defaultSettings(), baseURLs: { openai: `${base}/v1` } };
    const tested = await testKey('openai', KEY, settings);
    expect(tested.ok).toBe(false);
    expect(tested.message).toMatch(/plain http/);
    expect(seen).toEqual([]);
  });

  it('also guards a base URL that comes from OPENAI_BASE_URL', async () => {
    seen.length = 0;
    const before = process.env.OPENAI_BASE_URL;
    process.env.OPENAI_BASE_URL = `${base}/v1`;
    try {
      const error = await createOpenAiProvider(config({})).generateTurn(request).catch((e: unknown) => e);
      expect((error as ParleyError).code).toBe('PROVIDER_AUTH');
    } finally {
      if (before === undefined) delete process.env.OPENAI_BASE_URL;
      else process.env.OPENAI_BASE_URL = before;
    }
    expect(seen).toEqual([]);
  });

  it('sends once the user confirmed it', async () => {
    seen.length = 0;
    const error = await createOpenAiProvider(config({ baseURL: `${base}/v1`, allowInsecureRemote: true })).generateTurn(request).catch((e: unknown) => e);
    expect((error as ParleyError).code).toBe('PROVIDER_AUTH'); // the server's 401, after the request went out
    expect(seen).toHaveLength(1);
    expect(seen[0]!.authorization).toBe(`Bearer ${KEY}`);
  });

  it('refuses an unconfirmed local endpoint on another machine', () => {
    expect(() => createLocalProvider(config({ apiKey: undefined, baseURL: `${base}/v1` }))).toThrow(/plain http to another machine/);
    expect(() => createLocalProvider(config({ apiKey: undefined, baseURL: `${base}/v1`, allowInsecureRemote: true }))).not.toThrow();
  });
});
