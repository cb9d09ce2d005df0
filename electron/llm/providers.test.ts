import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { startMockLlmServer, gate, fenced, proseWrapped, type MockLlmServer } from '../../tests/helpers/mock-llm-server';
import { ParleyError } from '../../shared/errors';
import { emptySpec } from '../../shared/spec';
import { defaultSettings, type Settings } from '../../shared/settings';
import type { GenerateResult, TurnRequest, TurnStatus } from './types';
import type { ProviderConfig } from './router';
import { route } from './router';
import { createOpenAiProvider } from './openai';
import { createAnthropicProvider } from './anthropic';
import { createLocalProvider } from './local';
import { withFallback } from './fallback';
import { defaultProviderFactories } from '../providers';
import { testKey } from './test-key';

const KEY = 'sk-test-SECRET-0123456789abcdef';

const wire = {
  reply: 'A booking agent — great. Which tone should it have: warm, formal or playful? 😀',
  extracted: [{ field: 'agent_type', value: 'booking', confidence: 0.92 }],
  stage_complete: null,
  awaiting: 'tone',
  intent: { approve: null, no_more_tools: null, go_back_to: null },
};
const good = JSON.stringify(wire);

const request: TurnRequest = {
  stage: 'COLLECTING_BASICS',
  system: 'You interview the user about the voice agent they want.',
  messages: [
    { role: 'assistant', text: 'What kind of voice agent would you like to create?' },
    { role: 'user', text: 'A booking agent for my salon.' },
  ],
  spec: emptySpec(),
  awaiting: null,
  temperature: 0.7,
  maxTokens: 512,
};

const fast = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxTotalMs: 10_000, maxRetryAfterMs: 5_000 };

let mock: MockLlmServer;
beforeEach(async () => {
  mock = await startMockLlmServer();
});
afterEach(async () => {
  await mock.close();
});

function config(over: Partial<ProviderConfig> = {}): ProviderConfig {
  return { apiKey: KEY, model: 'gpt-5.5', temperature: 0.7, maxTokens: 512, timeoutMs: 5000, retry: fast, ...over };
}
const openai = (over: Partial<ProviderConfig> = {}) => createOpenAiProvider(config({ baseURL: mock.openaiBaseURL, ...over }));
const anthropic = (over: Partial<ProviderConfig> = {}) =>
  createAnthropicProvider(config({ baseURL: mock.anthropicBaseURL, model: 'claude-sonnet-5-5', ...over }));

async function failure(p: Promise<unknown>): Promise<ParleyError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(ParleyError);
    return error as ParleyError;
  }
  throw new Error('expected a failure');
}

