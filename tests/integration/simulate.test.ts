/**
 * Simulated calls end to end: offline through the CLI (verdict table, exit code, runs stored and
 * compared), and on a model through the real OpenAI SDK adapter against the local mock server
 * (scripted replies): transcripts streamed as simulate:event, cost estimated before and counted after.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend, type Backend } from '../../electron/backend';
import { createNodeSecretStore } from '../../electron/secrets';
import { dispatch } from '../../electron/rpc';
import { exportSession } from '../../electron/export';
import type { Channel, ChannelInput, ChannelOutput, EventPayload } from '../../shared/ipc';
import { ParleyError } from '../../shared/errors';
import type { Session } from '../../shared/session';
import { customerSupportSession, customerSupportSpec, f, finalize, sessionWith } from '../support/export/sessions';
import { parleyJson, runParley } from '../helpers/cli';
import { startMockLlmServer, type MockLlmServer } from '../helpers/mock-llm-server';
import { offlineRig } from '../helpers/offline-session';
import { simulate } from '../../electron/simulate/run';
import { compareRuns } from '../../shared/simulation';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'parley-simulate-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function call<C extends Channel>(backend: Backend, channel: C, input?: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const envelope = await dispatch(backend.handlers, channel, input, { validateOutput: true });
  if (!envelope.ok) throw new ParleyError(envelope.error.code, envelope.error.message);
  return envelope.value as ChannelOutput<C>;
}

async function importDesign(dataDir: string, session: Session): Promise<string> {
  const file = join(dataDir, `${session.id}.parley.json`);
  await writeFile(file, exportSession(session, 'parley').content);
  return (await parleyJson<{ id: string }>(dataDir, ['import', file])).id;
}

/** The brief's design whose transfer has a condition but no number. */
function unnumberedTransfer(): Session {
  const spec = customerSupportSpec();
  spec.transfers = [{ condition: f('The customer asks for a person'), transfer_type: f('warm' as const) }];
  return sessionWith(finalize(spec), 'Support without a number', '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
}

describe('simulate through the CLI, offline', () => {
  it('the brief’s design: every scenario passes, exit 0, a verdict table', async () => {
    const dataDir = await mkdtemp(join(work, 'data-'));
    const id = await importDesign(dataDir, customerSupportSession());
    const run = await runParley(dataDir, ['simulate', id]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/^Knows the order number\s+pass\s*$/m);
    expect(run.out).toMatch(/^Wants a human\s+pass\s*$/m);
    expect(run.out).toContain('5 of 5 passed');
  }, 60_000);

  it('prints the table, exits 1 on a failed scenario, and compares with the previous run after a fix', async () => {
    const dataDir = await mkdtemp(join(work, 'data-'));
    const id = await importDesign(dataDir, unnumberedTransfer());
    const first = await runParley(dataDir, ['simulate', id]);
    expect(first.code).toBe(1);
    expect(first.out).toMatch(/^Scenario\s+Result {2}Why$/m);
    expect(first.out).toMatch(/^Wants a human\s+FAIL {4}.*transfer 1 has no phone number/m);
    expect(first.out).toMatch(/^Knows the order number\s+pass\s*$/m);
    expect(first.out).toContain('Design: Transfer 1 ("The customer asks for a person") has no phone number: the agent cannot make it.');
    const failedCount = (first.out.match(/ FAIL /g) ?? []).length;
    expect(first.out).toContain(`${5 - failedCount} of 5 passed`);

    // The fix: a number for the transfer, and the prompt generated again from the design.
    const backend = await createBackend({ dataDir, host: 'cli', version: '0.0.0-test', secrets: await createNodeSecretStore({ dataDir, env: {} }) });
    try {
      await call(backend, 'spec:edit', { sessionId: id, path: 'transfers[0].phone_number', value: '+14155550123' });
      await call(backend, 'spec:regenerate', { sessionId: id, path: 'system_prompt' });
    } finally {
      await backend.close();
    }
    const second = await parleyJson<{ passed: number; total: number; comparison: string; designHash: string; scenarios: Array<{ name: string; passed: boolean }> }>(dataDir, ['simulate', id]);
    expect(second.comparison).toBe(`${5 - failedCount} of 5 passed → 5 of 5 passed`);
    const show = await parleyJson<Session>(dataDir, ['show', id]);
    expect(show.simulations?.map((r) => `${r.passed}/${r.total}`)).toEqual([`${5 - failedCount}/5`, '5/5']);
    expect(show.simulations?.[0]?.designHash).not.toBe(second.designHash);
    expect(show.simulations?.[1]?.scenarios[0]?.transcript.length).toBeGreaterThan(3);
  }, 60_000);

  it('--personas N runs the first N; a session still collecting basics is refused', async () => {
    const dataDir = await mkdtemp(join(work, 'data-'));
    const id = await importDesign(dataDir, customerSupportSession());
    const run = await parleyJson<{ total: number; passed: number; scenarios: Array<{ name: string }> }>(dataDir, ['simulate', id, '--personas', '2']);
    expect(run.scenarios.map((s) => s.name)).toEqual(['Knows the order number', 'Wants a human']);
    expect(run.passed).toBe(2);
    const fresh = await parleyJson<{ id: string }>(dataDir, ['new', '--provider', 'offline']);
    const refused = await runParley(dataDir, ['simulate', fresh.id, '--json']);
    expect(refused.code).not.toBe(0);
    expect(JSON.parse(refused.err)).toMatchObject({ error: { code: 'CONFLICT', message: expect.stringMatching(/REVIEWING_WORKFLOW or later/) } });
  }, 60_000);
});

describe('simulate on a model (OpenAI wire format, scripted replies)', () => {
  let mock: MockLlmServer;
  let backend: Backend | undefined;
  beforeAll(async () => {
    mock = await startMockLlmServer();
  });
  afterEach(async () => {
    await backend?.close();
    backend = undefined;
  });
  afterAll(async () => {
    await mock.close();
  });

  const reply = (text: string) => ({ type: 'reply' as const, text: JSON.stringify({ reply: text, kind: null, extracted: [], stage_complete: null, awaiting: null, suggestion: null, intent: null }), usage: { inputTokens: 1000, outputTokens: 50 } });

  it('runs persona, agent and judge on the routed provider, streams the transcript, and shows the cost before and after', async () => {
    const dataDir = await mkdtemp(join(work, 'llm-'));
    backend = await createBackend({ dataDir, host: 'cli', version: '0.0.0-test', secrets: await createNodeSecretStore({ dataDir, env: { OPENAI_API_KEY: 'sk-test-simulate-0123456789abcdef' } }) });
    await backend.settings.set({ baseURLs: { openai: mock.openaiBaseURL }, models: { openai: 'gpt-4.1', anthropic: 'claude-sonnet-5-5' } });
    const { session } = await call(backend, 'sessions:import', { text: exportSession(customerSupportSession(), 'parley').content });
    const estimate = await call(backend, 'simulate:estimate', { sessionId: session.id, count: 1 });
    expect(estimate).toMatchObject({ mode: 'llm', provider: 'openai', model: 'gpt-4.1', personas: 1 });
    expect(estimate.costUsd).toBeGreaterThan(0);

    mock.script(
      'openai',
      reply('Hi, I want to know where my order is.'),
      reply('Sure, I can check that. What is your order number?'),
      reply("It's A1234."),
      reply('Thank you, one moment.\nCALL get_order_status {"order_id": "A1234"}'),
      reply('Your order is processing and should arrive on December the fourth. Anything else?'),
      reply('No, that is all. Thanks, bye!'),
      reply('Thank you for calling Acme Shop. Goodbye!\nCALL end_call {"reason": "done"}'),
      reply('PASS polite_end: the agent thanked the caller and said goodbye'),
    );
    const events: Array<EventPayload<'simulate:event'>> = [];
    backend.onEvent((event, payload) => {
      if (event === 'simulate:event') events.push(payload as EventPayload<'simulate:event'>);
    });
    const run = await call(backend, 'simulate:run', { sessionId: session.id, count: 1 });
    expect(run).toMatchObject({ mode: 'llm', provider: 'openai', model: 'gpt-4.1', passed: 1, total: 1 });
    expect(run.inputTokens).toBe(8000);
    expect(run.costUsd).toBeCloseTo((8000 * 2 + 400 * 8) / 1e6, 8);
    const scenario = run.scenarios[0]!;
    expect(scenario.toolCalls.map((c) => [c.tool, c.args, c.outcome])).toEqual([['get_order_status', { order_id: 'A1234' }, 'ok'], ['end_call', { reason: 'done' }, 'ok']]);
    expect(scenario.criteria.find((c) => c.id === 'polite_end')?.reason).toBe('the agent thanked the caller and said goodbye');
    // Streamed: reply deltas for both sides, whole messages, then the verdict, all before the run returned.
    const deltas = events.filter((e) => e.type === 'delta');
    expect(deltas.filter((e) => e.role === 'caller').map((e) => e.text).join('')).toContain("It's A1234.");
    expect(deltas.filter((e) => e.role === 'agent').map((e) => e.text).join('')).toContain('What is your order number?');
    expect(events.filter((e) => e.type === 'message').map((e) => e.message.role)).toEqual(scenario.transcript.map((m) => m.role));
    expect(events.at(-1)).toMatchObject({ type: 'scenario', scenario: 'knows-get-order-status', passed: true });
    expect(mock.modelRequests('openai')).toHaveLength(8);
    const stored = await call(backend, 'sessions:get', { id: session.id });
    expect(stored.simulations?.at(-1)?.costUsd).toBe(run.costUsd);
    // A copy of the design starts without the original's runs.
    expect((await call(backend, 'sessions:duplicate', { id: session.id })).simulations).toBeUndefined();
  }, 60_000);

  it('the same on Anthropic’s wire format, when the session chooses Anthropic', async () => {
    const dataDir = await mkdtemp(join(work, 'llm-'));
    backend = await createBackend({ dataDir, host: 'cli', version: '0.0.0-test', secrets: await createNodeSecretStore({ dataDir, env: { ANTHROPIC_API_KEY: 'sk-ant-test-simulate-0123456789abcdef' } }) });
    await backend.settings.set({ baseURLs: { anthropic: mock.anthropicBaseURL }, models: { openai: 'gpt-4.1', anthropic: 'claude-haiku-4-5' } });
    const { session } = await call(backend, 'sessions:import', { text: exportSession(customerSupportSession(), 'parley').content });
    await call(backend, 'sessions:set-provider', { id: session.id, provider: 'anthropic' });
    expect(await call(backend, 'simulate:estimate', { sessionId: session.id, count: 1 })).toMatchObject({ mode: 'llm', provider: 'anthropic', model: 'claude-haiku-4-5' });
    mock.script(
      'anthropic',
      reply('Hi, where is my order?'),
      reply('What is your order number?'),
      reply('A1234.'),
      reply('CALL get_order_status {"order_id": "A1234"}'),
      reply('It is processing. Anything else?'),
      reply('No. Bye!'),
      reply('Thanks for calling, goodbye!\nCALL end_call {}'),
      reply('PASS polite_end: goodbye said'),
    );
    let streamed = '';
    backend.onEvent((event, payload) => {
      const e = payload as EventPayload<'simulate:event'>;
      if (event === 'simulate:event' && e.type === 'delta') streamed += e.text;
    });
    const run = await call(backend, 'simulate:run', { sessionId: session.id, count: 1 });
    expect(run).toMatchObject({ mode: 'llm', provider: 'anthropic', passed: 1, total: 1 });
    expect(run.costUsd).toBeCloseTo((8000 * 1 + 400 * 5) / 1e6, 8);
    expect(streamed).toContain('What is your order number?');
    expect(mock.modelRequests('anthropic')).toHaveLength(8);
  }, 60_000);

  it('a running simulation can be stopped: CANCELLED, the model request closed, nothing stored; a second run at once is refused', async () => {
    const dataDir = await mkdtemp(join(work, 'llm-'));
    backend = await createBackend({ dataDir, host: 'cli', version: '0.0.0-test', secrets: await createNodeSecretStore({ dataDir, env: { OPENAI_API_KEY: 'sk-test-simulate-0123456789abcdef' } }) });
    await backend.settings.set({ baseURLs: { openai: mock.openaiBaseURL } });
    const { session } = await call(backend, 'sessions:import', { text: exportSession(customerSupportSession(), 'parley').content });
    const before = mock.modelRequests('openai').length;
    mock.script('openai', { type: 'hang' });
    const running = call(backend, 'simulate:run', { sessionId: session.id, count: 1 });
    await mock.waitForRequests(before + 1, 'openai');
    await expect(call(backend, 'simulate:run', { sessionId: session.id, count: 1 })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await call(backend, 'simulate:cancel', { sessionId: session.id })).toEqual({ cancelled: true });
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    await mock.modelRequests('openai').at(-1)!.closedEarly;
    expect((await call(backend, 'sessions:get', { id: session.id })).simulations).toBeUndefined();
    expect(await call(backend, 'simulate:cancel', { sessionId: session.id })).toEqual({ cancelled: false });
  }, 60_000);
});

describe('the brief’s interview, then simulated calls (offline)', () => {
  const INPUT_SCHEMA = '{"type":"object","properties":{"order_id":{"type":"string","description":"The order number from the confirmation email"}},"required":["order_id"]}';
  const SCRIPT = [
    'I want to build a customer support agent',
    'Help customers track orders and handle returns',
    'Friendly and empathetic',
    'Yes, I want to integrate our order API',
    'get_order_status',
    'Looks up where an order is and when it will arrive',
    'https://api.example.com/orders/{order_id}',
    'GET',
    'Bearer token in the Authorization header',
    INPUT_SCHEMA,
    'status: string, estimated_delivery: string optional',
    'When the caller asks where their order is',
    'Apologise, and offer to transfer the caller to a human agent',
    'no more tools',
  ];

  it('finds the transfer the error handling promises without a number, and passes once the review adds one', async () => {
    const rig = await offlineRig();
    try {
      let session = await rig.session();
      for (const line of SCRIPT) session = (await rig.say(session.id, line)).session;
      expect(session.stage).toBe('REVIEWING_WORKFLOW');
      const first = await simulate({ spec: session.spec, sessionId: session.id, runId: 'r1', at: 'now' });
      expect(first.scenarios.filter((s) => !s.passed).map((s) => [s.persona.name, s.summary])).toEqual([
        ['get_order_status fails', expect.stringMatching(/error handling \(tools\[0\]\.error_handling\) says to transfer the caller, but the design has no transfer number/)],
      ]);
      expect(first.findings).toContain(`get_order_status's error handling promises a transfer ("Apologise, and offer to transfer the caller to a human agent"), but the design has no transfer number.`);

      session = (await rig.say(session.id, 'The business is called Acme Shop, transfer to +14155550123')).session;
      expect(session.spec.transfers?.[0]?.phone_number?.value).toBe('+14155550123');
      const second = await simulate({ spec: session.spec, sessionId: session.id, runId: 'r2', at: 'now' });
      expect(second.scenarios.filter((s) => !s.passed).map((s) => [s.persona.name, s.summary])).toEqual([]);
      expect(compareRuns(first, second)).toBe('4 of 5 passed → 5 of 5 passed');
    } finally {
      await rig.close();
    }
  }, 60_000);
});