describe.each([
  ['openai', () => openai(), 'openai'],
  ['anthropic', () => anthropic(), 'anthropic'],
] as const)('%s provider', (_label, make, api) => {
  it('streams the reply in order, the first delta before the server finishes', async () => {
    const held = gate();
    mock.script(api, { type: 'reply', text: good, chunkSize: 5, holdAfterChunks: 6, until: held.promise, usage: { inputTokens: 1200, outputTokens: 80 } });
    const deltas: string[] = [];
    let requestStillOpenAtFirstDelta: boolean | undefined;
    const result = await make().generateTurn(request, {
      onDelta: (d) => {
        if (deltas.length === 0) {
          // The server is parked until we open the gate: this delta cannot be from a finished stream.
          requestStillOpenAtFirstDelta = mock.modelRequests(api)[0]?.clientClosed === false;
          held.open();
        }
        deltas.push(d);
      },
    });
    expect(requestStillOpenAtFirstDelta).toBe(true);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(wire.reply);
    expect(result.result.reply).toBe(wire.reply);
    expect(result.result.extracted.agent_type).toEqual({ value: 'booking', confidence: 0.92 });
    expect(result.result.awaiting).toBe('tone');
    expect(result.usage).toEqual({ inputTokens: 1200, outputTokens: 80 });
    expect(result.provider).toBe(api);
    expect(result.extraction).toBe('structured');
    expect(result.costUsd).toBeGreaterThan(0);
    expect(result.firstTokenMs).toBeLessThanOrEqual(result.latencyMs ?? Infinity);
  });

  it('retries a 429 only after its retry-after of 1 s, and says so', async () => {
    mock.script(api, { type: 'error', status: 429, headers: { 'retry-after': '1' } }, { type: 'reply', text: good });
    const statuses: TurnStatus[] = [];
    const t0 = Date.now();
    let retriedAt = 0;
    void mock.waitForRequests(2, api).then(() => (retriedAt = Date.now()));
    const result = await make().generateTurn(request, { onStatus: (s) => statuses.push(s) });
    expect(result.result.reply).toBe(wire.reply);
    expect(mock.modelRequests(api)).toHaveLength(2);
    expect(retriedAt - t0).toBeGreaterThanOrEqual(1000);
    expect(statuses[0]).toMatchObject({ retryInMs: 1000, attempt: 2, maxAttempts: 3 });
    expect(statuses[0]?.message).toMatch(/retrying in 1 s \(attempt 2 of 3\)/);
  });

  it('succeeds after a 500 and after an overload (529)', async () => {
    mock.script(api, { type: 'error', status: 500 }, { type: 'error', status: 529 }, { type: 'reply', text: good });
    const result = await make().generateTurn(request);
    expect(result.result.reply).toBe(wire.reply);
    expect(mock.modelRequests(api)).toHaveLength(3);
  });

  it('does not retry a 401, names the provider and keeps the key out of the message', async () => {
    mock.script(api, { type: 'error', status: 401, message: `Incorrect API key provided: ${KEY}` });
    const error = await failure(make().generateTurn(request));
    expect(error.code).toBe('PROVIDER_AUTH');
    expect(error.message).toMatch(api === 'openai' ? /^OpenAI rejected the API key \(401\)/ : /^Anthropic rejected the API key \(401\)/);
    expect(error.message).toMatch(/Settings/);
    expect(error.message).not.toContain(KEY);
    await new Promise((r) => setTimeout(r, 50));
    expect(mock.modelRequests(api)).toHaveLength(1);
  });

  it('gives up after the attempts, naming the provider, without leaking the key', async () => {
    mock.fallbackStep[api] = { type: 'error', status: 500, message: `upstream choked on key ${KEY}` };
    const error = await failure(make().generateTurn(request));
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(error.message).toMatch(api === 'openai' ? /OpenAI/ : /Anthropic/);
    expect(error.message).toMatch(/after 3 attempts/);
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toContain('SECRET');
    expect(mock.modelRequests(api)).toHaveLength(3);
  });

  it('cancelling stops the HTTP request', async () => {
    const never = gate();
    mock.script(api, { type: 'reply', text: good, chunkSize: 4, holdAfterChunks: 5, until: never.promise });
    const controller = new AbortController();
    const pending = make().generateTurn(request, {
      signal: controller.signal,
      onDelta: () => controller.abort(new ParleyError('CANCELLED', 'The turn was stopped.')),
    });
    const error = await failure(pending);
    expect(error.code).toBe('CANCELLED');
    await mock.modelRequests(api)[0]?.closedEarly; // the mock saw the socket close
    expect(mock.modelRequests(api)[0]?.clientClosed).toBe(true);
    expect(mock.modelRequests(api)).toHaveLength(1);
  });

  it('a connection reset mid-stream is retried and the chat is told to restart the reply', async () => {
    mock.script(api, { type: 'reset', text: good, afterChars: 30 }, { type: 'reply', text: good });
    const statuses: TurnStatus[] = [];
    const deltas: string[] = [];
    const result = await make().generateTurn(request, { onStatus: (s) => statuses.push(s), onDelta: (d) => deltas.push(d) });
    expect(result.result.reply).toBe(wire.reply);
    expect(statuses[0]?.resetReply).toBe(true);
    expect(deltas.join('').endsWith(wire.reply)).toBe(true);
  });

  it('retries malformed bodies and a wrong content type', async () => {
    mock.script(api, { type: 'malformed' }, { type: 'wrong-content-type' }, { type: 'reply', text: good });
    const result = await make().generateTurn(request);
    expect(result.result.reply).toBe(wire.reply);
    expect(mock.modelRequests(api)).toHaveLength(3);
  });

  it('reads fenced and prose-wrapped JSON without a repair request', async () => {
    mock.script(api, { type: 'reply', text: fenced(wire) }, { type: 'reply', text: proseWrapped(wire) });
    const p = make();
    expect((await p.generateTurn(request)).result.reply).toBe(wire.reply);
    expect((await p.generateTurn(request)).result.reply).toBe(wire.reply);
    expect(mock.modelRequests(api)).toHaveLength(2);
  });

  it('sends exactly one repair request stating the validation errors', async () => {
    const invalid = JSON.stringify({ ...wire, extracted: [{ field: 'goals', value: 'x', confidence: 4 }] });
    mock.script(api, { type: 'reply', text: invalid }, { type: 'reply', text: good, usage: { inputTokens: 10, outputTokens: 5 } });
    const result = await make().generateTurn(request);
    expect(result.extraction).toBe('repaired');
    expect(result.result.extracted.agent_type?.value).toBe('booking');
    const reqs = mock.modelRequests(api);
    expect(reqs).toHaveLength(2);
    expect(JSON.stringify(reqs[1]?.body)).toMatch(/extracted\.goals\.confidence/);
    expect(result.usage.inputTokens).toBe(110); // both requests are counted
  });

  it('keeps the reply when even the repair fails, and asks only once', async () => {
    const invalid = JSON.stringify({ reply: 'Tell me more about the salon.', extracted: 'oops' });
    mock.script(api, { type: 'reply', text: invalid }, { type: 'reply', text: 'still not json' });
    const result = await make().generateTurn(request);
    expect(result.extraction).toBe('failed');
    expect(result.result.reply).toBe('Tell me more about the salon.');
    expect(result.result.extracted).toEqual({});
    expect(mock.modelRequests(api)).toHaveLength(2);
  });
});

describe('wire details', () => {
  it('OpenAI gets a strict json_schema, streaming usage and no SDK retries', async () => {
    mock.script('openai', { type: 'reply', text: good });
    await openai().generateTurn(request);
    const body = mock.modelRequests('openai')[0]?.body as Record<string, unknown>;
    expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { strict: true, name: 'parley_turn' } });
    expect(body.stream_options).toEqual({ include_usage: true });
    expect(body.max_completion_tokens).toBe(512);
    expect(body.temperature).toBe(0.7);
    expect(mock.modelRequests('openai')[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('OpenAI drops temperature once when the model refuses it', async () => {
    mock.script('openai', { type: 'error', status: 400, message: "Unsupported value: 'temperature' does not support 0.7 with this model." }, { type: 'reply', text: good });
    const result = await openai().generateTurn(request);
    expect(result.result.reply).toBe(wire.reply);
    const reqs = mock.modelRequests('openai');
    expect(reqs).toHaveLength(2);
    expect(reqs[1]?.body).not.toHaveProperty('temperature');
  });

  it('Anthropic gets output_config.format, no temperature, and a user turn first', async () => {
    mock.script('anthropic', { type: 'reply', text: good });
    await anthropic().generateTurn(request);
    const req = mock.modelRequests('anthropic')[0];
    const body = req?.body as { output_config: unknown; messages: Array<{ role: string }>; temperature?: number; system: string };
    expect(body.output_config).toMatchObject({ format: { type: 'json_schema' } });
    expect(body).not.toHaveProperty('temperature');
    expect(body.messages[0]?.role).toBe('user');
    expect(body.system).toMatch(/^You interview/);
    // SDK 1.x sends the key as a bearer token; older ones used x-api-key
    expect([req?.headers['x-api-key'], req?.headers.authorization]).toContain(req?.headers['x-api-key'] ? KEY : `Bearer ${KEY}`);
  });
});

describe('timeouts and fallback', () => {
  it('a hang hits the timeout and the other provider answers', async () => {
    mock.script('openai', { type: 'hang' });
    mock.script('anthropic', { type: 'reply', text: good });
    const statuses: TurnStatus[] = [];
    const provider = withFallback(openai({ timeoutMs: 300 }), anthropic());
    const result: GenerateResult = await provider.generateTurn(request, { onStatus: (s) => statuses.push(s) });
    expect(result.provider).toBe('anthropic');
    expect(result.fallbackFrom).toBe('openai');
    expect(result.notice).toMatch(/Anthropic answered because OpenAI failed/);
    expect(statuses.some((s) => /OpenAI did not answer within 0\.3 s/.test(s.message) && /Anthropic is answering/.test(s.message))).toBe(true);
    await mock.modelRequests('openai')[0]?.closedEarly;
    expect(mock.modelRequests('openai')).toHaveLength(1); // a hang is not retried on the same provider
  });

  it('a hang in the middle of a stream also hits the timeout', async () => {
    const never = gate();
    mock.script('openai', { type: 'reply', text: good, holdAfterChunks: 2, until: never.promise });
    const error = await failure(openai({ timeoutMs: 300 }).generateTurn(request));
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(error.message).toMatch(/OpenAI did not answer within/);
  });

  it('does not fall back on an auth error', async () => {
    mock.script('openai', { type: 'error', status: 401 });
    mock.script('anthropic', { type: 'reply', text: good });
    const error = await failure(withFallback(openai(), anthropic()).generateTurn(request));
    expect(error.code).toBe('PROVIDER_AUTH');
    expect(mock.modelRequests('anthropic')).toHaveLength(0);
  });

  it('reports both failures when the fallback fails too', async () => {
    mock.fallbackStep.openai = { type: 'error', status: 503 };
    mock.fallbackStep.anthropic = { type: 'error', status: 500 };
    const error = await failure(withFallback(openai(), anthropic()).generateTurn(request));
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(error.message).toMatch(/OpenAI[\s\S]*Anthropic/);
  });
});

describe('routing with the real providers', () => {
  function settingsFor(): Settings {
    return {
      ...defaultSettings(),
      baseURLs: { openai: mock.openaiBaseURL, anthropic: mock.anthropicBaseURL },
      localEndpoint: null,
    };
  }

  it('sends each stage to its configured provider and falls back without a key', async () => {
    const factories = defaultProviderFactories();
    const settings = settingsFor();
    mock.fallbackStep.openai = { type: 'reply', text: good };
    mock.fallbackStep.anthropic = { type: 'reply', text: good };
    const keys = { openai: KEY, anthropic: 'sk-ant-other-key-123456' };

    const initial = route({ stage: 'INITIAL', choice: 'auto', settings, keys, factories });
    expect((await initial.provider.generateTurn(request)).provider).toBe('anthropic');
    const basics = route({ stage: 'COLLECTING_BASICS', choice: 'auto', settings, keys, factories });
    expect((await basics.provider.generateTurn(request)).provider).toBe('openai');
    expect(mock.modelRequests('anthropic')).toHaveLength(1);
    expect(mock.modelRequests('openai')).toHaveLength(1);
    expect((mock.modelRequests('openai')[0]?.body as { model: string }).model).toBe(settings.models.openai);

    const noAnthropicKey = route({ stage: 'INITIAL', choice: 'auto', settings, keys: { openai: KEY }, factories });
    expect(noAnthropicKey.reason).toMatch(/fallback/);
    expect((await noAnthropicKey.provider.generateTurn(request)).provider).toBe('openai');
  });

  it('auto routing falls back to the other keyed provider when the routed one is down', async () => {
    const settings = { ...settingsFor(), timeoutMs: 1000 };
    mock.fallbackStep.anthropic = { type: 'error', status: 400, message: 'model not found' };
    mock.script('openai', { type: 'reply', text: good });
    const r = route({ stage: 'INITIAL', choice: 'auto', settings, keys: { openai: KEY, anthropic: 'sk-ant-x-123456' }, factories: defaultProviderFactories() });
    const result = await r.provider.generateTurn(request);
    expect(result.provider).toBe('openai');
    expect(result.fallbackFrom).toBe('anthropic');
  });
});

describe('local OpenAI-compatible endpoint', () => {
  it('works with a custom base URL and no key, sending no Authorization header', async () => {
    mock.script('openai', { type: 'reply', text: good });
    const local = createLocalProvider(config({ apiKey: undefined, baseURL: `${mock.url}/v1`, model: 'llama3.1:8b' }));
    const result = await local.generateTurn(request);
    expect(result.provider).toBe('local');
    expect(result.result.reply).toBe(wire.reply);
    expect(result.costUsd).toBeUndefined();
    const req = mock.modelRequests('openai')[0];
    expect(req?.headers.authorization).toBeUndefined();
    expect((req?.body as { model: string; max_tokens: number }).model).toBe('llama3.1:8b');
    expect((req?.body as { max_tokens: number }).max_tokens).toBe(512);
  });

  it('falls back from json_schema to JSON mode to plain text when the server refuses them', async () => {
    mock.script(
      'openai',
      { type: 'error', status: 400, message: 'unknown field' },
      { type: 'error', status: 422, message: 'unprocessable' },
      { type: 'reply', text: proseWrapped(wire) },
    );
    const local = createLocalProvider(config({ apiKey: undefined, baseURL: `${mock.url}/v1`, model: 'tiny' }));
    const result = await local.generateTurn(request);
    expect(result.result.reply).toBe(wire.reply);
    const bodies = mock.modelRequests('openai').map((r) => r.body as { response_format?: { type: string }; messages: Array<{ content: string }> });
    expect(bodies.map((b) => b.response_format?.type)).toEqual(['json_schema', 'json_object', undefined]);
    // without structured output the schema travels in the prompt
    expect(bodies[2]?.messages[0]?.content).toMatch(/JSON Schema/);
  });

  it('never sends OPENAI_API_KEY from the environment to a local server', async () => {
    const before = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = 'sk-env-should-not-leak-123456';
    try {
      mock.script('openai', { type: 'reply', text: good });
      await createLocalProvider(config({ apiKey: undefined, baseURL: `${mock.url}/v1`, model: 'm' })).generateTurn(request);
      expect(JSON.stringify(mock.modelRequests('openai')[0]?.headers)).not.toContain('sk-env-should-not-leak');
    } finally {
      if (before === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = before;
    }
  });
});

describe('testKey', () => {
  const settings = (): Settings => ({ ...defaultSettings(), baseURLs: { openai: mock.openaiBaseURL, anthropic: mock.anthropicBaseURL } });

  it('reports a working key and model', async () => {
    const r = await testKey('openai', KEY, settings());
    expect(r).toEqual({ ok: true, message: expect.stringMatching(/OpenAI accepted the key/) });
    const a = await testKey('anthropic', KEY, settings());
    expect(a.ok).toBe(true);
    expect(mock.requests.map((q) => q.path)).toEqual([`/v1/models/${settings().models.openai}`, `/v1/models/${settings().models.anthropic}`]);
  });

  it('reports a rejected key without echoing it, and a missing model', async () => {
    mock.script('openai', { type: 'error', status: 401, message: `bad key ${KEY}` });
    const r = await testKey('openai', KEY, settings());
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/OpenAI rejected the API key \(401\)/);
    expect(r.message).not.toContain(KEY);
    mock.knownModels = ['something-else'];
    const m = await testKey('anthropic', KEY, settings());
    expect(m.ok).toBe(false);
    expect(m.message).toMatch(/model claude-sonnet-5-5 is not available/);
  });
});

describe('empty replies', () => {
  it('an empty reply gets the repair request; two empty replies are a provider failure', async () => {
    mock.script('openai', { type: 'reply', text: '' }, { type: 'reply', text: good });
    const repaired = await openai().generateTurn(request);
    expect(repaired.extraction).toBe('repaired');
    expect(repaired.result.reply).toBe(wire.reply);

    mock.script('openai', { type: 'reply', text: '' }, { type: 'reply', text: '' });
    const error = await failure(openai().generateTurn(request));
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(error.message).toMatch(/OpenAI returned an empty reply/);
    expect(mock.modelRequests('openai')).toHaveLength(4);
  });
});

describe('base URL conventions', () => {
  it('uses OPENAI_BASE_URL / ANTHROPIC_BASE_URL when Settings names none', async () => {
    const saved = { o: process.env.OPENAI_BASE_URL, a: process.env.ANTHROPIC_BASE_URL };
    process.env.OPENAI_BASE_URL = mock.openaiBaseURL;
    process.env.ANTHROPIC_BASE_URL = mock.anthropicBaseURL;
    try {
      mock.fallbackStep.openai = { type: 'error', status: 500 };
      const error = await failure(createOpenAiProvider(config()).generateTurn(request));
      expect(error.message).toMatch(/^OpenAI is not answering \(HTTP 500/);
      expect(mock.modelRequests('openai')).toHaveLength(fast.maxAttempts);
      mock.script('anthropic', { type: 'reply', text: good });
      expect((await createAnthropicProvider(config({ model: 'claude-sonnet-5-5' })).generateTurn(request)).result.reply).toBe(wire.reply);
    } finally {
      for (const [k, v] of [['OPENAI_BASE_URL', saved.o], ['ANTHROPIC_BASE_URL', saved.a]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
